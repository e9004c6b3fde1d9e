import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, UUID } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

const KEY = 'Bearer demo-agents-api-key';

type Call = (http: ReturnType<typeof request>) => request.Test;

/** Every message of reference-docs/003, each from the request that makes the domain say it. */
const ROWS: [string, number, Call][] = [
  [
    'Agent name must be 1-255 characters',
    400,
    (http) => http.post('/api/agents').send({ name: '', identifier: 'x' }),
  ],
  [
    'Identifier must be 1-50 characters, start with a letter, and contain only lowercase letters, numbers, and hyphens',
    400,
    (http) => http.post('/api/agents').send({ name: 'Sales', identifier: '9-Sales' }),
  ],
  [
    'Agent with this identifier already exists',
    409,
    (http) => http.post('/api/agents').send({ name: 'Help', identifier: 'support' }),
  ],
  ['Cannot delete the default agent', 400, (http) => http.delete('/api/agents/agt_default')],
  ['Agent is already the default', 400, (http) => http.post('/api/agents/agt_default/default')],
  [
    'Cannot use selective secret mode without assigned secrets',
    400,
    (http) =>
      http.post('/api/agents').send({ name: 'Ops', identifier: 'ops', secretMode: 'selective' }),
  ],
  [
    'One or more secrets not found',
    400,
    (http) =>
      http.post('/api/agents').send({
        name: 'Ops',
        identifier: 'ops-2',
        secretMode: 'selective',
        secretIds: ['sec_nope'],
      }),
  ],
  ['Agent not found', 404, (http) => http.get('/api/agents/agt_nope')],
  [
    'Enter a hostname, not a URL (remove http:// or https://)',
    400,
    (http) =>
      http.post('/api/secrets').send({ name: 'Stripe', hostPattern: 'https://api.stripe.com' }),
  ],
  [
    'Enter a hostname only, not a path (use the path pattern field for paths)',
    400,
    (http) => http.post('/api/secrets').send({ name: 'Stripe', hostPattern: 'api.stripe.com/v1' }),
  ],
  [
    'Host pattern must not contain spaces',
    400,
    (http) => http.post('/api/secrets').send({ name: 'Stripe', hostPattern: 'api stripe.com' }),
  ],
  [
    'At least one injection method (header/param) must be configured',
    400,
    (http) =>
      http.post('/api/secrets').send({
        name: 'Stripe',
        type: 'generic',
        hostPattern: 'api.stripe.com',
        injectionConfig: {},
      }),
  ],
  ['No fields to update', 400, (http) => http.patch('/api/secrets/sec_github').send({})],
  ['Secret not found', 404, (http) => http.patch('/api/secrets/sec_nope').send({ name: 'x' })],
  [
    'rateLimit and rateLimitWindow are required when action is rate_limit',
    400,
    (http) => http.post('/api/rules').send({ action: 'rate_limit', rateLimit: 10 }),
  ],
  ['At least one field must be provided', 400, (http) => http.patch('/api/rules/rul_1').send({})],
  [
    'Policy rule not found',
    404,
    (http) => http.patch('/api/rules/rul_nope').send({ action: 'allow' }),
  ],
  [
    'Unknown provider: notion',
    404,
    (http) => http.post('/api/apps/notion/connect').send({ fields: {} }),
  ],
  [
    'Provider "jira" is not available',
    400,
    (http) => http.post('/api/apps/jira/connect').send({ fields: {} }),
  ],
  ['Missing fields in request body', 400, (http) => http.post('/api/apps/slack/connect').send({})],
  [
    'botToken is required',
    400,
    (http) => http.post('/api/apps/slack/connect').send({ fields: { botToken: ' ' } }),
  ],
  [
    'connectionId query parameter is required',
    400,
    (http) => http.delete('/api/apps/slack/connections'),
  ],
  [
    'clientId is required',
    400,
    (http) => http.put('/api/apps/slack/byoc').send({ clientSecret: 's' }),
  ],
  [
    'clientSecret is required',
    400,
    (http) => http.put('/api/apps/slack/byoc').send({ clientId: 'c' }),
  ],
  [
    'User name must be 1-255 characters',
    400,
    (http) => http.patch('/api/user').send({ name: 'x'.repeat(256) }),
  ],
];

describe.each(ADAPTERS)('reference app /api (reference-docs/003, simple) on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await createReferenceApp(adapter));
  });
  afterAll(() => app.close());

  it('covers every message row of 003', () => {
    expect(ROWS).toHaveLength(25);
  });

  it.each(ROWS)('"%s" → %i', async (message, status, call) => {
    const response = await call(request(app.getHttpServer())).set('Authorization', KEY);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(response.text).toBe(JSON.stringify({ error: message }));
  });

  it('401 without an API key: {"error":"Missing or invalid API key"}', async () => {
    const response = await request(app.getHttpServer()).get('/api/agents/agt_default');
    expect(response.status).toBe(401);
    expect(response.text).toBe('{"error":"Missing or invalid API key"}');
  });

  it('speaks German to a client that asks, with the same codes and statuses', async () => {
    const missing = await request(app.getHttpServer())
      .get('/api/agents/agt_nope')
      .set('Authorization', KEY)
      .set('Accept-Language', 'de-DE, en;q=0.5');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-language']).toBe('de');
    expect(missing.text).toBe('{"error":"Agent nicht gefunden"}');
    const provider = await request(app.getHttpServer())
      .post('/api/apps/notion/connect')
      .set('Authorization', KEY)
      .set('Accept-Language', 'de')
      .send({});
    expect(provider.status).toBe(404);
    expect(provider.text).toBe('{"error":"Unbekannter Anbieter: notion"}');
    const english = await request(app.getHttpServer())
      .get('/api/agents/agt_nope')
      .set('Authorization', KEY)
      .set('Accept-Language', 'fr');
    expect(english.text).toBe('{"error":"Agent not found"}');
    expect(english.headers['content-language']).toBeUndefined();
  });

  it('creates an agent (201) when every documented rule holds', async () => {
    const ok = await request(app.getHttpServer())
      .post('/api/agents')
      .set('Authorization', KEY)
      .send({ name: 'Sales', identifier: 'sales' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ identifier: 'sales', secretMode: 'all' });
  });
});
