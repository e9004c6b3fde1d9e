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
});
