import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

describe.each(ADAPTERS)(
  'reference app set-up (configureApp, as main.ts runs it) on %s',
  (adapter) => {
    let app: INestApplication;
    beforeAll(async () => {
      ({ app } = await createReferenceApp(adapter));
    });
    afterAll(() => app.close());

    it.each([
      ['a success', '/docs/errors', 200],
      ['a domain error', '/api/agents/agt_nope', 401],
      ['an unknown route', '/nope', 404],
    ])('sends no X-Powered-By header on %s', async (_, path, status) => {
      const response = await request(app.getHttpServer()).get(path);
      expect(response.status).toBe(status);
      expect(response.headers).not.toHaveProperty('x-powered-by');
    });
  },
);
