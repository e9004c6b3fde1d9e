import type { INestApplication } from '@nestjs/common';
import { ErrorFormatResolver } from '../libs/errors/src/module/error-format.resolver.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { governanceFixtureModule } from './fixtures/governance-fixture.js';
import { ADAPTERS, type CapturingLogger, createTestApp } from './support/test-app.js';

// `declaredErrors: 'warn'`: an error a route's @ApiErrors (handler or controller) does not declare
// is logged once per route and code, naming both; nothing else changes.

const prefixed = { configure: (app: INestApplication) => app.setGlobalPrefix('api/v1') };

/** Every warning about @ApiErrors the app logged. */
const warnings = (logger: CapturingLogger) =>
  logger.entries
    .filter((entry) => entry.level === 'warn' && entry.message.includes('@ApiErrors'))
    .map((entry) => entry.message);

describe.each(ADAPTERS)("declaredErrors: 'warn' on %s", (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp(
      adapter,
      { imports: [governanceFixtureModule({ declaredErrors: 'warn' })] },
      prefixed,
    ));
  });
  afterAll(() => app.close());

  it('one warning per route and code, naming both; declared errors and unknown routes none', async () => {
    const http = request(app.getHttpServer());
    for (const path of [
      'files/missing', // ENTRY_NOT_FOUND, declared on the handler
      'files/limited', // RATE_LIMITED, declared on the controller
      'files/private', // a generic 401, UnauthorizedException declared
      'files/locked', // ENTRY_LOCKED: undeclared
      'files/gone', // a generic 404: only the typed ENTRY_NOT_FOUND is declared
      'flows/flw_1', // FLOW_LOCKED, declared
      'nope', // no route
    ]) {
      // Twice each: the second time says nothing new.
      await http.get(`/api/v1/${path}`);
      await http.get(`/api/v1/${path}`);
    }
    expect(warnings(logger)).toEqual([
      'GET /api/v1/files/:id answered ENTRY_LOCKED, which its @ApiErrors does not declare',
      'GET /api/v1/files/:id answered 404 without a code, which its @ApiErrors does not declare (declare the Nest exception of status 404)',
    ]);
  });

  it('the error itself answers as without the check', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/files/locked');
    expect(response.status).toBe(409);
    expect(JSON.parse(response.text)).toEqual({
      statusCode: 409,
      timestamp: expect.any(String),
      path: '/api/v1/files/locked',
      message: 'Entry is locked by another upload',
      code: 'ENTRY_LOCKED',
    });
  });
});

describe.each(ADAPTERS)("declaredErrors: 'off' (the default) on %s", (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;

  beforeAll(async () => {
    ({ app, logger } = await createTestApp(
      adapter,
      { imports: [governanceFixtureModule()] },
      prefixed,
    ));
  });
  afterAll(() => app.close());

  it('says nothing, and never looks the route up (metrics have no MeterProvider here)', async () => {
    const resolver = app.get(ErrorFormatResolver);
    const routeOf = vi.spyOn(resolver, 'routeOf');
    const declaredErrorsOf = vi.spyOn(resolver, 'declaredErrorsOf');
    await request(app.getHttpServer()).get('/api/v1/files/locked').expect(409);
    await request(app.getHttpServer()).get('/api/v1/files/gone').expect(404);
    expect(warnings(logger)).toEqual([]);
    expect(routeOf).not.toHaveBeenCalled();
    expect(declaredErrorsOf).not.toHaveBeenCalled();
    expect(resolver.bindsHttpRoutes).toBe(false);
  });
});

describe('declaredErrors option', () => {
  it('refuses a value other than off and warn at start-up', async () => {
    await expect(
      createTestApp('express', {
        imports: [governanceFixtureModule({ declaredErrors: 'error' as 'warn' })],
      }),
    ).rejects.toThrow(`ErrorsModule declaredErrors: 'off' or 'warn', not "error"`);
  });
});
