import type { INestApplication } from '@nestjs/common';
import { EntryNotFoundException, type FormatName, RateLimitedException } from 'nest-api-errors';
import { expectApiError } from 'nest-api-errors/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_PREFIXES, routesFixtureModule } from './fixtures/routes-fixture.js';
import { ADAPTERS, UUID, createTestApp } from './support/test-app.js';

const FORMATS = Object.keys(ROUTE_PREFIXES) as FormatName[];

// DESIGN § Formats by route: under each prefix, every error of a request (routed or not) answers
// in the prefix's format, on both platforms. expectApiError compares the whole body as that
// format renders the error, and fails naming both formats if another one answered.

describe.each(ADAPTERS)('formats by route on %s', (adapter) => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app } = await createTestApp(
      adapter,
      { imports: [routesFixtureModule()] },
      { bodyLimit: 1024 },
    ));
  });
  afterAll(() => app.close());

  describe.each(FORMATS)('under the %s prefix', (format) => {
    const prefix = ROUTE_PREFIXES[format];

    it('a routed error', async () => {
      const response = await http().get(`${prefix}/files/42?token=hunter2`);
      expectApiError(
        response,
        { status: 404, code: 'ENTRY_NOT_FOUND', message: 'Requested file entry does not exist' },
        { format, path: `${prefix}/files/42` },
      );
      expect(response.headers['x-request-id']).toMatch(UUID);
      // A length, not a chunked body (Express drops its own once a handler's length is removed).
      expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.text)));
      expect(response.headers['transfer-encoding']).toBeUndefined();
    });

    it('an unknown route', async () => {
      const response = await http().get(`${prefix}/nope?token=hunter2`);
      expectApiError(
        response,
        { status: 404, message: `Cannot GET ${prefix}/nope` },
        { format, path: `${prefix}/nope` },
      );
      expect(response.text).not.toContain('hunter2');
    });

    it('malformed JSON', async () => {
      const response = await http()
        .post(`${prefix}/notes`)
        .set('Content-Type', 'application/json')
        .send('{"text":');
      expectApiError(
        response,
        { status: 400, message: 'Malformed JSON in request body' },
        { format, path: `${prefix}/notes` },
      );
    });

    it('a body over the limit (413)', async () => {
      const response = await http()
        .post(`${prefix}/notes`)
        .send({ text: 'x'.repeat(4096) });
      expectApiError(
        response,
        { status: 413, message: 'Request body is too large' },
        { format, path: `${prefix}/notes` },
      );
    });

    it('an exception thrown in a Nest middleware', async () => {
      const response = await http().get(`${prefix}/private`);
      expectApiError(
        response,
        { status: 401, message: 'Missing or invalid credentials' },
        { format, path: `${prefix}/private` },
      );
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it('the throttler (429 with its Retry-After)', async () => {
      expect((await http().get(`${prefix}/limited`)).status).toBe(200);
      const response = await http().get(`${prefix}/limited`);
      expectApiError(response, RateLimitedException, { format, path: `${prefix}/limited` });
      expect(response.headers['retry-after']).toBe('60');
    });
  });

  it('a path outside every prefix keeps the module format, and prefixes match whole segments', async () => {
    expectApiError(
      await http().get('/v20/files/1'),
      { status: 404, message: 'Cannot GET /v20/files/1' },
      { format: 'timestamped', path: '/v20/files/1' },
    );
  });

  it('UseErrorFormat on the handler, then on the controller, win over routes', async () => {
    // /v2 is traced; the controller says simple, one of its handlers problem.
    expectApiError(await http().get('/v2/decorated/problem/1'), EntryNotFoundException, {
      format: 'problem',
      path: '/v2/decorated/problem/1',
    });
    expectApiError(await http().get('/v2/decorated/files/1'), EntryNotFoundException, {
      format: 'simple',
      path: '/v2/decorated/files/1',
    });
    // A path under the controller that no handler serves is the prefix's: no controller chose.
    expectApiError(
      await http().get('/v2/decorated/nope'),
      { status: 404, message: 'Cannot GET /v2/decorated/nope' },
      { format: 'traced', path: '/v2/decorated/nope' },
    );
  });

  it('a success at the root path carries its request id too', async () => {
    const response = await http().get('/').set('X-Request-Id', 'root-1');
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe('root-1');
  });
});
