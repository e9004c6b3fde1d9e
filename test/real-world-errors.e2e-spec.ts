import type { INestApplication } from '@nestjs/common';
import type { EnvelopeErrorBody, ErrorMapper } from 'nest-api-errors';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DB_PASSWORD,
  RealWorldResources,
  SEEDED_EMAIL,
  type SqliteDriver,
  UPSTREAM_BODY,
  UPSTREAM_TOKEN,
  mappersFixtureModule,
  realWorldFixtureModule,
  realWorldTransportsModule,
} from './fixtures/real-world-fixture.js';
import { type Hybrid, SocketClient, rpcError, startHybrid } from './support/hybrid-app.js';
import {
  ADAPTERS,
  type AdapterName,
  type CapturingLogger,
  ISO_TIMESTAMP,
  UUID,
  createTestApp,
} from './support/test-app.js';

// Issue 25, item 1: what TypeORM, Prisma, Mongoose, Axios, @nestjs/axios and fetch really throw
// (test/fixtures/real-world-fixture.ts) leaves as the error it means, in every format and over
// every transport, logged with what it was mapped from and nothing it said.

/** One mapped error: the request, both bodies, the header and the log's origin. */
interface MappedCase {
  name: string;
  method: 'GET' | 'POST';
  /** Under `/envelope` the same route answers in the envelope format. */
  path: string;
  body?: object;
  status: number;
  /** The `ApiError`'s code (none for a generic HTTP error). */
  code?: string;
  /** The message of the timestamped body and the log line. */
  message: string;
  envelope: EnvelopeErrorBody['error'];
  retryAfter?: string;
  /** What the log says it was mapped from. */
  origin: string;
}

const CONFLICT: EnvelopeErrorBody['error'] = {
  message: 'Conflict',
  statusCode: 409,
  code: 'CONFLICT',
  category: 'CONFLICT',
};
const NOT_FOUND: EnvelopeErrorBody['error'] = {
  message: 'Not Found',
  statusCode: 404,
  code: 'NOT_FOUND',
  category: 'NOT_FOUND',
};
const UNAVAILABLE: EnvelopeErrorBody['error'] = {
  message: 'Service Unavailable',
  statusCode: 503,
  code: 'SERVICE_UNAVAILABLE',
  category: 'INTERNAL',
};
const EXTERNAL: EnvelopeErrorBody['error'] = {
  message: 'Third-party service call failed',
  statusCode: 500,
  code: 'EXTERNAL_SERVICE_ERROR',
  category: 'EXTERNAL_SERVICE',
};
const UNIQUE_EMAIL = [{ path: 'email', message: 'email must be unique' }];

const conflict = (
  name: string,
  path: string,
  body: object,
  origin: string,
  unique = true,
): MappedCase => ({
  name,
  method: 'POST',
  path,
  body,
  status: 409,
  message: 'Conflict',
  envelope: unique ? { ...CONFLICT, details: UNIQUE_EMAIL } : CONFLICT,
  origin,
});

const notFound = (name: string, path: string, origin: string): MappedCase => ({
  name,
  method: 'GET',
  path,
  status: 404,
  message: 'Not Found',
  envelope: NOT_FOUND,
  origin,
});

const unavailable = (name: string, path: string, origin: string): MappedCase => ({
  name,
  method: 'GET',
  path,
  status: 503,
  message: 'Service Unavailable',
  envelope: UNAVAILABLE,
  origin,
});

const external = (name: string, path: string, origin: string, retryAfter?: string): MappedCase => ({
  name,
  method: 'GET',
  path,
  status: 500,
  code: 'EXTERNAL_SERVICE_ERROR',
  message: 'Third-party service call failed',
  envelope: EXTERNAL,
  retryAfter,
  origin,
});

/**
 * TypeORM's SQLite drivers: libsql (better-sqlite3's API and error shape) gives codes, sql.js
 * only SQLite's messages.
 */
const typeormCases = (driver: SqliteDriver): MappedCase[] => {
  const code = (name: string) => (driver === 'sqljs' ? '' : ` code=SQLITE_CONSTRAINT_${name}`);
  return [
    conflict(
      `TypeORM (${driver}) unique violation → 409 with the field`,
      `/typeorm/${driver}/authors`,
      { email: SEEDED_EMAIL, name: 'Eve' },
      `QueryFailedError${code('UNIQUE')} table=author fields=email`,
    ),
    conflict(
      `TypeORM (${driver}) foreign key violation → 409`,
      `/typeorm/${driver}/books`,
      { title: 'Notes', authorId: 999 },
      `QueryFailedError${code('FOREIGNKEY')}`,
      false,
    ),
    {
      name: `TypeORM (${driver}) not null violation → 400 VALIDATION_ERROR naming the column`,
      method: 'POST',
      path: `/typeorm/${driver}/authors`,
      body: { email: 'eve@example.com', name: null },
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'Validation failed: name: name is required',
      envelope: {
        message: 'Invalid request body',
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        category: 'VALIDATION',
        details: [{ path: 'name', message: 'name is required' }],
      },
      origin: `QueryFailedError${code('NOTNULL')} table=author fields=name`,
    },
    {
      name: `TypeORM (${driver}) check violation → 400 VALIDATION_ERROR`,
      method: 'POST',
      path: `/typeorm/${driver}/books`,
      body: { title: 'Notes', pages: -1, authorId: 1 },
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'Validation failed',
      envelope: {
        message: 'Validation failed',
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        category: 'VALIDATION',
      },
      origin: `QueryFailedError${code('CHECK')} constraint=chk_pages`,
    },
    notFound(
      `TypeORM (${driver}) findOneByOrFail → 404`,
      `/typeorm/${driver}/authors/77`,
      'EntityNotFoundError entity=Author',
    ),
  ];
};

const CASES: MappedCase[] = [
  ...typeormCases('libsql'),
  ...typeormCases('sqljs'),
  unavailable(
    'TypeORM on Postgres at a closed port → 503',
    '/typeorm/postgres/reports',
    'Error code=ECONNREFUSED',
  ),
  // The libSQL adapter passes on SQLite's extended result code as a number: 2067 is
  // SQLITE_CONSTRAINT_UNIQUE, 787 SQLITE_CONSTRAINT_FOREIGNKEY.
  conflict(
    'Prisma P2002 (the real client on SQLite) → 409 with the field',
    '/prisma/users',
    { email: SEEDED_EMAIL, name: 'Eve' },
    'PrismaClientKnownRequestError code=P2002 model=User driverCode=2067 fields=email',
  ),
  notFound(
    'Prisma P2025 (findUniqueOrThrow) → 404',
    '/prisma/users/77',
    'PrismaClientKnownRequestError code=P2025 model=User',
  ),
  conflict(
    'Prisma P2003 (foreign key) → 409',
    '/prisma/posts',
    { title: 'Notes', authorId: 999 },
    'PrismaClientKnownRequestError code=P2003 model=Post driverCode=787',
    false,
  ),
  unavailable(
    'PrismaClientInitializationError P1001 → 503',
    '/prisma/reports',
    'PrismaClientInitializationError code=P1001',
  ),
  {
    name: 'Mongoose ValidationError → 400, the messages that would repeat a value replaced',
    method: 'POST',
    path: '/mongoose/users',
    body: { email: 'not-an-email-s3cret', role: 'root-s3cret', age: -5 },
    status: 400,
    code: 'VALIDATION_ERROR',
    message:
      'Validation failed: email: email is invalid, role: role is invalid, age: age must not be negative',
    envelope: {
      message: 'Invalid request body',
      statusCode: 400,
      code: 'VALIDATION_ERROR',
      category: 'VALIDATION',
      details: [
        { path: 'email', message: 'email is invalid' },
        { path: 'role', message: 'role is invalid' },
        { path: 'age', message: 'age must not be negative' },
      ],
    },
    origin: 'ValidationError paths=email,role,age',
  },
  {
    name: 'Mongoose CastError (findById with a malformed id) → 400',
    method: 'GET',
    path: '/mongoose/users/not-an-object-id',
    status: 400,
    code: 'VALIDATION_ERROR',
    message: 'Validation failed: _id: _id is invalid',
    envelope: {
      message: 'Invalid request body',
      statusCode: 400,
      code: 'VALIDATION_ERROR',
      category: 'VALIDATION',
      details: [{ path: '_id', message: '_id is invalid' }],
    },
    origin: 'CastError path=_id kind=ObjectId',
  },
  conflict(
    'MongoServerError 11000 → 409 with the keyPattern field',
    '/mongoose/users/import',
    {},
    'MongoServerError code=11000 index=email_1 fields=email',
  ),
  notFound('Mongoose DocumentNotFoundError → 404', '/mongoose/orders/o1', 'DocumentNotFoundError'),
  external('Axios, connection refused', '/upstream/axios/refused', 'AxiosError code=ECONNREFUSED'),
  external(
    'Axios, upstream 503 with Retry-After: 7',
    '/upstream/axios/unavailable',
    'AxiosError code=ERR_BAD_RESPONSE upstreamStatus=503',
    '7',
  ),
  external(
    'Axios, upstream 429 with Retry-After: 30',
    '/upstream/axios/limited',
    'AxiosError code=ERR_BAD_REQUEST upstreamStatus=429',
    '30',
  ),
  external('Axios, timeout', '/upstream/axios/timeout', 'AxiosError code=ECONNABORTED'),
  external(
    "@nestjs/axios's HttpService, upstream 503 with Retry-After: 7",
    '/upstream/http-service/unavailable',
    'AxiosError code=ERR_BAD_RESPONSE upstreamStatus=503',
    '7',
  ),
  external(
    'fetch, connection refused',
    '/upstream/fetch/refused',
    'TypeError fetch=failed cause=Error code=ECONNREFUSED',
  ),
  external(
    'fetch, connection reset (undici SocketError)',
    '/upstream/fetch/reset',
    'TypeError fetch=failed cause=SocketError code=UND_ERR_SOCKET',
  ),
  external('fetch, AbortSignal.timeout()', '/upstream/fetch/timeout', 'DOMException TimeoutError'),
];

/** What must reach no body and no log: values, credentials, the upstream's words, SQL. */
const NEVER_LOGGED = [
  SEEDED_EMAIL,
  DB_PASSWORD,
  UPSTREAM_TOKEN,
  UPSTREAM_BODY,
  's3cret',
  'svc:pw',
  'db.internal',
  '127.0.0.1',
  'INSERT',
  'SELECT',
];

/** And no body: also schema names and the driver's own words. */
const NEVER_SENT = [...NEVER_LOGGED, 'constraint failed', 'author.', 'chk_pages', 'http://'];

/** The log entry of this request id. */
function entryOf(logger: CapturingLogger, requestId: string) {
  const entry = logger.entries.find((candidate) =>
    candidate.message.includes(`requestId=${requestId}:`),
  );
  expect(entry, `no log line with requestId=${requestId}`).toBeDefined();
  return entry!;
}

/**
 * A mapped 4xx is one line at debug ending with its origin; a 5xx is a line at error level and
 * the replacement's stack, then the origin and where the original was thrown.
 */
function expectMappedLog(
  logger: CapturingLogger,
  line: string,
  requestId: string,
  status: number,
  origin: string,
) {
  const entry = entryOf(logger, requestId);
  expect(entry.message).toBe(line);
  if (status < 500) {
    expect(entry.level).toBe('debug');
    return;
  }
  expect(entry.level).toBe('error');
  const stack = String(entry.params[0]);
  expect(stack).toMatch(/^\w+Exception: [^\n]+\n {4}at /);
  expect(stack).toContain(`\nCaused by: ${origin}\n    at `);
}

describe.each(ADAPTERS)(
  'errors real apps throw, mapped, on %s (issue 25)',
  (adapter: AdapterName) => {
    let app: INestApplication;
    let logger: CapturingLogger;
    let ports: string[];

    beforeAll(async () => {
      ({ app, logger } = await createTestApp(adapter, { imports: [realWorldFixtureModule()] }));
      const resources = app.get(RealWorldResources);
      ports = [String(resources.closedPort), new URL(resources.upstream).port];
    });
    afterAll(() => app?.close());

    const send = (spec: MappedCase, path: string) =>
      spec.method === 'POST'
        ? request(app.getHttpServer()).post(path).send(spec.body)
        : request(app.getHttpServer()).get(path);

    it.each(CASES.map((spec) => [spec.name, spec] as const))('%s', async (_, spec) => {
      logger.clear();
      const response = await send(spec, spec.path);
      const envelope = await send(spec, `/envelope${spec.path}`);
      const requestId = response.headers['x-request-id'] as string;
      expect(requestId).toMatch(UUID);

      expect(response.status).toBe(spec.status);
      expect(response.body).toEqual({
        statusCode: spec.status,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: spec.path,
        message: spec.message,
        // The timestamped format shows a code on domain errors only (not on validation failures).
        ...(spec.code === undefined || spec.code === 'VALIDATION_ERROR' ? {} : { code: spec.code }),
      });
      expect(envelope.status).toBe(spec.status);
      expect(envelope.body).toEqual({ error: spec.envelope });
      for (const answer of [response, envelope]) {
        expect(answer.headers['retry-after']).toBe(spec.retryAfter);
        for (const secret of [...NEVER_SENT, ...ports]) {
          expect(answer.text).not.toContain(secret);
        }
      }

      const code = spec.code === undefined ? '' : ` ${spec.code}`;
      expectMappedLog(
        logger,
        `${spec.method} ${spec.path} ${spec.status}${code} requestId=${requestId}: ${spec.message} (mapped from ${spec.origin})`,
        requestId,
        spec.status,
        spec.origin,
      );
      for (const secret of [...NEVER_LOGGED, ...ports.map((port) => `:${port}`)]) {
        expect(logger.text()).not.toContain(secret);
      }
    });
  },
);

describe.each([
  ['express', 'socket.io'],
  ['fastify', 'ws'],
] as const)(
  'mapped errors over GraphQL, TCP and WebSockets on %s with %s',
  (platform, wsAdapter) => {
    let hybrid: Hybrid;

    beforeAll(async () => {
      hybrid = await startHybrid(
        realWorldTransportsModule({ format: 'envelope' }),
        platform,
        wsAdapter,
      );
    });
    afterAll(() => hybrid?.close());

    it('a GraphQL resolver: Prisma P2002 is the field error 409 CONFLICT with its details', async () => {
      const response = await request(hybrid.app.getHttpServer())
        .post('/graphql')
        .send({ query: '{ realWorldAccount(id: 7) { id } }' });
      const requestId = response.headers['x-request-id'] as string;
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        errors: [
          {
            message: 'Conflict',
            path: ['realWorldAccount'],
            locations: [{ line: 1, column: 3 }],
            extensions: {
              code: 'CONFLICT',
              statusCode: 409,
              category: 'CONFLICT',
              details: UNIQUE_EMAIL,
              requestId,
            },
          },
        ],
        data: { realWorldAccount: null },
      });
      expect(entryOf(hybrid.logger, requestId).message).toBe(
        `POST /graphql 409 requestId=${requestId}: Conflict (mapped from PrismaClientKnownRequestError code=P2002 model=User fields=email)`,
      );
      expect(response.text).not.toContain(SEEDED_EMAIL);
    });

    it('a TCP message handler: TypeORM EntityNotFoundError is the 404 payload', async () => {
      const error = (await rpcError(hybrid.client, 'authors.get', { id: 7 })) as {
        requestId: string;
      };
      expect(error).toEqual({
        error: NOT_FOUND,
        statusCode: 404,
        requestId: expect.stringMatching(UUID),
      });
      expect(entryOf(hybrid.logger, error.requestId).message).toBe(
        `RPC authors.get 404 requestId=${error.requestId}: Not Found (mapped from EntityNotFoundError entity=Author)`,
      );
    });

    it('a WebSocket gateway: MongoServerError 11000 is the 409 exception with its details', async () => {
      const socket = await SocketClient.connect(wsAdapter, hybrid.url);
      try {
        const payload = (await socket.exception('users.import')) as { requestId: string };
        expect(payload).toEqual({
          error: { ...CONFLICT, details: UNIQUE_EMAIL },
          requestId: expect.stringMatching(UUID),
        });
        expect(JSON.stringify(payload)).not.toContain(SEEDED_EMAIL);
        expect(entryOf(hybrid.logger, payload.requestId).message).toBe(
          `WS users.import 409 requestId=${payload.requestId}: Conflict (mapped from MongoServerError code=11000 index=email_1 fields=email)`,
        );
      } finally {
        socket.close();
      }
    });
  },
);

/** Mappers that break, each as the only mapper in front of the defaults. */
const BROKEN: Record<string, { mapper: ErrorMapper; failure: string }> = {
  throws: {
    mapper: function throwsMapper() {
      throw new TypeError("Cannot read properties of undefined (reading 'meta')");
    },
    failure: 'threw',
  },
  'returns a string': { mapper: () => 'Conflict', failure: 'returned a string' },
  'returns a plain object': {
    mapper: () => ({ status: 409, message: 'Conflict' }),
    failure: 'returned an object',
  },
  'returns a Promise': {
    mapper: async () => new Error('late'),
    failure: 'returned a Promise (mappers are synchronous)',
  },
};

describe.each(ADAPTERS)('the mappers option on %s', (adapter: AdapterName) => {
  const apps: INestApplication[] = [];
  async function start(mappers?: readonly ErrorMapper[]) {
    const started = await createTestApp(adapter, { imports: [mappersFixtureModule(mappers)] });
    apps.push(started.app);
    return started;
  }
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  it("an app's own mapper in front of the defaults: both apply", async () => {
    const { app } = await start();
    const payment = await request(app.getHttpServer()).post('/payments');
    expect(payment.status).toBe(402);
    expect(payment.body).toEqual({
      statusCode: 402,
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
      path: '/payments',
      message: 'The card was declined',
      code: 'PAYMENT_REQUIRED',
    });
    expect((await request(app.getHttpServer()).get('/authors/7')).status).toBe(404);
  });

  it('[] turns mapping off: TypeORM EntityNotFoundError is the generic 500 again', async () => {
    const { app, logger } = await start([]);
    const response = await request(app.getHttpServer()).get('/authors/7');
    expect(response.status).toBe(500);
    expect(response.body.message).toBe('Internal server error');
    const entry = entryOf(logger, response.headers['x-request-id'] as string);
    expect(String(entry.params[0])).toMatch(/^EntityNotFoundError: Could not find any entity/);
  });

  it.each(Object.entries(BROKEN))(
    'a mapper that %s: the generic 500, the failure logged naming it, never a hang',
    async (_, { mapper, failure }) => {
      const { app, logger } = await start([mapper]);
      for (const path of ['/authors/7', '/crash']) {
        const response = await request(app.getHttpServer()).get(path);
        const requestId = response.headers['x-request-id'] as string;
        expect(response.status).toBe(500);
        expect(response.body).toEqual({
          statusCode: 500,
          timestamp: expect.stringMatching(ISO_TIMESTAMP),
          path,
          message: 'Internal server error',
        });
        const entry = entryOf(logger, requestId);
        expect(entry.level).toBe('error');
        expect(entry.message).toBe(`GET ${path} 500 requestId=${requestId}: Internal server error`);
        const original = path === '/crash' ? 'Error' : 'EntityNotFoundError';
        const name = mapper.name === '' ? '' : ` (${mapper.name})`;
        expect(String(entry.params[0])).toMatch(
          new RegExp(
            `^ErrorMapperFailure: The error mapper mappers\\[0\\]${name.replace(/[()]/g, '\\$&')} ${failure.replace(/[()]/g, '\\$&')} while mapping ${original}; a generic 500 was sent\\n {4}at `,
          ),
        );
      }
    },
  );
});
