import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import type { FormatName } from 'nest-api-errors';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatsFixtureModule } from './fixtures/formats-fixture.js';
import {
  ADAPTERS,
  type CapturingLogger,
  ISO_TIMESTAMP,
  UUID,
  createTestApp,
} from './support/test-app.js';

const DOCS = 'https://docs.example.com/errors';

/** What the matrix sends: every case the formats treat differently. */
const CASES = {
  catalog: { method: 'get', path: '/agents/missing', status: 404 },
  templated: { method: 'get', path: '/apps/slack', status: 404 },
  builtin: { method: 'get', path: '/flows/missing', status: 404 },
  bodyValidation: {
    method: 'post',
    path: '/events',
    body: { events: [{ type: 'bogus' }] },
    status: 400,
  },
  queryValidation: { method: 'get', path: '/events?limit=ten', status: 400 },
  rateLimited: { method: 'get', path: '/limited', status: 429, retryAfter: '30' },
  internal: { method: 'get', path: '/crash', status: 500 },
} as const;
type CaseName = keyof typeof CASES;

/**
 * The exact body of each case in each format (test/fixtures/format-bodies.json), with
 * `{{timestamp}}` and `{{requestId}}` standing for this response's own.
 */
type Expected = unknown;
const BODIES = JSON.parse(
  readFileSync(new URL('./fixtures/format-bodies.json', import.meta.url), 'utf8'),
) as Record<FormatName, Record<CaseName, Expected>>;

const CONTENT_TYPES: Record<FormatName, string> = {
  timestamped: 'application/json; charset=utf-8',
  traced: 'application/json; charset=utf-8',
  simple: 'application/json; charset=utf-8',
  envelope: 'application/json; charset=utf-8',
  problem: 'application/problem+json; charset=utf-8',
  graphql: 'application/json; charset=utf-8',
};

const FORMATS = Object.keys(CONTENT_TYPES) as FormatName[];

/** The expected body's exact text for this response: its own timestamp and request id filled in. */
function expectedText(response: Response, expected: Expected): string {
  const body = JSON.parse(response.text) as { timestamp?: string };
  const id = response.headers['x-request-id'] as string;
  expect(id).toMatch(UUID);
  if (body.timestamp !== undefined) {
    expect(body.timestamp).toMatch(ISO_TIMESTAMP);
  }
  return JSON.stringify(expected)
    .replaceAll('{{timestamp}}', body.timestamp ?? '')
    .replaceAll('{{requestId}}', id);
}

/** Compares the exact text of the body (key order included) with the expected one. */
function expectBody(response: Response, expected: Expected) {
  expect(response.text).toBe(expectedText(response, expected));
}

describe.each(ADAPTERS)('format matrix on %s', (adapter) => {
  describe.each(FORMATS)('format %s', (format) => {
    let app: INestApplication;
    let logger: CapturingLogger;
    const http = () => request(app.getHttpServer());

    beforeAll(async () => {
      ({ app, logger } = await createTestApp(adapter, {
        imports: [formatsFixtureModule({ format, docsBaseUrl: DOCS })],
      }));
    });
    afterAll(() => app.close());

    it.each(Object.keys(CASES) as CaseName[])('%s', async (name) => {
      const spec = CASES[name];
      const call = http()[spec.method](spec.path);
      const response = await ('body' in spec ? call.send(spec.body) : call);
      expect(response.status).toBe(spec.status);
      expect(response.headers['content-type']).toBe(CONTENT_TYPES[format]);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['retry-after']).toBe(
        'retryAfter' in spec ? spec.retryAfter : undefined,
      );
      expectBody(response, BODIES[format][name]);
    });

    it('the 500 secret reaches the log only', async () => {
      const response = await http().get('/crash');
      expect(response.text).not.toContain('hunter2');
      expect(logger.text()).toContain('password=hunter2');
    });

    it('a ThrottlerException is RATE_LIMITED and keeps the Retry-After its guard set', async () => {
      expect((await http().get('/throttled')).status).toBe(200);
      const response = await http().get('/throttled');
      expect(response.status).toBe(429);
      expect(response.headers['retry-after']).toBe('60');
      // Same body as RateLimitedException's, at this path.
      expect(response.text).toBe(
        expectedText(response, BODIES[format].rateLimited).replaceAll('/limited', '/throttled'),
      );
    });
  });
});

describe.each(ADAPTERS)('reference-docs examples, byte for byte, on %s', (adapter) => {
  let apps: Record<'envelope' | 'simple' | 'traced', INestApplication>;
  beforeAll(async () => {
    const start = async (format: FormatName) =>
      (await createTestApp(adapter, { imports: [formatsFixtureModule({ format })] })).app;
    apps = {
      envelope: await start('envelope'),
      simple: await start('simple'),
      traced: await start('traced'),
    };
  });
  afterAll(() => Promise.all(Object.values(apps).map((app) => app.close())));

  it('004: the events.0.type example', async () => {
    const response = await request(apps.envelope.getHttpServer())
      .post('/events')
      .send({ events: [{ type: 'bogus' }] });
    expect(response.text).toBe(
      '{"error":{"message":"Invalid request body","statusCode":400,"code":"VALIDATION_ERROR","category":"VALIDATION","details":[{"path":"events.0.type","message":"Invalid enum value"}]}}',
    );
  });

  it('003: "Agent not found"', async () => {
    const response = await request(apps.simple.getHttpServer()).get('/agents/missing');
    expect(response.status).toBe(404);
    expect(response.text).toBe('{"error":"Agent not found"}');
  });

  it.each([
    [
      'https://api.example.com',
      '{"error":"Enter a hostname, not a URL (remove http:// or https://)"}',
    ],
    [
      'api.example.com/v1',
      '{"error":"Enter a hostname only, not a path (use the path pattern field for paths)"}',
    ],
    ['api example.com', '{"error":"Host pattern must not contain spaces"}'],
  ])('003: host pattern %s', async (hostPattern, text) => {
    const response = await request(apps.simple.getHttpServer())
      .get('/secrets/check')
      .query({ hostPattern });
    expect(response.status).toBe(400);
    expect(response.text).toBe(text);
  });

  it('002: trace_id equals the X-Request-Id response header', async () => {
    const response = await request(apps.traced.getHttpServer())
      .get('/agents/missing')
      .set('X-Request-Id', 'req-abc');
    expect(response.headers['x-request-id']).toBe('req-abc');
    expect(response.body.error.trace_id).toBe('req-abc');
  });
});

describe.each(ADAPTERS)('UseErrorFormat on %s', (adapter) => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  beforeAll(async () => {
    ({ app } = await createTestApp(adapter, {
      imports: [formatsFixtureModule({ format: 'envelope' })],
    }));
  });
  afterAll(() => app.close());

  it('on a controller: every handler of it speaks that format', async () => {
    const response = await http().get('/simple/agents/missing');
    expect(response.status).toBe(404);
    expect(response.text).toBe('{"error":"Agent not found"}');
  });

  it('on one handler: that handler speaks it, with its content type', async () => {
    const response = await http().get('/mixed/problem');
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toMatchObject({
      type: 'about:blank',
      code: 'AGENT_NOT_FOUND',
      instance: '/mixed/problem',
    });
  });

  it('the other handler of that controller keeps the module format', async () => {
    const response = await http().get('/mixed/default');
    expect(response.text).toBe(
      '{"error":{"message":"Agent not found","statusCode":404,"code":"AGENT_NOT_FOUND","category":"NOT_FOUND"}}',
    );
  });

  it('an unknown route, which has no handler, keeps the module format', async () => {
    const response = await http().get('/simple/nope');
    expect(response.text).toBe(
      '{"error":{"message":"Cannot GET /simple/nope","statusCode":404,"code":"NOT_FOUND","category":"NOT_FOUND"}}',
    );
  });
});

describe.each(ADAPTERS)('request ids everywhere on %s', (adapter) => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  beforeAll(async () => {
    ({ app } = await createTestApp(adapter, {
      imports: [formatsFixtureModule({ format: 'traced' })],
    }));
  });
  afterAll(() => app.close());

  it('a successful response carries X-Request-Id too', async () => {
    const response = await http().get('/ok');
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(response.headers['cache-control']).toBeUndefined();
  });

  it('echoes a valid incoming id on success', async () => {
    expect((await http().get('/ok').set('X-Request-Id', 'svc-a.1')).headers['x-request-id']).toBe(
      'svc-a.1',
    );
  });

  it('uses the trace id of a valid traceparent when no X-Request-Id came in', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await http().get('/agents/missing').set('traceparent', traceparent);
    expect(response.headers['x-request-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(response.body.error.trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('the id of an error equals the one the middleware assigned (one id per request)', async () => {
    const response = await http().get('/flows/missing');
    expect(response.body.error.trace_id).toBe(response.headers['x-request-id']);
  });

  it('an unknown route gets an id as well', async () => {
    const response = await http().get('/nowhere');
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(response.body.error.trace_id).toBe(response.headers['x-request-id']);
  });
});
