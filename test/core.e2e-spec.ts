import type { INestApplication } from '@nestjs/common';
import { errorCatalog } from 'nest-api-errors';
import { expectApiError } from 'nest-api-errors/testing';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { coreFixtureModule } from './fixtures/core-fixture.module.js';
import { rawRequest } from './support/platform-requests.js';
import {
  ADAPTERS,
  type AdapterName,
  type CapturingLogger,
  UUID,
  createTestApp,
} from './support/test-app.js';

/** Asserts a whole timestamped error: status, headers, body with its exact keys in order. */
function expectTimestamped(
  response: Response,
  expected: { statusCode: number; path: string; message: string; code?: string },
  requestId: RegExp | string = UUID,
) {
  expectApiError(
    response,
    { status: expected.statusCode, code: expected.code, message: expected.message },
    { path: expected.path, format: 'timestamped' },
  );
  expect(response.headers['x-request-id']).toMatch(
    typeof requestId === 'string' ? new RegExp(`^${requestId}$`) : requestId,
  );
}

const SESSIONS_AND_FILES = errorCatalog().filter(
  (entry) => entry.domain === 'sessions' || entry.domain === 'vault-files',
);

describe.each(ADAPTERS)('core error contract on %s', (adapter: AdapterName) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // No useGlobalFilters/useGlobalPipes: forRoot alone must install both in a testing module.
    ({ app, logger } = await createTestApp(
      adapter,
      { imports: [coreFixtureModule()] },
      { bodyLimit: 1024 },
    ));
  });
  afterAll(() => app.close());
  beforeEach(() => logger.clear());

  describe('domain errors', () => {
    it('covers all 14 sessions and vault files codes', () => {
      expect(SESSIONS_AND_FILES).toHaveLength(14);
    });

    it.each(SESSIONS_AND_FILES)(
      '$code → $status with its documented message and code',
      async (entry) => {
        const response = await http().get(`/catalog/${entry.code}`);
        expectTimestamped(response, {
          statusCode: entry.status,
          path: `/catalog/${entry.code}`,
          message: entry.message,
          code: entry.code,
        });
      },
    );

    it('answers a documented 5xx with its documented message, logged with its stack', async () => {
      const response = await http().get('/catalog/PRESIGNED_URL_GENERATION_FAILED');
      expect(response.body.message).toBe('Failed to generate download URL');
      const line = logger.entries.find((entry) => entry.level === 'error');
      expect(line?.message).toBe(
        `GET /catalog/PRESIGNED_URL_GENERATION_FAILED 503 PRESIGNED_URL_GENERATION_FAILED requestId=${response.headers['x-request-id']}: Failed to generate download URL`,
      );
      expect(String(line?.params[0])).toContain('at CoreFixtureController.catalog');
    });
  });

  describe('Nest built-in exceptions', () => {
    it('NotFoundException keeps its message and has no code', async () => {
      expectTimestamped(await http().get('/builtin/not-found'), {
        statusCode: 404,
        path: '/builtin/not-found',
        message: 'Flow not found',
      });
    });

    it("honours Nest 12's errorCode option", async () => {
      expectTimestamped(await http().get('/builtin/error-code'), {
        statusCode: 404,
        path: '/builtin/error-code',
        message: 'Flow not found',
        code: 'FLOW_NOT_FOUND',
      });
    });

    it('ParseUUIDPipe failure is a generic 400', async () => {
      expectTimestamped(await http().get('/flows/not-a-uuid'), {
        statusCode: 400,
        path: '/flows/not-a-uuid',
        message: 'Validation failed (uuid is expected)',
      });
    });

    it('a 5xx with an internal message shows only the status text', async () => {
      const response = await http().get('/builtin/unavailable');
      expectTimestamped(response, {
        statusCode: 503,
        path: '/builtin/unavailable',
        message: 'Service Unavailable',
      });
      expect(response.text).not.toContain('10.0.0.7');
      expect(logger.text()).toContain('redis at 10.0.0.7:6379 refused the connection');
    });
  });

  describe('validation', () => {
    it('class-validator: nested objects and arrays give dot-paths, no code', async () => {
      const response = await http()
        .post('/orders')
        .send({ items: [{ name: 5, quantity: 1 }], age: 'x' });
      expectTimestamped(response, {
        statusCode: 400,
        path: '/orders',
        message:
          'Validation failed: items.0.name: name must be a string, age: age must be an integer number',
      });
    });

    it('class-validator: one violation per failed constraint, deep in arrays', async () => {
      const response = await http()
        .post('/orders')
        .send({
          items: [
            { name: 'a', quantity: 1 },
            { name: 'b', quantity: 0.5 },
          ],
          age: 3,
        });
      expect(response.body.message).toBe(
        'Validation failed: items.1.quantity: quantity must not be less than 1, items.1.quantity: quantity must be an integer number',
      );
    });

    it('class-validator: query parameters', async () => {
      expectTimestamped(await http().get('/orders?limit=ten'), {
        statusCode: 400,
        path: '/orders',
        message: 'Validation failed: limit: limit must be an integer number',
      });
    });

    it('passes valid input through, transformed', async () => {
      const response = await http()
        .post('/orders')
        .send({ items: [{ name: 'a', quantity: 2 }], age: 3 });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ items: [{ name: 'a', quantity: 2 }], age: 3 });
    });

    it('Standard Schema (zod) body: the same exception with the same paths', async () => {
      const response = await http()
        .post('/schema/orders')
        .send({ items: [{ name: 5, quantity: 1 }], age: 'x' });
      expectTimestamped(response, {
        statusCode: 400,
        path: '/schema/orders',
        message:
          'Validation failed: items.0.name: Invalid input: expected string, received number, age: Invalid input: expected number, received string',
      });
    });

    it('Standard Schema (zod) query', async () => {
      expectTimestamped(await http().get('/schema/orders?limit=500'), {
        statusCode: 400,
        path: '/schema/orders',
        message: 'Validation failed: limit: Too big: expected number to be <=100',
      });
    });

    it('Standard Schema: valid input gets the parsed value', async () => {
      const response = await http().get('/schema/orders?limit=5');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ limit: 5 });
    });
  });

  describe('routing and body parsing', () => {
    it('unknown route: the query string appears nowhere in the body', async () => {
      const response = await http().get('/nope?token=s3cr3t&x=1');
      expectTimestamped(response, { statusCode: 404, path: '/nope', message: 'Cannot GET /nope' });
      expect(response.text).not.toContain('s3cr3t');
      expect(response.text).not.toContain('?');
    });

    it('malformed JSON → 400', async () => {
      const response = await http()
        .post('/echo')
        .set('Content-Type', 'application/json')
        .send('{"a":');
      expectTimestamped(response, {
        statusCode: 400,
        path: '/echo',
        message: 'Malformed JSON in request body',
      });
    });

    it('body over the limit → 413', async () => {
      const response = await http()
        .post('/echo')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ a: 'x'.repeat(2048) }));
      expectTimestamped(response, {
        statusCode: 413,
        path: '/echo',
        message: 'Request body is too large',
      });
    });

    it('unsupported content type → 415', async () => {
      // Fastify refuses a media type it has no parser for; Express's body-parser skips unknown
      // media types (README § Express and unknown media types) and refuses unknown charsets.
      const contentType =
        adapter === 'fastify' ? 'application/xml' : 'application/json; charset=latin1';
      const response = await http().post('/echo').set('Content-Type', contentType).send('<a/>');
      expectTimestamped(response, {
        statusCode: 415,
        path: '/echo',
        message: 'Unsupported media type',
      });
    });

    it('bad input is logged as one client-error line', async () => {
      const response = await http().post('/echo').set('Content-Type', 'application/json').send('{');
      expect(logger.entries).toEqual([
        {
          level: 'debug',
          message: `POST /echo 400 requestId=${response.headers['x-request-id']}: Malformed JSON in request body`,
          params: ['ErrorsFilter'],
        },
      ]);
    });
  });

  describe('internal errors', () => {
    it("throw new Error('password=hunter2') → 500, the secret only in the log", async () => {
      const response = await http().get('/crash/error');
      expectTimestamped(response, {
        statusCode: 500,
        path: '/crash/error',
        message: 'Internal server error',
      });
      expect(response.text).not.toContain('hunter2');
      const line = logger.entries.find((entry) => entry.level === 'error')!;
      expect(line.message).toBe(
        `GET /crash/error 500 requestId=${response.headers['x-request-id']}: Internal server error`,
      );
      expect(String(line.params[0])).toMatch(/^Error: password=hunter2\n\s+at /);
    });

    it("InternalServerErrorException('db down') → no 'db down' in the body", async () => {
      const response = await http().get('/crash/internal');
      expectTimestamped(response, {
        statusCode: 500,
        path: '/crash/internal',
        message: 'Internal server error',
      });
      expect(response.text).not.toContain('db down');
      expect(logger.text()).toContain('db down');
    });

    it.each(['string', 'null', 'undefined', 'number', 'circular', 'getter'])(
      'a thrown %s → 500, and the server keeps serving',
      async (kind) => {
        const response = await http().get(`/crash/${kind}`);
        expectTimestamped(response, {
          statusCode: 500,
          path: `/crash/${kind}`,
          message: 'Internal server error',
        });
        expect(logger.entries.filter((entry) => entry.level === 'error')).toHaveLength(1);
        const next = await http().get('/ok');
        expect(next.status).toBe(200);
        expect(next.body).toEqual({ ok: true });
      },
    );

    it('an error after the response started: no crash, no second write, logged', async () => {
      const response = await http().get('/partial');
      expect(response.status).toBe(200);
      expect(response.text).toBe('partial');
      expect(logger.entries.map((entry) => entry.level)).toEqual(['error', 'warn']);
      expect(logger.entries[1]!.message).toContain('the response had already started');
      expect((await http().get('/ok')).status).toBe(200);
    });
  });

  describe('request ids', () => {
    it('echoes a valid incoming X-Request-Id', async () => {
      const response = await http()
        .get('/builtin/not-found')
        .set('X-Request-Id', 'client-req.42:a_b');
      expect(response.headers['x-request-id']).toBe('client-req.42:a_b');
    });

    it.each([
      ['a tab', 'abc\tdef'],
      ['500 characters', 'a'.repeat(500)],
      ['non-ASCII', 'idé-ñ'],
      ['an encoded CRLF', 'abc%0D%0ASet-Cookie:x=1'],
    ])('replaces a hostile one (%s)', async (_, hostile) => {
      const response = await http().get('/builtin/not-found').set('X-Request-Id', hostile);
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it('a CRLF inside the header only ends that header: nothing is injected into the response', async () => {
      const raw = await rawRequest(
        app,
        'GET /builtin/not-found HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: \r\nSet-Cookie: injected=1\r\nConnection: close\r\n\r\n',
      );
      expect(raw).toMatch(/^HTTP\/1\.1 404 /);
      expect(raw.toLowerCase()).not.toContain('set-cookie');
      expect(raw).toMatch(/\r\nx-request-id: [0-9a-f-]{36}\r\n/i);
    });

    it('generates one when none came in, and logs the same id', async () => {
      const response = await http().get('/crash/error');
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(logger.text()).toContain(`requestId=${response.headers['x-request-id']}`);
    });
  });
});
