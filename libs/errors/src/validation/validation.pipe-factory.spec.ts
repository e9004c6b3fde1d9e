import { IsString } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { ValidationFailedException } from '../domains/common.exceptions.js';
import { ErrorsValidationPipe } from './validation.pipe-factory.js';

describe('ErrorsValidationPipe', () => {
  it("adds the argument's location without touching the thrower's (possibly frozen) violations", async () => {
    const shared = Object.freeze([Object.freeze({ path: 'email', message: 'email is taken' })]);
    const pipe = new ErrorsValidationPipe();
    const failing = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => {
          throw new ValidationFailedException({ details: shared });
        },
      },
    };
    const error = await pipe
      .transform(
        { email: 'a@b.c' },
        { type: 'body', metatype: Object, data: undefined, schema: failing as never },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationFailedException);
    expect((error as ValidationFailedException).details).toEqual([
      { path: 'email', message: 'email is taken', location: 'body' },
    ]);
    expect(shared[0]).toEqual({ path: 'email', message: 'email is taken' });
  });

  it('turns input nested too deeply for the validators into a 400', async () => {
    const pipe = new ErrorsValidationPipe();
    const overflowing = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: function recurse(): never {
          return recurse();
        },
      },
    };
    const error = (await pipe
      .transform(
        {},
        { type: 'query', metatype: Object, data: undefined, schema: overflowing as never },
      )
      .catch((caught: unknown) => caught)) as ValidationFailedException;
    expect(error.getStatus()).toBe(400);
    expect(error.details).toEqual([
      { path: '', message: 'Input is nested too deeply', rule: 'maxDepth', location: 'query' },
    ]);
  });

  it("locates a DTO's violations where the argument came from, capping them once", async () => {
    class Item {
      @IsString()
      name!: string;
    }
    const pipe = new ErrorsValidationPipe({ transform: true });
    const error = (await pipe
      .transform({ name: 5 }, { type: 'query', metatype: Item, data: undefined })
      .catch((caught: unknown) => caught)) as ValidationFailedException;
    expect(error).toBeInstanceOf(ValidationFailedException);
    expect(error.details).toEqual([
      { path: 'name', message: 'name must be a string', rule: 'isString', location: 'query' },
    ]);
    expect(error.message).toBe('Validation failed: name: name must be a string');
  });

  it('caps 10,000 Standard Schema issues once, the count located like the rest', async () => {
    const pipe = new ErrorsValidationPipe();
    const issues = Array.from({ length: 10_000 }, (_, index) => ({
      message: 'Expected string',
      path: ['items', index, 'name'],
    }));
    const failing = {
      '~standard': { version: 1, vendor: 'test', validate: () => ({ issues }) },
    };
    const error = (await pipe
      .transform({}, { type: 'body', metatype: Object, data: undefined, schema: failing as never })
      .catch((caught: unknown) => caught)) as ValidationFailedException;
    expect(error.details).toHaveLength(101);
    expect(error.details![99]).toEqual({
      path: 'items.99.name',
      message: 'Expected string',
      location: 'body',
    });
    expect(error.details![100]).toEqual({
      path: '',
      message: '…and 9,900 more violations',
      rule: 'truncated',
      location: 'body',
    });
    expect(error.message).toMatch(/, …and 9,900 more violations$/);
  });
});
