/**
 * What Node's HTTP server answers on its own, before Express or Fastify sees a request, and the
 * request targets every error reads its path from (issue 27 items 2, 3 and 5):
 * - an HTTP/1.1 request without `Host` (400, connection closed) and an `Expect` other than
 *   `100-continue` (417, connection kept), which Node answered bare;
 * - an absolute-form request line (`GET http://host/v2/x?token=… HTTP/1.1`): its path alone
 *   decides the format and is echoed, never the client's host, credentials or query; a request
 *   line the parser refuses is read for its path whatever bytes its target holds;
 * - a headers timeout, whose 408 Node reports with no bytes and no request: the request line the
 *   client had sent decides the format and the path.
 * Each answers once, in the documented body of its path's format, with a request id, on both
 * adapters. `/v2` speaks `traced` and `/api` `simple` here (bodies without a generic code where
 * the code is not what a test is about).
 */
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { connect as connectHttp2 } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorsModuleOptions } from 'nest-api-errors';
import {
  type Parsed,
  expectDocumented,
  parseAll,
  rawRequest,
  start,
} from './support/platform-requests.js';
import { ADAPTERS, ISO_TIMESTAMP, UUID, type TestAppOptions, listen } from './support/test-app.js';

const ROUTES: ErrorsModuleOptions = {
  routes: [
    { path: '/v2', format: 'traced' },
    { path: '/api', format: 'simple' },
  ],
};
const CLOSE = 'Host: x\r\nConnection: close\r\n';
const UNSUPPORTED_EXPECT = 'Unsupported Expect header: only 100-continue is supported';

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

/** The connection was closed by the server (rawRequest marks one left open). */
function expectClosed(raw: string): void {
  expect(raw).not.toContain('<<TIMEOUT');
}

describe.each(ADAPTERS)('under routes: /v2 traced, /api simple, on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await start(adapter, {}, ROUTES));
  });
  afterAll(() => app.close());

  describe("requests Node's server refuses", () => {
    it('HTTP/1.1 without Host → 400 in the format of its path, the connection closed as Node closes it', async () => {
      // The pipelined request after it is never read: Node closes after a Host-less request.
      const raw = await rawRequest(
        app,
        'GET /v2/items/1?token=hunter2 HTTP/1.1\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n',
      );
      const response = onlyResponse(raw, 400);
      expect(response.headers.connection).toBe('close');
      expectTraced(response, 'validation_error', 'Missing Host header');
      expectClosed(raw);
    });

    it('HEAD without Host → the same 400 without a body', async () => {
      const raw = await rawRequest(app, 'HEAD /v2/items/1 HTTP/1.1\r\n\r\n');
      const response = onlyResponse(raw, 400);
      expect(response.headers['content-length']).toMatch(/^[1-9]\d*$/);
      expect(response.body).toBe('');
    });

    it('without Host, outside any routes prefix → the default format, with the path', async () => {
      const raw = await rawRequest(app, 'GET /ok?token=hunter2 HTTP/1.1\r\n\r\n');
      expectDocumented(raw, 400, 'Missing Host header', '/ok');
    });

    it('HTTP/1.0 needs no Host: the request is routed', async () => {
      const raw = await rawRequest(app, 'GET /ok HTTP/1.0\r\n\r\n');
      expect(parseAll(raw).map((r) => [r.status, r.body])).toEqual([[200, '{"ok":true}']]);
    });

    it('an Expect other than 100-continue → 417 in the format of its path; the connection serves the next request', async () => {
      const raw = await rawRequest(
        app,
        'POST /api/items HTTP/1.1\r\nHost: x\r\nExpect: x-hunter2\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}' +
          `GET /ok HTTP/1.1\r\n${CLOSE}\r\n`,
      );
      const responses = parseAll(raw);
      expect(responses.map((r) => r.status)).toEqual([417, 200]);
      const [refused] = responses as [Parsed, Parsed];
      expect(refused.headers['x-request-id']).toMatch(UUID);
      expect(refused.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(refused.headers.connection).toBe('keep-alive');
      expect(refused.body).toBe(JSON.stringify({ error: UNSUPPORTED_EXPECT }));
      expect(raw).not.toContain('hunter2');
    });

    it('without Host and with an unknown Expect → 400, as Node checks Host first', async () => {
      const raw = await rawRequest(app, 'GET /v2/x HTTP/1.1\r\nExpect: nope\r\n\r\n');
      expectTraced(onlyResponse(raw, 400), 'validation_error', 'Missing Host header');
    });

    it('Expect: 100-continue still gets its 100 Continue, then the route answers', async () => {
      const raw = await rawRequest(app, [
        `POST /echo HTTP/1.1\r\n${CLOSE}Expect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n`,
        '{"a":1}',
      ]);
      expect(raw).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
      expect(raw.endsWith('{"received":{"a":1}}')).toBe(true);
    });
  });

  describe('absolute-form request targets', () => {
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

  describe('request lines the parser refuses', () => {
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
});

describe('an unknown Expect over HTTP/2 (Fastify with http2: true)', () => {
  it('→ 417 in the format of its path, with a request id', async () => {
    const { app } = await start('fastify', { fastify: { http2: true } }, ROUTES);
    const session = connectHttp2(await listen(app));
    try {
      const { status, headers, body } = await new Promise<{
        status: number;
        headers: Record<string, unknown>;
        body: string;
      }>((resolve, reject) => {
        const stream = session.request({ ':path': '/api/items?token=hunter2', expect: 'nope' });
        let text = '';
        let head: Record<string, unknown> = {};
        stream.on('response', (received) => (head = received));
        stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
        stream.on('end', () =>
          resolve({ status: Number(head[':status']), headers: head, body: text }),
        );
        stream.on('error', reject);
        stream.end();
      });
      expect(status).toBe(417);
      expect(headers['x-request-id']).toMatch(UUID);
      expect(headers['content-type']).toBe('application/json; charset=utf-8');
      expect(body).toBe(JSON.stringify({ error: UNSUPPORTED_EXPECT }));
    } finally {
      session.close();
      await app.close();
    }
  });
});

describe.each(ADAPTERS)("the application's own choices on %s", (adapter) => {
  it('a checkExpectation listener the application adds answers alone', async () => {
    const { app } = await start(adapter, {}, ROUTES);
    try {
      (app.getHttpServer() as Server).on('checkExpectation', (_request, response) => {
        response.writeHead(417, { 'X-Own': '1', 'Content-Length': '0' }).end();
      });
      const raw = await rawRequest(app, `GET /api/x HTTP/1.1\r\n${CLOSE}Expect: nope\r\n\r\n`);
      const responses = parseAll(raw);
      expect(responses.map((r) => [r.status, r.headers['x-own'], r.body])).toEqual([
        [417, '1', ''],
      ]);
    } finally {
      await app.close();
    }
  });

  it('a server that does not require Host keeps routing Host-less requests', async () => {
    const { app } = await start(adapter, {
      configure: (created) => {
        (created.getHttpServer() as Server & { requireHostHeader: boolean }).requireHostHeader =
          false;
      },
    });
    try {
      const raw = await rawRequest(app, 'GET /ok HTTP/1.1\r\nConnection: close\r\n\r\n');
      expect(parseAll(raw).map((r) => [r.status, r.body])).toEqual([[200, '{"ok":true}']]);
    } finally {
      await app.close();
    }
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

/** Headers time out after 200 ms; Node checks every 50 ms (read when the server starts listening). */
const SHORT_HEADERS_TIMEOUT: TestAppOptions = {
  configure: (created) => {
    const server = created.getHttpServer() as Server & { connectionsCheckingInterval: number };
    server.headersTimeout = 200;
    server.requestTimeout = 1000;
    server.connectionsCheckingInterval = 50;
  },
};

describe.each(ADAPTERS)('a headers timeout on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await start(adapter, SHORT_HEADERS_TIMEOUT, ROUTES));
  });
  afterAll(() => app.close());

  it("→ 408 in the format of the request line's path", async () => {
    const raw = await rawRequest(app, 'GET /api/slow?token=hunter2 HTTP/1.1\r\nHost: x\r\n');
    expect(onlyResponse(raw, 408).body).toBe(JSON.stringify({ error: 'Request timed out' }));
    expectClosed(raw);
  });

  it('→ 408 with the path of the request line, in the default format outside the prefixes', async () => {
    const raw = await rawRequest(app, 'GET /ok?token=hunter2 HTTP/1.1\r\nHost: x\r\n');
    const response = expectDocumented(raw, 408, 'Request timed out', '/ok');
    expect(JSON.parse(response.body)).toEqual({
      statusCode: 408,
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
      path: '/ok',
      message: 'Request timed out',
    });
  });

  it('a request line that arrived in two reads is still read whole', async () => {
    const raw = await rawRequest(app, ['GET /api/sl', 'ow HTTP/1.1\r\nHost: x\r\n', 'X-A: 1\r\n']);
    expect(onlyResponse(raw, 408).body).toBe(JSON.stringify({ error: 'Request timed out' }));
  });

  it('after a complete request on the same connection, the stalled one is the one answered', async () => {
    const raw = await rawRequest(app, [
      'GET /ok HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api/next HTTP/1.1\r\nHost: x\r\n',
    ]);
    const responses = parseAll(raw);
    expect(responses.map((r) => [r.status, r.body])).toEqual([
      [200, '{"ok":true}'],
      [408, JSON.stringify({ error: 'Request timed out' })],
    ]);
  });

  it('a stalled HEAD → 408 without a body', async () => {
    const raw = await rawRequest(app, 'HEAD /api/slow HTTP/1.1\r\nHost: x\r\n');
    expect(onlyResponse(raw, 408).body).toBe('');
  });
});
