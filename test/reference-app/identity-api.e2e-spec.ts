import type { INestApplication } from '@nestjs/common';
import { expectApiError } from 'nest-api-errors/testing';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXCHANGE_RATE_LIMIT } from '../../src/identity-api/auth-exchange.controller.js';
import { SUBJECT_TOKENS } from '../../src/identity-api/identity-api.store.js';
import { ADAPTERS, UUID } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

/** The whole reference-docs/002 body: `{error: {code, message, trace_id, details?}}`, trace_id = X-Request-Id. */
function expect002(
  response: Response,
  status: number,
  code: string,
  message: string,
  details?: Record<string, string>,
) {
  expectApiError(
    response,
    { status, code: code.toUpperCase(), message },
    {
      format: 'traced',
      details:
        details === undefined
          ? undefined
          : Object.entries(details).map(([path, text]) => ({ path, message: text })),
    },
  );
  expect(response.headers['x-request-id']).toMatch(UUID);
}

describe.each(ADAPTERS)('reference app /v2 (reference-docs/002, traced) on %s', (adapter) => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const exchange = (subject_token: unknown) =>
    http().post('/v2/auth/exchange').send({ subject_token });
  let adminToken: string;
  let readOnlyToken: string;

  beforeAll(async () => {
    ({ app } = await createReferenceApp(adapter));
    adminToken = (await exchange(SUBJECT_TOKENS.admin)).body.access_token as string;
    readOnlyToken = (await exchange(SUBJECT_TOKENS.readOnly)).body.access_token as string;
  });
  afterAll(() => app.close());

  it('exchanges a valid subject token', () => {
    expect(adminToken).toMatch(/^at_/);
  });

  it('invalid_grant 401', async () => {
    expect002(
      await exchange('forged'),
      401,
      'invalid_grant',
      'The subject_token passed to /auth/exchange is invalid or could not be verified',
    );
  });

  it('mfa_required 403', async () => {
    expect002(
      await exchange(SUBJECT_TOKENS.withoutMfa),
      403,
      'mfa_required',
      'MFA enrollment is required by this workspace',
    );
  });

  it('sso_required 403', async () => {
    expect002(
      await exchange(SUBJECT_TOKENS.passwordLogin),
      403,
      'sso_required',
      'SSO is enforced for this workspace — use the SSO flow',
    );
  });

  it('validation_error 400 with details keyed by dot-path', async () => {
    const response = await http()
      .post('/v2/service-accounts')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ name: 7, scopes: [42] });
    expect002(response, 400, 'validation_error', 'Request validation failed', {
      // Two rules failed on one path: their messages are joined with ", ".
      name: 'name must be longer than or equal to 1 and shorter than or equal to 64 characters, name must be a string',
      scopes: 'each value in scopes must be a string',
    });
  });

  it('unauthorized 401 without a token', async () => {
    expect002(
      await http().get('/v2/service-accounts/sa_1'),
      401,
      'unauthorized',
      'Missing, invalid or expired Authorization token',
    );
  });

  it('forbidden 403 with a read-only token', async () => {
    const response = await http()
      .post('/v2/service-accounts')
      .set('Authorization', `Bearer ${readOnlyToken}`)
      .send({ name: 'ci', scopes: ['service_accounts:read'] });
    expect002(response, 403, 'forbidden', 'Valid token but insufficient scope for this operation');
  });

  it('unprocessable_entity 422 for a scope the workspace does not grant', async () => {
    const response = await http()
      .post('/v2/service-accounts')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ name: 'ci', scopes: ['billing:write'] });
    expect002(response, 422, 'unprocessable_entity', 'Scopes must be ones this workspace grants');
  });

  it('conflict 409 for a duplicate name; not_found 404 for an unknown account', async () => {
    const create = () =>
      http()
        .post('/v2/service-accounts')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ name: 'deployer', scopes: [] });
    const created = await create();
    expect(created.status).toBe(201);
    expect002(await create(), 409, 'conflict', 'A service account with this name already exists');
    const found = await http()
      .get(`/v2/service-accounts/${created.body.id}`)
      .set('Authorization', `Bearer ${adminToken}`);
    expect(found.status).toBe(200);
    expect002(
      await http().get('/v2/service-accounts/sa_nope').set('Authorization', `Bearer ${adminToken}`),
      404,
      'not_found',
      'The requested resource does not exist',
    );
  });

  it('rate_limited 429 with Retry-After once one IP exceeds the exchange limit', async () => {
    let last = await exchange('forged');
    for (let sent = 1; sent <= EXCHANGE_RATE_LIMIT.limit && last.status !== 429; sent++) {
      last = await exchange('forged');
    }
    expect002(last, 429, 'rate_limited', 'Too many requests');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });
});
