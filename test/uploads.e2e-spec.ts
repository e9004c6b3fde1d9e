import type { INestApplication } from '@nestjs/common';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_FILE_SIZE, uploadsFixtureModule } from './fixtures/uploads-fixture.js';
import { ADAPTERS, type CapturingLogger, UUID, createTestApp } from './support/test-app.js';

// Issue 25 item 4, issue 27 item 4: what the upload parsers refuse (multer on Express,
// @nestjs/platform-fastify/multipart over @fastify/multipart on Fastify) is a documented error in
// the route's format, in formats that carry a code too, and never echoes a field's name.

const HOSTILE_NAME = `<script>alert(1)</script>${'x'.repeat(50 * 1024)}`;

/** The envelope body (`POST /uploads`) of a generic error. */
const envelope = (status: number, code: string, message: string) =>
  JSON.stringify({ error: { message, statusCode: status, code, category: 'VALIDATION' } });

/** The traced body (`POST /v2/uploads`) of a generic error, with the response's own id. */
const traced = (response: Response, code: string, message: string) =>
  JSON.stringify({
    error: { code, message, trace_id: response.headers['x-request-id'] as string },
  });

function expectBody(response: Response, status: number, body: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['x-request-id']).toMatch(UUID);
  expect(response.text).toBe(body);
}

/** A multipart body whose last part is cut off, as a client that stops sending leaves it. */
function truncatedMultipart(): { contentType: string; body: Buffer } {
  const boundary = 'X-BOUNDARY';
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello, cut o`,
    ),
  };
}

describe.each(ADAPTERS)('upload errors in the route format on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  const post = (path: string) => request(app.getHttpServer()).post(path);

  beforeAll(async () => {
    ({ app, logger } = await createTestApp(adapter, {
      imports: [
        uploadsFixtureModule({
          format: 'envelope',
          routes: [{ path: '/v2', format: 'traced' }],
        }),
      ],
    }));
  });
  afterAll(() => app.close());

  it('a file within the limit is taken', async () => {
    const response = await post('/uploads').attach('file', Buffer.from('hello'), 'a.txt');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ size: 5 });
  });

  it('a file over the limit: 413 PAYLOAD_TOO_LARGE / payload_too_large', async () => {
    const big = Buffer.alloc(FIXTURE_FILE_SIZE + 1, 'a');
    expectBody(
      await post('/uploads').attach('file', big, 'big.bin'),
      413,
      envelope(413, 'PAYLOAD_TOO_LARGE', 'File too large'),
    );
    const response = await post('/v2/uploads').attach('file', big, 'big.bin');
    expectBody(response, 413, traced(response, 'payload_too_large', 'File too large'));
  });

  it('a second file: 400 Too many files', async () => {
    const two = (path: string) =>
      post(path)
        .attach('file', Buffer.from('one'), 'one.txt')
        .attach('file', Buffer.from('two'), 'two.txt');
    expectBody(await two('/uploads'), 400, envelope(400, 'VALIDATION_ERROR', 'Too many files'));
    const response = await two('/v2/uploads');
    expectBody(response, 400, traced(response, 'validation_error', 'Too many files'));
  });

  it('a file under a 50 KB <script> field name: 400, the name neither in the body nor the log', async () => {
    // Multer's parser (busboy) refuses part headers over 16 KB; @fastify/busboy reads up to 80 KB,
    // and then Nest's interceptor refuses the field it does not expect.
    const message = adapter === 'express' ? 'Malformed multipart body' : 'Unexpected file field';
    expectBody(
      await post('/uploads').attach(HOSTILE_NAME, Buffer.from('hello'), 'a.txt'),
      400,
      envelope(400, 'VALIDATION_ERROR', message),
    );
    const response = await post('/v2/uploads').attach(HOSTILE_NAME, Buffer.from('hi'), 'a.txt');
    expectBody(response, 400, traced(response, 'validation_error', message));
    expect(logger.text()).not.toContain('<script>');
  });

  it('a short <script> field name: 400 Unexpected file field on both platforms', async () => {
    const response = await post('/v2/uploads').attach('<script>', Buffer.from('hi'), 'a.txt');
    expectBody(response, 400, traced(response, 'validation_error', 'Unexpected file field'));
    expect(logger.text()).not.toContain('<script>');
  });

  it('a truncated multipart body: 400 Malformed multipart body', async () => {
    const { contentType, body } = truncatedMultipart();
    expectBody(
      await post('/uploads').set('Content-Type', contentType).send(body),
      400,
      envelope(400, 'VALIDATION_ERROR', 'Malformed multipart body'),
    );
    const response = await post('/v2/uploads').set('Content-Type', contentType).send(body);
    expectBody(response, 400, traced(response, 'validation_error', 'Malformed multipart body'));
  });
});
