import type { INestApplication } from '@nestjs/common';
import { expectApiError } from 'nest-api-errors/testing';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/platform/data/platform.store.js';
import { UPLOAD_LIMITS } from '../../src/platform/files/files.controller.js';
import { createReferenceApp } from '../support/reference-app.js';
import { ADAPTERS, type CapturingLogger, UUID } from '../support/test-app.js';

// Issue 25 item 4, issue 27 item 4: `POST /api/v1/files` takes a real multipart upload (multer on
// Express, @nestjs/platform-fastify/multipart on Fastify) with a size limit, and what the upload
// parsers refuse is answered in /api/v1's format (timestamped), never echoing a field's name.

const ACME = `Bearer ${DEMO.tokens.acmeProduction}`;
const HOSTILE_NAME = '<script>alert(1)</script>';

/** The whole timestamped body, with a request id, and nothing of what the client named. */
function expectUploadError(response: Response, status: number, message: string) {
  expectApiError(response, { status, message }, { path: '/api/v1/files', format: 'timestamped' });
  expect(response.headers['x-request-id']).toMatch(UUID);
  expect(response.text).not.toContain('script');
  expect(response.text).not.toContain('xxxxxxxx');
}

describe.each(ADAPTERS)('reference app: multipart uploads to /api/v1/files on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  const upload = () =>
    request(app.getHttpServer())
      .post('/api/v1/files')
      .set('Authorization', ACME)
      .field('flow_execution_id', DEMO.flowExecutions.running)
      .field('name', 'report.txt');

  beforeAll(async () => {
    ({ app, logger } = await createReferenceApp(adapter));
  });
  afterAll(() => app.close());

  it('a file within the limit: 201, stored with its content', async () => {
    const response = await upload().attach('file', Buffer.from('hello'), 'report.txt');
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(UUID),
      name: 'report.txt',
      kind: 'binary',
      parent_id: null,
    });
  });

  it('a file over the limit (1 MiB): 413 File too large', async () => {
    const response = await upload().attach(
      'file',
      Buffer.alloc(UPLOAD_LIMITS.fileSize + 1, 'a'),
      'big.bin',
    );
    expectUploadError(response, 413, 'File too large');
  });

  it('a second file: 400 Too many files', async () => {
    const response = await upload()
      .attach('file', Buffer.from('one'), 'one.txt')
      .attach('file', Buffer.from('two'), 'two.txt');
    expectUploadError(response, 400, 'Too many files');
  });

  it('a field past the two: 400 Too many fields', async () => {
    const response = await upload()
      .field('extra', 'x')
      .attach('file', Buffer.from('hello'), 'a.txt');
    expectUploadError(response, 400, 'Too many fields');
  });

  it(`a file in another field (${HOSTILE_NAME}): 400 Unexpected file field, the name not echoed`, async () => {
    const response = await upload().attach(
      HOSTILE_NAME,
      Buffer.from('hello'),
      `${HOSTILE_NAME}.txt`,
    );
    expectUploadError(response, 400, 'Unexpected file field');
  });

  it('a 50 KB field name: 400, the name not echoed', async () => {
    const response = await upload().attach(
      `${HOSTILE_NAME}${'x'.repeat(50 * 1024)}`,
      Buffer.from('hello'),
      'a.txt',
    );
    // Multer's parser (busboy) refuses part headers over 16 KB; @fastify/busboy reads up to 80 KB,
    // and the name is then over the app's `fieldNameSize` (100 bytes).
    expectUploadError(
      response,
      400,
      adapter === 'express' ? 'Malformed multipart body' : 'Field name too long',
    );
  });

  it('a truncated multipart body: 400 Malformed multipart body', async () => {
    const boundary = 'X-BOUNDARY';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="flow_execution_id"\r\n\r\n${DEMO.flowExecutions.running}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello, this file is cut o`,
    );
    const response = await request(app.getHttpServer())
      .post('/api/v1/files')
      .set('Authorization', ACME)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    expectUploadError(response, 400, 'Malformed multipart body');
  });

  it('multipart/mixed (busboy reads only form-data): 415 Unsupported media type', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/files')
      .set('Authorization', ACME)
      .set('Content-Type', 'multipart/mixed; boundary=X')
      .send(Buffer.from('--X--\r\n'));
    expectUploadError(response, 415, 'Unsupported media type');
  });

  it.each([
    ['multipart without a file', () => upload()],
    [
      'JSON without content_base64',
      () =>
        request(app.getHttpServer())
          .post('/api/v1/files')
          .set('Authorization', ACME)
          .send({ flow_execution_id: DEMO.flowExecutions.running, name: 'a.txt' }),
    ],
  ])('%s: 400 validation failure', async (_, send) => {
    expectUploadError(
      await send(),
      400,
      'Validation failed: file: send the content either as a multipart file or as content_base64',
    );
  });

  it('the field names reached no log line either', () => {
    expect(logger.text()).not.toContain('script');
    expect(logger.text()).not.toContain('xxxxxxxx');
  });
});
