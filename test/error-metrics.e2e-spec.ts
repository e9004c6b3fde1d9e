import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governanceFixtureModule } from './fixtures/governance-fixture.js';
import { protocolsFixtureModule } from './fixtures/protocols-fixture.js';
import { registerMeterProvider } from './support/error-metrics.js';
import { ADAPTERS, createTestApp } from './support/test-app.js';

// The `api.errors` counter through @opentelemetry/api, read with the SDK's in-memory exporter:
// one count per error, by code, status, route pattern (never the path) and category.

const prefixed = { configure: (app: INestApplication) => app.setGlobalPrefix('api/v1') };

describe.each(ADAPTERS)('the api.errors counter on %s', (adapter) => {
  let meters: ReturnType<typeof registerMeterProvider>;
  let unregistered: INestApplication;
  let app: INestApplication;
  let off: INestApplication;

  beforeAll(async () => {
    // Started before any MeterProvider: it never counts (the meter is obtained at start-up).
    ({ app: unregistered } = await createTestApp(
      adapter,
      { imports: [governanceFixtureModule()] },
      prefixed,
    ));
    meters = registerMeterProvider();
    ({ app } = await createTestApp(adapter, { imports: [governanceFixtureModule()] }, prefixed));
    ({ app: off } = await createTestApp(
      adapter,
      { imports: [governanceFixtureModule({ metrics: false })] },
      prefixed,
    ));
  });
  afterAll(async () => {
    await Promise.all([app.close(), off.close(), unregistered.close()]);
    await meters.unregister();
  });

  it('counts each error by type, status, route pattern and category', async () => {
    const http = request(app.getHttpServer());
    await http.get('/api/v1/files/f_1').expect(404);
    await http.get('/api/v1/files/f_2').expect(404);
    await http.get('/api/v1/files/gone').expect(404);
    await http.get('/api/v1/files/crash').expect(500);
    await http.get('/api/v1/flows/flw_1').expect(409);
    await http.get('/api/v1/files/f_3/versions?token=x').expect(404);
    const route = '/api/v1/files/:id';
    expect(await meters.errorCounts()).toEqual([
      {
        attributes: {
          'error.type': 'ENTRY_NOT_FOUND',
          'http.response.status_code': 404,
          'http.route': route,
          'error.category': 'NOT_FOUND',
        },
        value: 2,
      },
      {
        attributes: {
          'error.type': 'NOT_FOUND',
          'http.response.status_code': 404,
          'http.route': route,
          'error.category': 'NOT_FOUND',
        },
        value: 1,
      },
      {
        attributes: {
          'error.type': 'INTERNAL_ERROR',
          'http.response.status_code': 500,
          'http.route': route,
          'error.category': 'INTERNAL',
        },
        value: 1,
      },
      {
        attributes: {
          'error.type': 'FLOW_LOCKED',
          'http.response.status_code': 409,
          'http.route': '/api/v1/flows/:id',
          'error.category': 'CONFLICT',
        },
        value: 1,
      },
      // An unknown route has no route: its path never becomes an attribute.
      {
        attributes: {
          'error.type': 'NOT_FOUND',
          'http.response.status_code': 404,
          'error.category': 'NOT_FOUND',
        },
        value: 1,
      },
    ]);
  });

  it('counts nothing with metrics: false, nor in an app started before the MeterProvider', async () => {
    await request(off.getHttpServer()).get('/api/v1/files/f_1').expect(404);
    await request(unregistered.getHttpServer()).get('/api/v1/files/f_1').expect(404);
    expect(await meters.errorCounts()).toEqual([]);
  });
});

describe.each(ADAPTERS)('the api.errors counter at a GraphQL endpoint on %s', (adapter) => {
  let meters: ReturnType<typeof registerMeterProvider>;
  let app: INestApplication;

  beforeAll(async () => {
    meters = registerMeterProvider();
    ({ app } = await createTestApp(adapter, { imports: [protocolsFixtureModule()] }));
  });
  afterAll(async () => {
    await app.close();
    await meters.unregister();
  });

  it('counts resolver errors and the errors GraphQL answers before resolvers, without a route', async () => {
    const post = (query: string) => request(app.getHttpServer()).post('/graphql').send({ query });
    await post('{ flows { id } missing: flow(id: "nope") { id } }').expect(200);
    await post('{ flows { id }').expect(400);
    expect(await meters.errorCounts()).toEqual([
      {
        attributes: {
          'error.type': 'CONTENT_NOT_FOUND',
          'http.response.status_code': 404,
          'error.category': 'NOT_FOUND',
        },
        value: 1,
      },
      {
        attributes: {
          'error.type': 'GRAPHQL_PARSE_FAILED',
          'http.response.status_code': 400,
          'error.category': 'VALIDATION',
        },
        value: 1,
      },
    ]);
  });
});
