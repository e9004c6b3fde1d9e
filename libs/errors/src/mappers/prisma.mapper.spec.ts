import {
  PrismaClientInitializationError,
  PrismaClientKnownRequestError,
  PrismaClientValidationError,
} from '@prisma/client/runtime/client';
import { describe, expect, it } from 'vitest';
import { generic, invalid, mapWith } from './mapper.spec-helper.js';
import { prismaErrors } from './prisma.mapper.js';

// The real error classes of Prisma 7's runtime, built as the client builds them (the client
// itself runs against SQLite in test/real-world-errors.e2e-spec.ts). Their messages quote the
// call, values and the database host: the log's origin never repeats them.

const CLIENT_VERSION = '7.10.0';
const SECRET = 'ada@example.com';

function known(code: string, meta?: Record<string, unknown>) {
  return new PrismaClientKnownRequestError(
    `Invalid \`prisma.user.create()\` invocation: ${SECRET} postgres://app:pw@db.internal:5432`,
    { code, clientVersion: CLIENT_VERSION, meta },
  );
}

const map = (thrown: unknown) => mapWith(prismaErrors(), thrown);

describe('prismaErrors', () => {
  it('P2002 (Prisma 6 meta.target) is a 409 with one detail per field', () => {
    const { error, origin } = map(
      known('P2002', { modelName: 'User', target: ['email', 'tenantId'] }),
    );
    expect(error).toEqual(
      generic(409, {
        details: [
          { path: 'email', message: 'email must be unique', rule: 'unique' },
          { path: 'tenantId', message: 'tenantId must be unique', rule: 'unique' },
        ],
      }),
    );
    expect(origin).toBe(
      'PrismaClientKnownRequestError code=P2002 model=User fields=email,tenantId',
    );
  });

  it('P2002 from a Prisma 7 driver adapter names its fields and the database code', () => {
    const { error, origin } = map(
      known('P2002', {
        modelName: 'User',
        driverAdapterError: {
          name: 'DriverAdapterError',
          cause: {
            originalCode: '23505',
            originalMessage: `duplicate key value violates unique constraint: ${SECRET}`,
            kind: 'UniqueConstraintViolation',
            constraint: { fields: ['email'] },
          },
        },
      }),
    );
    expect(error).toEqual(
      generic(409, {
        details: [{ path: 'email', message: 'email must be unique', rule: 'unique' }],
      }),
    );
    expect(origin).toBe(
      'PrismaClientKnownRequestError code=P2002 model=User driverCode=23505 fields=email',
    );
  });

  it('P2002 that names an index instead of fields: 409 without details, the index logged', () => {
    const { error, origin } = map(known('P2002', { modelName: 'User', target: 'User_email_key' }));
    expect(error).toEqual(generic(409));
    expect(origin).toBe(
      'PrismaClientKnownRequestError code=P2002 model=User constraint=User_email_key',
    );
  });

  it.each(['P2025', 'P2001'])('%s (record not found) is a 404', (code) => {
    const { error, origin } = map(
      known(code, { modelName: 'User', cause: `No record for ${SECRET}` }),
    );
    expect(error).toEqual(generic(404));
    expect(origin).toBe(`PrismaClientKnownRequestError code=${code} model=User`);
  });

  it('P2003 (foreign key) is a 409, its constraint logged', () => {
    const { error, origin } = map(
      known('P2003', { modelName: 'Post', field_name: 'Post_authorId_fkey (index)' }),
    );
    expect(error).toEqual(generic(409));
    expect(origin).toBe(
      'PrismaClientKnownRequestError code=P2003 model=Post constraint=Post_authorId_fkey',
    );
  });

  it('P2034 (write conflict) is a 409 worth retrying', () => {
    expect(map(known('P2034')).error).toEqual(generic(409, { retryable: true }));
  });

  it.each([
    [
      'P2000',
      { column_name: 'name' },
      { path: 'name', message: 'name is too long', rule: 'tooLong' },
    ],
    [
      'P2005',
      { field_name: 'age', field_value: SECRET },
      { path: 'age', message: 'age is invalid', rule: 'invalid' },
    ],
    ['P2006', { field_name: 'age' }, { path: 'age', message: 'age is invalid', rule: 'invalid' }],
    [
      'P2011',
      { constraint: ['name'] },
      { path: 'name', message: 'name is required', rule: 'required' },
    ],
    [
      'P2012',
      { path: 'User.name' },
      { path: 'name', message: 'name is required', rule: 'required' },
    ],
  ])('%s is a 400 VALIDATION_ERROR naming the field', (code, meta, violation) => {
    const { error, origin } = map(known(code, { modelName: 'User', ...meta }));
    expect(error).toEqual(invalid([violation]));
    expect(origin).toBe(
      `PrismaClientKnownRequestError code=${code} model=User fields=${violation.path}`,
    );
  });

  it('P2007 and a P2011 from a driver adapter: the field where Prisma names one', () => {
    expect(map(known('P2007', { database_error: `invalid ${SECRET}` })).error).toEqual(invalid());
    const adapter = known('P2011', {
      modelName: 'User',
      driverAdapterError: {
        cause: { kind: 'NullConstraintViolation', constraint: { fields: ['name'] } },
      },
    });
    expect(map(adapter).error).toEqual(
      invalid([{ path: 'name', message: 'name is required', rule: 'required' }]),
    );
  });

  it.each(['P1001', 'P1002', 'P1008', 'P1017'])('%s (database unreachable) is a 503', (code) => {
    const { error, origin } = map(known(code));
    expect(error).toEqual(generic(503));
    expect(origin).toBe(`PrismaClientKnownRequestError code=${code}`);
  });

  it('PrismaClientInitializationError is a 503', () => {
    const thrown = new PrismaClientInitializationError(
      `Can't reach database server at \`db.internal:5432\``,
      CLIENT_VERSION,
      'P1001',
    );
    const { error, origin } = map(thrown);
    expect(error).toEqual(generic(503));
    expect(origin).toBe('PrismaClientInitializationError code=P1001');
  });

  it('never logs a value, a host or an unsafe name from meta', () => {
    const { origin } = map(
      known('P2002', { modelName: 'User; DROP', target: [`email`, `${SECRET} x`, "o'brien"] }),
    );
    expect(origin).toBe('PrismaClientKnownRequestError code=P2002 fields=email');
  });

  it('passes what it does not know: other codes, other classes, look-alikes', () => {
    for (const thrown of [
      known('P2010'),
      new PrismaClientValidationError('Argument `email` is missing.', {
        clientVersion: CLIENT_VERSION,
      }),
      Object.assign(new Error('x'), { name: 'PrismaClientKnownRequestError' }),
      { name: 'PrismaClientKnownRequestError', code: 'P2002' },
      'P2002',
    ]) {
      expect(prismaErrors()(thrown)).toBeUndefined();
    }
  });
});
