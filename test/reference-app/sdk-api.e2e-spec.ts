import type { INestApplication } from '@nestjs/common';
import { expectApiError } from 'nest-api-errors/testing';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SDK_KEYS } from '../../src/sdk-api/sdk-api.store.js';
import { SDK_RATE_LIMIT } from '../../src/sdk-api/sdk-throttler.guard.js';
import { allPassed, sdkRequest, spreadSdkRequests } from '../support/sdk-traffic.js';
import { ADAPTERS, UUID, listen } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

/** The envelope body of a 400 for a body that is not an event batch, with these details. */
function invalidBody(details: { path: string; message: string }[]): string {
  return JSON.stringify({
    error: {
      message: 'Invalid request body',
      statusCode: 400,
      code: 'VALIDATION_ERROR',
      category: 'VALIDATION',
      details,
    },
  });
}

const NOT_AN_ARRAY = [{ path: 'events', message: 'events must be an array' }];
const JSON_TYPE = 'application/json';

/** [what is sent, Content-Type, raw body (none when undefined), expected details]. */
const BAD_BODIES: [
  string,
  string | undefined,
  string | undefined,
  { path: string; message: string }[],
][] = [
  ['JSON null', JSON_TYPE, 'null', NOT_AN_ARRAY],
  ['a JSON string', JSON_TYPE, '"click"', NOT_AN_ARRAY],
  ['a JSON number', JSON_TYPE, '42', NOT_AN_ARRAY],
  ['JSON true', JSON_TYPE, 'true', NOT_AN_ARRAY],
  ['a JSON array of events', JSON_TYPE, '[{"type":"click"}]', NOT_AN_ARRAY],
  ['text/plain', 'text/plain', '{"events":[{"type":"click"}]}', NOT_AN_ARRAY],
  ['no body', undefined, undefined, NOT_AN_ARRAY],
  ['an empty object', JSON_TYPE, '{}', NOT_AN_ARRAY],
  ['events: null', JSON_TYPE, '{"events":null}', NOT_AN_ARRAY],
  ['events: a string', JSON_TYPE, '{"events":"click"}', NOT_AN_ARRAY],
  [
    'events: one event object, not an array',
    JSON_TYPE,
    '{"events":{"type":"click"}}',
    NOT_AN_ARRAY,
  ],
  [
    'events: []',
    JSON_TYPE,
    '{"events":[]}',
    [{ path: 'events', message: 'At least one event is required' }],
  ],
  [
    '101 events',
    JSON_TYPE,
    JSON.stringify({ events: Array.from({ length: 101 }, () => ({ type: 'click' })) }),
    [{ path: 'events', message: 'At most 100 events per batch' }],
  ],
  [
    'an event that is null',
    JSON_TYPE,
    '{"events":[null]}',
    [{ path: 'events.0', message: 'Each event must be an object' }],
  ],
  [
    'an event that is a string',
    JSON_TYPE,
    '{"events":[{"type":"click"},"click"]}',
    [{ path: 'events.1', message: 'Each event must be an object' }],
  ],
  [
    'an event that is an array',
    JSON_TYPE,
    '{"events":[{"type":"click"},[]]}',
    [{ path: 'events.1', message: 'Each event must be an object' }],
  ],
  [
    'properties that are not an object',
    JSON_TYPE,
    '{"events":[{"type":"click","properties":[]}]}',
    [{ path: 'events.0.properties', message: 'properties must be an object' }],
  ],
];

const RATE_LIMITED =
  '{"error":{"message":"Too many requests","statusCode":429,"code":"RATE_LIMITED","category":"RATE_LIMIT"}}';

describe.each(ADAPTERS)(
  'reference app /api/sdk and /api/health (reference-docs/004, envelope) on %s',
  (adapter) => {
    let app: INestApplication;
    const http = () => request(app.getHttpServer());
    beforeAll(async () => {
      ({ app } = await createReferenceApp(adapter));
    });
    afterAll(() => app.close());

    it('accepts a batch (202)', async () => {
      const response = await http()
        .post('/api/sdk/events')
        .set('X-API-Key', SDK_KEYS.active)
        .send({ events: [{ type: 'click' }] });
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ accepted: 1 });
    });

    it('reproduces the 004 example byte for byte: events.0.type invalid', async () => {
      const response = await http()
        .post('/api/sdk/events')
        .set('X-API-Key', SDK_KEYS.active)
        .send({ events: [{ type: 'hover' }] });
      expectApiError(response, { status: 400, code: 'VALIDATION_ERROR' }, { format: 'envelope' });
      expect(response.text).toBe(
        '{"error":{"message":"Invalid request body","statusCode":400,"code":"VALIDATION_ERROR","category":"VALIDATION","details":[{"path":"events.0.type","message":"Invalid enum value"}]}}',
      );
    });

    it.each([
      ['missing', undefined],
      ['revoked', SDK_KEYS.revoked],
      ['sent as a bearer token instead of X-API-Key', undefined],
    ])('AUTH_FAILED 401 for an API key that is %s', async (_, key) => {
      let call = http().post('/api/sdk/events').set('Authorization', `Bearer ${SDK_KEYS.active}`);
      if (key !== undefined) {
        call = call.set('X-API-Key', key);
      }
      const response = await call.send({ events: [{ type: 'click' }] });
      expect(response.text).toBe(
        '{"error":{"message":"API key is missing, invalid, revoked, or expired","statusCode":401,"code":"AUTH_FAILED","category":"AUTH"}}',
      );
    });

    it('CONTENT_NOT_FOUND 404 for unknown content', async () => {
      const response = await http()
        .get('/api/sdk/content/tour_nope')
        .set('X-API-Key', SDK_KEYS.active);
      expect(response.text).toBe(
        '{"error":{"message":"Flow, tooltip, survey, or other content not found","statusCode":404,"code":"CONTENT_NOT_FOUND","category":"NOT_FOUND"}}',
      );
    });

    it.each(BAD_BODIES)(
      'a body that is not an event batch, %s: 400 VALIDATION_ERROR in the envelope',
      async (_, contentType, body, details) => {
        let call = http().post('/api/sdk/events').set('X-API-Key', SDK_KEYS.active);
        if (contentType !== undefined) {
          call = call.set('Content-Type', contentType);
        }
        const response = await (body === undefined ? call : call.send(body));
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.headers['x-request-id']).toMatch(UUID);
        expect(response.text).toBe(invalidBody(details));
      },
    );

    it('accepts a full batch of 100 events with every optional field', async () => {
      const events = Array.from({ length: 100 }, (_, index) => ({
        type: 'identify',
        userId: `usr_${index}`,
        properties: { plan: 'pro' },
      }));
      const response = await http()
        .post('/api/sdk/events')
        .set('X-API-Key', SDK_KEYS.active)
        .send({ events });
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ accepted: 100 });
    });

    it('GET /api/health answers through @nestjs/terminus', async () => {
      const response = await http().get('/api/health');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        info: { memory_heap: { status: 'up' } },
      });
    });
  },
);

describe.each(ADAPTERS)(
  'reference app SDK rate limit, one instance counting in memory (no REDIS_URL), on %s',
  (adapter) => {
    let app: INestApplication;
    let baseUrl: string;
    let logText: () => string;
    beforeEach(async () => {
      vi.stubEnv('REDIS_URL', undefined);
      const created = await createReferenceApp(adapter);
      app = created.app;
      logText = () => created.logger.text();
      baseUrl = await listen(app);
    });
    afterEach(async () => {
      await app.close();
      vi.unstubAllEnvs();
    });

    it('600 requests/min per API key across all SDK routes: the 601st on either route is 429 RATE_LIMITED', async () => {
      // 300 to GET /api/sdk/content/:id and 300 to POST /api/sdk/events: one budget, not one each.
      expect(await spreadSdkRequests([baseUrl], SDK_RATE_LIMIT.limit, SDK_KEYS.active)).toEqual(
        allPassed([baseUrl], SDK_RATE_LIMIT.limit),
      );

      const first = await sdkRequest(baseUrl, 'content', SDK_KEYS.active);
      expect(first.status).toBe(429);
      expect(first.text).toBe(RATE_LIMITED);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(first.headers['cache-control']).toBe('no-store');
      // Blocked for the window (blockDuration = ttl): the full 60 s from this request.
      expect(first.headers['retry-after']).toBe(String(SDK_RATE_LIMIT.ttl / 1000));

      const other = await sdkRequest(baseUrl, 'events', SDK_KEYS.active);
      expect(other.status).toBe(429);
      expect(other.text).toBe(RATE_LIMITED);
      expect(Number(other.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(other.headers['retry-after'])).toBeLessThanOrEqual(60);

      const anotherKey = await sdkRequest(baseUrl, 'events', SDK_KEYS.another);
      expect(anotherKey.status).toBe(202);
      expect(anotherKey.headers['x-ratelimit-remaining']).toBe(String(SDK_RATE_LIMIT.limit - 1));
    });

    it('after GET /api/sdk/content/:id answers 429, POST /api/sdk/events with the same key is 429 too', async () => {
      expect(
        await spreadSdkRequests([baseUrl], SDK_RATE_LIMIT.limit, SDK_KEYS.active, ['content']),
      ).toEqual(allPassed([baseUrl], SDK_RATE_LIMIT.limit, ['content']));
      expect((await sdkRequest(baseUrl, 'content', SDK_KEYS.active)).status).toBe(429);

      const events = await sdkRequest(baseUrl, 'events', SDK_KEYS.active);
      expect(events.status).toBe(429);
      expect(events.text).toBe(RATE_LIMITED);
    });

    it('counts in this process: nothing about Redis is logged', async () => {
      expect((await sdkRequest(baseUrl, 'content', SDK_KEYS.active)).status).toBe(200);
      expect(logText()).not.toMatch(/redis/i);
    });
  },
);
