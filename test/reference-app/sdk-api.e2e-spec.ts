import type { INestApplication } from '@nestjs/common';
import { expectApiError } from 'nest-api-errors/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../src/app.module.js';
import { SDK_KEYS, SDK_RATE_LIMIT } from '../../src/sdk-api/sdk-api.js';
import { ADAPTERS, createTestApp } from '../support/test-app.js';

describe.each(ADAPTERS)(
  'reference app /api/sdk and /api/health (reference-docs/004, envelope) on %s',
  (adapter) => {
    let app: INestApplication;
    const http = () => request(app.getHttpServer());
    beforeAll(async () => {
      ({ app } = await createTestApp(adapter, { imports: [AppModule] }));
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

    it('RATE_LIMITED 429 with Retry-After after 600 requests in a minute for one API key', async () => {
      let last = await http()
        .get('/api/sdk/content/tour_welcome')
        .set('X-API-Key', SDK_KEYS.active);
      for (let sent = 1; sent < SDK_RATE_LIMIT.limit + 1 && last.status !== 429; sent++) {
        last = await http().get('/api/sdk/content/tour_welcome').set('X-API-Key', SDK_KEYS.active);
      }
      expect(last.status).toBe(429);
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      expect(last.text).toBe(
        '{"error":{"message":"Too many requests","statusCode":429,"code":"RATE_LIMITED","category":"RATE_LIMIT"}}',
      );
    }, 60_000);

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
