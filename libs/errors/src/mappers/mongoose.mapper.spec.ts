import { MongoServerError, MongoServerSelectionError } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { generic, invalid, mapWith } from './mapper.spec-helper.js';
import { mongooseErrors } from './mongoose.mapper.js';

// Real Mongoose validation and cast errors (no server needed), and the driver's real
// MongoServerError built as a server's duplicate-key reply makes it.

const Member = mongoose.model(
  'MapperSpecMember',
  new Schema(
    {
      email: { type: String, required: true, match: /^[^@\s]+@[^@\s]+$/ },
      role: { type: String, enum: ['admin', 'member'] },
      age: { type: Number, min: [0, 'age must not be negative'] },
      nickname: { type: String, maxlength: [8, 'nickname is too long (at most 8)'] },
      motto: {
        type: String,
        validate: { validator: () => false, message: 'motto {VALUE} is taken' },
      },
      profile: { score: Number },
      tags: [Number],
    },
    { bufferCommands: false },
  ),
);

const map = (thrown: unknown) => mapWith(mongooseErrors(), thrown);

async function validationError(fields: Record<string, unknown>): Promise<unknown> {
  return new Member(fields).validate().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('mongooseErrors', () => {
  it('ValidationError: one detail per path, the validator message unless it repeats the value', async () => {
    const { error, origin } = map(
      await validationError({
        email: 'not-an-email-s3cret',
        role: 'root-s3cret',
        age: -5,
        nickname: 'x'.repeat(20),
        motto: 'carpe-s3cret',
        profile: { score: 'high-s3cret' },
        tags: ['seven-s3cret'],
      }),
    );
    expect(error).toEqual(
      invalid([
        { path: 'profile.score', message: 'profile.score is invalid', rule: 'cast' },
        { path: 'tags.0', message: 'tags.0 is invalid', rule: 'cast' },
        { path: 'email', message: 'email is invalid', rule: 'regexp' },
        { path: 'role', message: 'role is invalid', rule: 'enum' },
        { path: 'age', message: 'age must not be negative', rule: 'min' },
        { path: 'nickname', message: 'nickname is too long (at most 8)', rule: 'maxlength' },
        { path: 'motto', message: 'motto is invalid', rule: 'invalid' },
      ]),
    );
    expect(JSON.stringify(error)).not.toContain('s3cret');
    expect(origin).toBe('ValidationError paths=profile.score,tags.0,email,role,age,nickname,motto');
  });

  it('keeps a required message (no value to repeat)', async () => {
    expect(map(await validationError({})).error).toEqual(
      invalid([{ path: 'email', message: 'Path `email` is required.', rule: 'required' }]),
    );
  });

  it('CastError (findById with a malformed id) is a 400 naming the path', async () => {
    const thrown = await Member.findById('not-an-object-id')
      .exec()
      .catch((cast: unknown) => cast);
    const { error, origin } = map(thrown);
    expect(error).toEqual(invalid([{ path: '_id', message: '_id is invalid', rule: 'cast' }]));
    expect(origin).toBe('CastError path=_id kind=ObjectId');
  });

  it('DocumentNotFoundError (orFail) is a 404', () => {
    // Mongoose's constructor is (filter, model, numAffected, result); its typings know a message only.
    const thrown: unknown = Reflect.construct(mongoose.Error.DocumentNotFoundError, [
      { email: 'ada@example.com' },
      'Member',
      0,
      {},
    ]);
    const { error, origin } = map(thrown);
    expect(error).toEqual(generic(404));
    expect(origin).toBe('DocumentNotFoundError');
  });

  it('MongoServerError 11000 is a 409 with one detail per key field; the value never shows', () => {
    const { error, origin } = map(
      new MongoServerError({
        message:
          'E11000 duplicate key error collection: shop.members index: email_1_tenant_1 dup key: { email: "ada@example.com", tenant: 7 }',
        code: 11000,
        keyPattern: { email: 1, tenant: 1 },
        keyValue: { email: 'ada@example.com', tenant: 7 },
      }),
    );
    expect(error).toEqual(
      generic(409, {
        details: [
          { path: 'email', message: 'email must be unique', rule: 'unique' },
          { path: 'tenant', message: 'tenant must be unique', rule: 'unique' },
        ],
      }),
    );
    expect(origin).toBe('MongoServerError code=11000 index=email_1_tenant_1 fields=email,tenant');
  });

  it('no server to select is a 503', () => {
    const thrown = new MongoServerSelectionError('connect ECONNREFUSED 10.0.0.5:27017', {
      type: 'Unknown',
      servers: new Map(),
    } as unknown as ConstructorParameters<typeof MongoServerSelectionError>[1]);
    expect(map(thrown)).toEqual({ error: generic(503), origin: 'MongoServerSelectionError' });
  });

  it("passes what it does not know: other server errors, other libraries' ValidationErrors", () => {
    const yup = Object.assign(new Error('2 errors occurred'), {
      name: 'ValidationError',
      errors: ['a is required'],
    });
    const joi = Object.assign(new Error('"a" is required'), {
      name: 'ValidationError',
      details: [],
    });
    for (const thrown of [
      new MongoServerError({ message: 'not primary', code: 10107 }),
      yup,
      joi,
      Object.assign(new Error('x'), { name: 'CastError' }),
      { name: 'ValidationError', errors: { a: { name: 'ValidatorError', path: 'a' } } },
    ]) {
      expect(mongooseErrors()(thrown)).toBeUndefined();
    }
  });
});
