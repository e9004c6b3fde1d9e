import type { INestApplication } from '@nestjs/common';
import { Ajv } from 'ajv';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixtureModule } from './fixtures/core-fixture.module.js';
import { formatSchema } from './support/format-schemas.js';
import { ADAPTERS, type CapturingLogger, UUID, createTestApp } from './support/test-app.js';

const conforms = new Ajv({ strict: false, validateFormats: false }).compile(
  formatSchema('timestamped'),
);

/** The documented status, a body that matches the format's schema, and the standard headers. */
function expectConforming(response: Response, status: number, message?: string | RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['x-request-id']).toMatch(UUID);
  const body = JSON.parse(response.text) as { message: string };
  expect(conforms(body), JSON.stringify(conforms.errors)).toBe(true);
  expect(response.text).not.toMatch(/\n\s+at /);
  if (message !== undefined) {
    expect(body.message).toEqual(
      typeof message === 'string' ? message : expect.stringMatching(message),
    );
  }
}

const deeplyNested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe.each(ADAPTERS)('hostile HTTP input on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // 2 MiB: large enough for the 10,000-element array, small enough for the 10 MB body to fail.
    ({ app, logger } = await createTestApp(
      adapter,
      { imports: [coreFixtureModule()] },
      { bodyLimit: 2 * 1024 * 1024 },
    ));
  });
  afterAll(() => app.close());

  it.each([
    ['malformed', '{"items":[{"name":"a",}]}'],
    ['truncated', '{"items":[{"name":"a"'],
    ['not JSON at all', 'hello'],
  ])('%s JSON → 400 Malformed JSON in request body', async (_, text) => {
    const response = await http()
      .post('/orders')
      .set('Content-Type', 'application/json')
      .send(text);
    expectConforming(response, 400, 'Malformed JSON in request body');
  });

  it('JSON nested 10,000 levels → 400, and the server keeps serving', async () => {
    const response = await http()
      .post('/orders')
      .set('Content-Type', 'application/json')
      .send(deeplyNested(10_000));
    expectConforming(response, 400, 'Validation failed: Input is nested too deeply');
    expect((await http().get('/ok')).status).toBe(200);
  });

  it('a 10 MB body → 413 Request body is too large', async () => {
    const response = await http()
      .post('/orders')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ items: [], age: 1, pad: 'x'.repeat(10 * 1024 * 1024) }));
    expectConforming(response, 413, 'Request body is too large');
  });

  it('no content type → the body is not parsed: 400 from validation (Express) or 415 (Fastify)', async () => {
    const response = await http()
      .post('/orders')
      .set('Content-Type', '')
      .send(Buffer.from('{"items":[],"age":1}'));
    if (adapter === 'fastify') {
      expectConforming(response, 415, 'Unsupported media type');
    } else {
      expectConforming(response, 400, /^Validation failed: /);
    }
  });

  it('a wrong content type → 400 from validation, never a 500', async () => {
    const response = await http()
      .post('/orders')
      .set('Content-Type', 'text/plain')
      .send('{"items":[],"age":1}');
    expect([400, 415]).toContain(response.status);
    expectConforming(response, response.status);
  });

  it('invalid UTF-8 → a 400, never a 500', async () => {
    const bytes = Buffer.from([
      0x7b, 0x22, 0x61, 0x67, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d,
    ]);
    const response = await http()
      .post('/orders')
      .set('Content-Type', 'application/json')
      .send(bytes);
    expectConforming(response, 400);
  });

  it('__proto__ and constructor keys pollute nothing', async () => {
    const text =
      '{"items":[],"age":1,"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}';
    const validated = await http()
      .post('/orders')
      .set('Content-Type', 'application/json')
      .send(text);
    const echoed = await http().post('/echo').set('Content-Type', 'application/json').send(text);
    expect(({} as { polluted?: string }).polluted).toBeUndefined();
    expect((Object.prototype as { polluted?: string }).polluted).toBeUndefined();
    // Fastify refuses such bodies outright; Express parses them as own keys (JSON.parse never pollutes).
    for (const response of [validated, echoed]) {
      expect(response.status).toBeLessThan(500);
    }
  });

  it('a 10,000-element array failing validation: details and message capped at 100, the rest summarized', async () => {
    const items = Array.from({ length: 10_000 }, () => ({ name: 5, quantity: 1 }));
    const response = await http().post('/orders').send({ items, age: 1 });
    expectConforming(
      response,
      400,
      /^Validation failed: items\.0\.name: name must be a string, .*, …and 9,900 more violations$/,
    );
    expect(response.text.length).toBeLessThan(10_000);
  });

  it.each(['/orders', '/schema/orders'])(
    'POST %s with 10,000 violations: capped once, details end with the count of the rest',
    async (path) => {
      // The envelope format lists the details the message summarizes.
      const { app: envelope } = await createTestApp(
        adapter,
        { imports: [coreFixtureModule({ format: 'envelope' })] },
        { bodyLimit: 2 * 1024 * 1024 },
      );
      try {
        const items = Array.from({ length: 10_000 }, () => ({ name: 5, quantity: 1 }));
        const response = await request(envelope.getHttpServer()).post(path).send({ items, age: 1 });
        expect(response.status).toBe(400);
        const { details } = (response.body as { error: { details: unknown[] } }).error;
        expect(details).toHaveLength(101);
        expect(details[99]).toEqual({ path: 'items.99.name', message: expect.any(String) });
        expect(details[100]).toEqual({ path: '', message: '…and 9,900 more violations' });
      } finally {
        await envelope.close();
      }
    },
  );

  it.each([
    ['CRLF, percent-encoded', 'abc%0D%0Ainjected'],
    ['10 KB', 'a'.repeat(10 * 1024)],
    ['non-ASCII', 'ïd-ñ'],
  ])('X-Request-Id that is %s is replaced', async (_, hostile) => {
    const response = await http().get('/builtin/not-found').set('X-Request-Id', hostile);
    expectConforming(response, 404);
  });

  it.each([
    ['a validation failure', () => http().post('/orders?token=s3cr3t-q').send({ items: 'x' }), 400],
    ['a 500', () => http().get('/crash/error?token=s3cr3t-q'), 500],
    ['an unknown route', () => http().get('/nowhere?token=s3cr3t-q'), 404],
    [
      'a malformed body',
      () => http().post('/echo?token=s3cr3t-q').set('Content-Type', 'application/json').send('{'),
      400,
    ],
  ])('secrets in the query string are never echoed: %s', async (_, send, status) => {
    const response = await send();
    expectConforming(response, status);
    expect(response.text).not.toContain('s3cr3t-q');
    expect(response.text).not.toContain('token');
  });

  it('every one of those left a log line, and no error line for a client error', () => {
    expect(logger.entries.some((entry) => entry.level === 'debug')).toBe(true);
  });
});
