import { describe, expect, it, vi } from 'vitest';
import { catchingErrors, replaceMethodOnce } from './handler-errors.js';

describe('catchingErrors', () => {
  it('returns a sync result or a promise value as they are', async () => {
    const onError = vi.fn();
    expect(catchingErrors(() => 'done', onError)).toBe('done');
    await expect(catchingErrors(async () => 'later', onError)).resolves.toBe('later');
    expect(onError).not.toHaveBeenCalled();
  });

  it('hands a sync throw or a rejection to onError and gives undefined', async () => {
    const failures: unknown[] = [];
    expect(
      catchingErrors(
        () => {
          throw new Error('sync');
        },
        (failure) => failures.push(failure),
      ),
    ).toBeUndefined();
    await expect(
      catchingErrors(
        () => Promise.reject(new Error('async')),
        (failure) => failures.push(failure),
      ),
    ).resolves.toBeUndefined();
    expect(failures.map((failure) => (failure as Error).message)).toEqual(['sync', 'async']);
  });
});

describe('replaceMethodOnce', () => {
  it("replaces a method once, keeping its property's attributes", () => {
    class Service {
      run(value: number): number {
        return value;
      }
    }
    const before = Object.getOwnPropertyDescriptor(Service.prototype, 'run')!;
    const replace = vi.fn(
      (original: (...args: unknown[]) => unknown) =>
        function (this: unknown, ...args: unknown[]) {
          return (original.apply(this, args) as number) * 2;
        },
    );
    expect(replaceMethodOnce(Service.prototype, 'run', replace)).toBe('patched');
    expect(replaceMethodOnce(Service.prototype, 'run', replace)).toBe('patched');
    expect(replace).toHaveBeenCalledTimes(1);
    expect(new Service().run(2)).toBe(4);
    const after = Object.getOwnPropertyDescriptor(Service.prototype, 'run')!;
    expect({ ...after, value: undefined }).toEqual({ ...before, value: undefined });
  });

  it('changes nothing where the method is missing or cannot be replaced', () => {
    const frozen = Object.freeze({ run: () => 1 });
    expect(replaceMethodOnce({}, 'run', (original) => original)).toBe('missing');
    expect(replaceMethodOnce({ run: 'not a function' }, 'run', (original) => original)).toBe(
      'missing',
    );
    expect(replaceMethodOnce(frozen, 'run', () => () => 2)).toBe('missing');
    expect(frozen.run()).toBe(1);
  });
});
