/**
 * The request target every error reads its path from (issue 27 item 3): an absolute-form request
 * line (`GET http://host/v2/x?token=… HTTP/1.1`), which servers must accept and both platforms
 * route by its path. Its path alone decides the format and is echoed, never the client's host,
 * credentials or query; and a request line the parser refuses is read for its path whatever
 * bytes its target holds. Each answers once, in the documented body of its path's format, with a
 * request id, on both adapters. `/v2` speaks `traced` and `/api` `simple` here.
 */
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorsModuleOptions } from 'nest-api-errors';
import {
  type Parsed,
  expectDocumented,
  parseAll,
  rawRequest,
  start,
} from './support/platform-requests.js';
import { ADAPTERS, UUID } from './support/test-app.js';

const ROUTES: ErrorsModuleOptions = {
  routes: [
    { path: '/v2', format: 'traced' },
    { path: '/api', format: 'simple' },
  ],
};
const CLOSE = 'Host: x\r\nConnection: close\r\n';

/** Exactly one response, with a request id and the standard headers; nothing secret on the wire. */
function onlyResponse(raw: string, status: number): Parsed {
  const responses = parseAll(raw);
  expect(responses, raw).toHaveLength(1);
  const [response] = responses as [Parsed];
  expect(response.status).toBe(status);
  expect(response.headers['x-request-id']).toMatch(UUID);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['cache-control']).toBe('no-store');
  for (const secret of ['hunter2', 'evil.test', 'user:pw', 'token']) {
    expect(raw).not.toContain(secret);
  }
  return response;
}

/** The traced body (`/v2`) of one response, with its request id as `trace_id`. */
function expectTraced(response: Parsed, code: string, message: string): void {
  expect(response.body).toBe(
    JSON.stringify({ error: { code, message, trace_id: response.headers['x-request-id'] } }),
  );
}

describe.each(ADAPTERS)('absolute-form request targets on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await start(adapter, {}, ROUTES));
  });
  afterAll(() => app.close());

  it('an unknown route → the format of its path; only the path is echoed', async () => {
    const raw = await rawRequest(
      app,
      `GET http://user:pw@evil.test:8080/v2/nope?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`,
    );
    expectTraced(onlyResponse(raw, 404), 'not_found', 'Cannot GET /v2/nope');
  });

  it('an error in a middleware of a routed path → its path, without host or query', async () => {
    const raw = await rawRequest(
      app,
      `GET http://evil.test/guarded?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`,
    );
    expectDocumented(raw, 401, 'Missing bearer token', '/guarded');
  });

  it('a target without a path → `/`', async () => {
    const raw = await rawRequest(
      app,
      `GET http://evil.test?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`,
    );
    expectDocumented(raw, 404, 'Cannot GET /', '/');
  });

  it("a request the parser refuses → the format of the target's path", async () => {
    const raw = await rawRequest(
      app,
      'GET http://evil.test/v2/items/1?token=hunter2 HTTP/1.1\r\nHo st: x\r\n\r\n',
    );
    expectTraced(onlyResponse(raw, 400), 'validation_error', 'Malformed HTTP request');
  });

  it('a routed request still succeeds', async () => {
    const raw = await rawRequest(app, `GET http://evil.test/items/7 HTTP/1.1\r\n${CLOSE}\r\n`);
    expect(parseAll(raw).map((r) => [r.status, r.body])).toEqual([[200, '{"id":"7"}']]);
  });
});

describe.each(ADAPTERS)('request lines the parser refuses on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await start(adapter, {}, ROUTES));
  });
  afterAll(() => app.close());

  it.each([
    ['a NUL', '\0'],
    ['a tab', '\t'],
    ['a DEL', '\x7f'],
    ['a raw non-ASCII byte', '\xff'],
  ])("%s in the path → 400 in the format of the path's prefix", async (_, byte) => {
    const raw = await rawRequest(
      app,
      Buffer.from(`GET /v2/no${byte}pe?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`, 'latin1'),
    );
    expectTraced(onlyResponse(raw, 400), 'validation_error', 'Malformed HTTP request');
  });

  it('a method no server knows, too long to be one → 400 in the default format at `/`', async () => {
    const raw = await rawRequest(app, `${'A'.repeat(100)} /v2/x HTTP/1.1\r\n${CLOSE}\r\n`);
    expectDocumented(raw, 400, 'Malformed HTTP request', '/');
  });
});

describe.each(ADAPTERS)('absolute-form targets under a global prefix on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await start(adapter, { configure: (created) => created.setGlobalPrefix('api') }));
  });
  afterAll(() => app.close());

  it.each([
    ['http://evil.test/nope?token=hunter2', '/nope'],
    ['http://evil.test/api/nope?token=hunter2', '/api/nope'],
  ])('%s → one 404 at %s', async (target, path) => {
    const raw = await rawRequest(app, `GET ${target} HTTP/1.1\r\n${CLOSE}\r\n`);
    expectDocumented(raw, 404, `Cannot GET ${path}`, path);
    onlyResponse(raw, 404);
  });
});
