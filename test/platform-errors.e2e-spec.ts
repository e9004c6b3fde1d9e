/**
 * Errors the platforms answer on their own, before any Nest route, middleware or filter runs:
 * Fastify's router errors (a URL it cannot decode, an over-long parameter), Node's `clientError`
 * (malformed request, headers too large, timeouts), Express's unknown routes outside the global
 * prefix, undecodable bodies, a middleware exception on Fastify. Each answers once, in the
 * documented body with a request id, on both adapters (DESIGN § Security rules).
 */
import type { INestApplication } from '@nestjs/common';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADAPTERS,
  type CapturingLogger,
  ISO_TIMESTAMP,
  UUID,
  createTestApp,
} from './support/test-app.js';
import {
  type Parsed,
  expectDocumented,
  handlerCalls,
  parseAll,
  platformFixtureModule,
  rawRequest,
  start,
} from './support/platform-requests.js';

const CLOSE = 'Host: x\r\nConnection: close\r\n';

describe.each(ADAPTERS)('platform errors on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  const fastifyIds: string[] = [];

  beforeAll(async () => {
    ({ app, logger } = await start(adapter, {
      configure: (created) => {
        if (adapter === 'fastify') {
          created
            .getHttpAdapter()
            .getInstance()
            .addHook('onResponse', (request: { id: string }, _reply: unknown, done: () => void) => {
              fastifyIds.push(request.id);
              done();
            });
        }
      },
    }));
  });
  afterAll(() => app.close());

  it('1. an exception thrown in a Nest middleware → its status, documented body, request id', async () => {
    fastifyIds.length = 0;
    const before = handlerCalls.guarded;
    const raw = await rawRequest(app, `GET /guarded HTTP/1.1\r\n${CLOSE}\r\n`);
    const response = expectDocumented(raw, 401, 'Missing bearer token', '/guarded');
    expect(handlerCalls.guarded).toBe(before); // Fastify did not go on to route the request
    if (adapter === 'fastify') {
      // Fastify's onResponse hooks ran (it listens for the raw response's finish), with its own id.
      expect(fastifyIds).toEqual([response.headers['x-request-id']]);
    }
  });

  it('1b. after a middleware error the keep-alive connection serves the next request (no hang)', async () => {
    const raw = await rawRequest(
      app,
      `GET /guarded HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\n${CLOSE}\r\n`,
    );
    const responses = parseAll(raw);
    expect(responses.map((r) => r.status)).toEqual([401, 200]);
  });

  it('2a. an undecodable URL → documented body, without the query string', async () => {
    const raw = await rawRequest(app, `GET /api/v1/%zz?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`);
    if (adapter === 'fastify') {
      expectDocumented(raw, 400, 'Malformed request URL', '/api/v1/%zz');
    } else {
      // Express only decodes the parameters of a layer that matches: no route, so Nest's 404.
      expectDocumented(raw, 404, 'Cannot GET /api/v1/%zz', '/api/v1/%zz');
    }
  });

  it('2a′. Express: an undecodable route parameter → 400 with the same message', async () => {
    const raw = await rawRequest(app, `GET /items/%zz?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`);
    expectDocumented(raw, 400, 'Malformed request URL', '/items/%zz');
  });

  it('2b. a route parameter over 100 characters → 414 on Fastify (Express has no limit)', async () => {
    const raw = await rawRequest(
      app,
      `GET /items/${'a'.repeat(101)}?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`,
    );
    if (adapter === 'fastify') {
      expectDocumented(raw, 414, 'Request URL is too long');
    } else {
      expect(parseAll(raw)[0]!.status).toBe(200);
    }
  });

  it.each([
    ['no content type (Fastify answers 415 before reading the body)', ''],
    ['a JSON body', 'Content-Type: application/json\r\n'],
  ])('3. Transfer-Encoding: xchunked with %s → one response only', async (_, contentType) => {
    const raw = await rawRequest(
      app,
      `POST /echo HTTP/1.1\r\nHost: x\r\n${contentType}Transfer-Encoding: xchunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
    );
    const responses = parseAll(raw);
    expect(responses, raw).toHaveLength(1);
    const [response] = responses;
    expect(response!.headers['x-request-id']).toMatch(UUID);
    // Node's parser refuses the unknown transfer coding (400), except where Fastify has already
    // refused the missing content type before reading the body (415); the documented body either way.
    const [status, message] =
      adapter === 'fastify' && contentType === ''
        ? [415, 'Unsupported media type']
        : [400, 'Malformed HTTP request'];
    expect(response!.status).toBe(status);
    expect(JSON.parse(response!.body)).toEqual({
      statusCode: status,
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
      path: '/echo',
      message,
    });
  });

  it.each([
    ['garbage gzip', 'gzip', Buffer.from('not gzip at all')],
    ['garbage deflate', 'deflate', Buffer.from('not deflate at all')],
    ['garbage br', 'br', Buffer.from('not brotli at all')],
    ['truncated gzip', 'gzip', gzipSync('{"a":1}').subarray(0, 12)],
  ])(
    '5. %s → 400 with our message (Fastify: not decoded at all → malformed JSON)',
    async (_, encoding, body) => {
      const raw = await rawRequest(
        app,
        Buffer.concat([
          Buffer.from(
            `POST /echo HTTP/1.1\r\n${CLOSE}Content-Type: application/json\r\nContent-Encoding: ${encoding}\r\nContent-Length: ${body.length}\r\n\r\n`,
          ),
          body,
        ]),
      );
      expectDocumented(
        raw,
        400,
        adapter === 'express'
          ? 'Request body could not be decoded'
          : 'Malformed JSON in request body',
      );
    },
  );

  it.each([
    [
      'a malformed request line',
      'GET / HTTP/1.1 junk\r\nHost: x\r\n\r\n',
      400,
      'Malformed HTTP request',
      '/',
    ],
    [
      'a malformed header',
      'GET /ok?token=hunter2 HTTP/1.1\r\nHo st: x\r\n\r\n',
      400,
      'Malformed HTTP request',
      '/ok',
    ],
    [
      'headers over 16 KiB',
      `GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'Request headers are too large',
      '/ok',
    ],
  ])('6. %s → documented body with a request id', async (_, text, status, message, path) => {
    expectDocumented(await rawRequest(app, text), status, message, path);
  });

  it('6b. the parser rejections were logged at the client-error level (debug)', () => {
    const lines = logger.entries.filter((e) =>
      /: (Malformed HTTP request|Request headers are too large)$/.test(e.message),
    );
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(new Set(lines.map((e) => e.level))).toEqual(new Set(['debug']));
  });

  it('nothing of the above was logged as a 500 (a body cut off by the parser error is the client’s 400 since d3e4612)', () => {
    expect(logger.entries.filter((e) => e.level === 'error' && /\s500\s/.test(e.message))).toEqual(
      [],
    );
  });
});

describe.each(ADAPTERS)('4. global prefix on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await start(adapter, {
      configure: (a) => a.setGlobalPrefix('api', { exclude: ['ok'] }),
    }));
  });
  afterAll(() => app.close());

  it.each([
    ['/nope?token=hunter2', 'GET', '/nope'],
    ['/', 'GET', '/'],
    ['/apix', 'GET', '/apix'],
    ['/api/nope', 'GET', '/api/nope'],
    ['/ok', 'POST', '/ok'],
  ])('%s → 404 documented body', async (target, method, path) => {
    const raw = await rawRequest(
      app,
      `${method} ${target} HTTP/1.1\r\n${CLOSE}Content-Length: 0\r\n\r\n`,
    );
    expectDocumented(raw, 404, `Cannot ${method} ${path}`, path);
  });

  it.each([['/api/items/1'], ['/ok']])('%s still routes', async (target) => {
    const raw = await rawRequest(app, `GET ${target} HTTP/1.1\r\n${CLOSE}\r\n`);
    expect(parseAll(raw)[0]!.status).toBe(200);
  });
});

describe('4b. Express: middleware other modules add in onModuleInit (GraphQL, ServeStatic) stay reachable', () => {
  it('a root path registered in onModuleInit is not shadowed by the 404', async () => {
    const { Module, Inject } = await import('@nestjs/common');
    const { HttpAdapterHost } = await import('@nestjs/core');
    @Module({})
    class LateModule {
      constructor(
        @Inject(HttpAdapterHost) private readonly host: InstanceType<typeof HttpAdapterHost>,
      ) {}
      onModuleInit() {
        this.host.httpAdapter.use('/late', (_req: unknown, res: { end(t: string): void }) =>
          res.end('late'),
        );
      }
    }
    // LateModule first: its onModuleInit runs after ErrorsModule's (same distance, later in order)
    const { app } = await createTestApp(
      'express',
      { imports: [platformFixtureModule(), LateModule] },
      { configure: (created) => created.setGlobalPrefix('api') },
    );
    const late = await rawRequest(app, `GET /late HTTP/1.1\r\n${CLOSE}\r\n`);
    expect(late).toMatch(/^HTTP\/1\.1 200 /);
    expect(late.endsWith('late')).toBe(true);
    expectDocumented(
      await rawRequest(app, `GET /nope HTTP/1.1\r\n${CLOSE}\r\n`),
      404,
      'Cannot GET /nope',
    );
    await app.close();
  });
});

describe.each(ADAPTERS)(
  '6c. an application clientError listener added after init on %s',
  (adapter) => {
    it('answers alone', async () => {
      const { app } = await start(adapter);
      app.getHttpServer().on('clientError', (_error: Error, socket: import('node:net').Socket) => {
        socket.end(
          'HTTP/1.1 400 Bad Request\r\nX-Own: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
        );
      });
      const raw = await rawRequest(app, 'GET / HTTP/1.1 junk\r\nHost: x\r\n\r\n');
      expect(parseAll(raw)).toHaveLength(1);
      expect(raw).toContain('X-Own: 1');
      await app.close();
    });
  },
);

describe('2c. Fastify: Nest’s own frameworkErrors still runs (security headers) before ErrorsFilter answers', () => {
  it('the 400 for a bad URL carries the headers of app.useSecurityHeaders()', async () => {
    const { app } = await start('fastify', {
      configure: (a) => (a as unknown as { useSecurityHeaders(): void }).useSecurityHeaders(),
    });
    const ok = parseAll(await rawRequest(app, `GET /ok HTTP/1.1\r\n${CLOSE}\r\n`))[0]!;
    const securityHeaders = Object.keys(ok.headers).filter(
      (h) => h.startsWith('x-content-type') || h.includes('frame'),
    );
    expect(securityHeaders.length).toBeGreaterThan(0);
    const raw = await rawRequest(app, `GET /a/%zz?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`);
    const response = expectDocumented(raw, 400, 'Malformed request URL', '/a/%zz');
    for (const header of securityHeaders) {
      expect(response.headers[header]).toBe(ok.headers[header]);
    }
    await app.close();
  });
});

// DESIGN § Formats by route: an error the platform answers before routing still gets the format
// of its path's prefix (the path is read from the request line).
describe.each(ADAPTERS)('platform errors under a routes prefix on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await start(
      adapter,
      {},
      {
        routes: [
          { path: '/v2', format: 'traced' },
          { path: '/items', format: 'envelope' },
        ],
      },
    ));
  });
  afterAll(() => app.close());

  const traced = (raw: string, status: number, code: string, message: string) => {
    const responses = parseAll(raw);
    expect(responses, raw).toHaveLength(1);
    const [response] = responses as [Parsed];
    expect(response.status).toBe(status);
    const id = response.headers['x-request-id']!;
    expect(id).toMatch(UUID);
    expect(response.body).toBe(JSON.stringify({ error: { code, message, trace_id: id } }));
    expect(raw).not.toContain('hunter2');
  };

  it('a malformed header under /v2 answers in the traced format', async () => {
    traced(
      await rawRequest(app, 'GET /v2/items/1?token=hunter2 HTTP/1.1\r\nHo st: x\r\n\r\n'),
      400,
      'validation_error',
      'Malformed HTTP request',
    );
  });

  it('a raw (unencoded) UTF-8 path under /v2 answers in the traced format', async () => {
    traced(
      await rawRequest(
        app,
        Buffer.from(`GET /v2/items/überprüfung?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`, 'utf8'),
      ),
      400,
      'validation_error',
      'Malformed HTTP request',
    );
  });

  // DESIGN's generic codes (issue 27, item 5): these statuses say what happened in their code.
  it('headers over 16 KiB under /v2: 431 request_header_fields_too_large', async () => {
    traced(
      await rawRequest(
        app,
        `GET /v2/items/1?token=hunter2 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      ),
      431,
      'request_header_fields_too_large',
      'Request headers are too large',
    );
  });

  it.runIf(adapter === 'fastify')(
    'a route parameter over 100 characters under /items (envelope): 414 URI_TOO_LONG',
    async () => {
      const [response] = parseAll(
        await rawRequest(
          app,
          `GET /items/${'a'.repeat(101)}?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`,
        ),
      ) as [Parsed];
      expect(response.status).toBe(414);
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(response.body).toBe(
        '{"error":{"message":"Request URL is too long","statusCode":414,"code":"URI_TOO_LONG","category":"VALIDATION"}}',
      );
    },
  );

  it.runIf(adapter === 'fastify')(
    'an undecodable URL under /v2 answers in the traced format',
    async () => {
      traced(
        await rawRequest(app, `GET /v2/items/%zz?token=hunter2 HTTP/1.1\r\n${CLOSE}\r\n`),
        400,
        'validation_error',
        'Malformed request URL',
      );
    },
  );
});
