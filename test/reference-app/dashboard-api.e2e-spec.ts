import type { INestApplication } from '@nestjs/common';
import type { ErrorCategory } from 'nest-api-errors';
import { expectApiError } from 'nest-api-errors/testing';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DEMO } from '../../src/dashboard-api/dashboard-api.store.js';
import { PROVISIONER } from '../../src/dashboard-api/provisioner.js';
import { TRANSLATOR } from '../../src/dashboard-api/translator.js';
import { issueToken } from '../../src/dashboard-api/jwt.token.js';
import { ADAPTERS, type CapturingLogger, UUID } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

/** The whole reference-docs/004 body: `{error: {message, statusCode, code, category}}`. */
function expect004(
  response: Response,
  statusCode: number,
  code: string,
  category: string,
  message: string,
) {
  expectApiError(
    response,
    { status: statusCode, code, message, category: category as ErrorCategory },
    { format: 'envelope' },
  );
  expect(response.headers['x-request-id']).toMatch(UUID);
}

describe.each(ADAPTERS)(
  'reference app /api/dashboard (reference-docs/004, envelope) on %s',
  (adapter) => {
    let app: INestApplication;
    const http = () => request(app.getHttpServer());
    let ownerToken: string;
    let viewerToken: string;
    const tenant = { 'x-tenant-id': DASHBOARD_DEMO.tenantId };

    beforeAll(async () => {
      ({ app } = await createReferenceApp(adapter));
      ownerToken = (await http().post('/api/dashboard/auth/login').send(DASHBOARD_DEMO.owner)).body
        .access_token as string;
      viewerToken = (await http().post('/api/dashboard/auth/login').send(DASHBOARD_DEMO.viewer))
        .body.access_token as string;
    });
    afterAll(() => app.close());

    it('logs in (200) with a refresh cookie', async () => {
      const response = await http().post('/api/dashboard/auth/login').send(DASHBOARD_DEMO.owner);
      expect(response.status).toBe(200);
      expect(String(response.headers['set-cookie'])).toMatch(
        /^refresh_token=[0-9a-f-]{36}; HttpOnly/,
      );
    });

    it('AUTH_INVALID_CREDENTIALS / AUTH_PROVIDER_MISMATCH on login', async () => {
      expect004(
        await http()
          .post('/api/dashboard/auth/login')
          .send({ ...DASHBOARD_DEMO.owner, password: 'nope' }),
        401,
        'AUTH_INVALID_CREDENTIALS',
        'AUTH',
        'Email/password combination is incorrect',
      );
      expect004(
        await http()
          .post('/api/dashboard/auth/login')
          .send({ email: DASHBOARD_DEMO.googleUser, password: 'x' }),
        401,
        'AUTH_PROVIDER_MISMATCH',
        'AUTH',
        'Account was registered with a different auth method',
      );
    });

    it('AUTH_NO_TOKEN / AUTH_INVALID_TOKEN / AUTH_TOKEN_REVOKED on /me', async () => {
      expect004(
        await http().get('/api/dashboard/me'),
        401,
        'AUTH_NO_TOKEN',
        'AUTH',
        'No JWT token found in cookie or Authorization header',
      );
      const expired = issueToken('usr_owner', DASHBOARD_DEMO.tenantId, 60, Date.now() - 3_600_000);
      for (const token of ['not.a.jwt', expired]) {
        expect004(
          await http().get('/api/dashboard/me').set('Authorization', `Bearer ${token}`),
          401,
          'AUTH_INVALID_TOKEN',
          'AUTH',
          'JWT token is malformed or expired',
        );
      }
      const token = (await http().post('/api/dashboard/auth/login').send(DASHBOARD_DEMO.owner)).body
        .access_token as string;
      expect(
        (await http().get('/api/dashboard/me').set('Cookie', `access_token=${token}`)).status,
      ).toBe(200);
      expect(
        (await http().post('/api/dashboard/auth/logout').set('Authorization', `Bearer ${token}`))
          .status,
      ).toBe(204);
      expect004(
        await http().get('/api/dashboard/me').set('Authorization', `Bearer ${token}`),
        401,
        'AUTH_TOKEN_REVOKED',
        'AUTH',
        'JWT token has been explicitly revoked',
      );
    });

    it('AUTH_NO_REFRESH_TOKEN / AUTH_INVALID_REFRESH_TOKEN on refresh', async () => {
      expect004(
        await http().post('/api/dashboard/auth/refresh'),
        401,
        'AUTH_NO_REFRESH_TOKEN',
        'AUTH',
        'Refresh token cookie is missing',
      );
      expect004(
        await http().post('/api/dashboard/auth/refresh').set('Cookie', 'refresh_token=stale'),
        401,
        'AUTH_INVALID_REFRESH_TOKEN',
        'AUTH',
        'Refresh token is invalid or expired',
      );
    });

    it('INVALID_INVITE_TOKEN / INVALID_RESET_TOKEN', async () => {
      expect004(
        await http().post('/api/dashboard/invites/accept').send({ token: 'inv_x' }),
        400,
        'INVALID_INVITE_TOKEN',
        'VALIDATION',
        'Invite token is malformed or expired',
      );
      expect004(
        await http().post('/api/dashboard/password-reset').send({ token: 'rst_x' }),
        400,
        'INVALID_RESET_TOKEN',
        'VALIDATION',
        'Password reset token is malformed or expired',
      );
    });

    it('EMAIL_EXISTS / TENANT_EXISTS on registration', async () => {
      expect004(
        await http()
          .post('/api/dashboard/register')
          .send({ email: DASHBOARD_DEMO.owner.email, company: 'New' }),
        409,
        'EMAIL_EXISTS',
        'CONFLICT',
        'Email address is already registered',
      );
      expect004(
        await http()
          .post('/api/dashboard/register')
          .send({ email: 'new@new.test', company: 'Acme' }),
        409,
        'TENANT_EXISTS',
        'CONFLICT',
        'A company with this name already exists',
      );
    });

    it('MISSING_TENANT_ID / TENANT_NOT_FOUND / FORBIDDEN for the tenant header', async () => {
      const get = (headers: Record<string, string>) =>
        http()
          .get('/api/dashboard/users/usr_owner')
          .set('Authorization', `Bearer ${ownerToken}`)
          .set(headers);
      expect004(
        await get({}),
        400,
        'MISSING_TENANT_ID',
        'VALIDATION',
        'Company context could not be determined',
      );
      expect004(
        await get({ 'x-tenant-id': 'ten_nope' }),
        404,
        'TENANT_NOT_FOUND',
        'NOT_FOUND',
        'Referenced company does not exist',
      );
      expect004(
        await get({ 'x-tenant-id': 'ten_globex' }),
        403,
        'FORBIDDEN',
        'AUTH',
        'Valid authentication but insufficient permissions',
      );
    });

    it('USER_NOT_FOUND / INSUFFICIENT_ROLE / MEMBER_EXISTS', async () => {
      expect004(
        await http()
          .get('/api/dashboard/users/usr_nope')
          .set('Authorization', `Bearer ${ownerToken}`)
          .set(tenant),
        404,
        'USER_NOT_FOUND',
        'NOT_FOUND',
        'Referenced user does not exist',
      );
      expect004(
        await http()
          .post('/api/dashboard/members')
          .set('Authorization', `Bearer ${viewerToken}`)
          .set(tenant)
          .send({ email: 'x@acme.test' }),
        403,
        'INSUFFICIENT_ROLE',
        'AUTH',
        'User role does not have access to this operation',
      );
      expect004(
        await http()
          .post('/api/dashboard/members')
          .set('Authorization', `Bearer ${ownerToken}`)
          .set(tenant)
          .send({ email: DASHBOARD_DEMO.viewer.email }),
        409,
        'MEMBER_EXISTS',
        'CONFLICT',
        'User is already a member of this company',
      );
    });

    it('AUDIENCE_IN_USE / NOT_FOUND / CONTENT_NOT_FOUND', async () => {
      const remove = (id: string) =>
        http()
          .delete(`/api/dashboard/audiences/${id}`)
          .set('Authorization', `Bearer ${ownerToken}`)
          .set(tenant);
      expect004(
        await remove('aud_trial'),
        409,
        'AUDIENCE_IN_USE',
        'CONFLICT',
        'Audience is referenced by active content and cannot be deleted',
      );
      expect004(await remove('aud_nope'), 404, 'NOT_FOUND', 'NOT_FOUND', 'Audience not found');
      expect004(
        await http()
          .post('/api/dashboard/contents/tour_nope/translate')
          .set('Authorization', `Bearer ${ownerToken}`)
          .set(tenant)
          .send({}),
        404,
        'CONTENT_NOT_FOUND',
        'NOT_FOUND',
        'Flow, tooltip, survey, or other content not found',
      );
    });
  },
);

describe.each(ADAPTERS)('reference app /api/dashboard with failing providers on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  let translate: () => Promise<unknown> = async () => ({ text: 'ok' });

  beforeAll(async () => {
    ({ app, logger } = await createReferenceApp(adapter, {
      override: (builder) =>
        builder
          .overrideProvider(PROVISIONER)
          .useValue({
            provision: () => Promise.reject(new Error('billing API: 502 from 10.9.8.7')),
          })
          .overrideProvider(TRANSLATOR)
          .useValue({ translate: () => translate() }),
    }));
  });
  afterAll(() => app.close());

  const translateRequest = async () => {
    const token = (
      await request(app.getHttpServer())
        .post('/api/dashboard/auth/login')
        .send(DASHBOARD_DEMO.owner)
    ).body.access_token as string;
    return request(app.getHttpServer())
      .post('/api/dashboard/contents/tour_welcome/translate')
      .set('Authorization', `Bearer ${token}`)
      .set('x-tenant-id', DASHBOARD_DEMO.tenantId)
      .send({ locale: 'de' });
  };

  it('REGISTRATION_FAILED 500, the provider error only in the log', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/dashboard/register')
      .send({ email: 'new@new.test', company: 'Initech' });
    expect004(
      response,
      500,
      'REGISTRATION_FAILED',
      'INTERNAL',
      'User/company registration could not be completed',
    );
    expect(response.text).not.toContain('10.9.8.7');
    expect(logger.text()).toContain('billing API: 502 from 10.9.8.7');
  });

  it('EXTERNAL_SERVICE_ERROR 500 when the AI provider fails', async () => {
    translate = () => Promise.reject(new Error('upstream timeout'));
    expect004(
      await translateRequest(),
      500,
      'EXTERNAL_SERVICE_ERROR',
      'EXTERNAL_SERVICE',
      'Third-party service call failed',
    );
  });

  it('INTERNAL_ERROR 500 when its answer breaks our code', async () => {
    translate = async () => ({});
    expect004(await translateRequest(), 500, 'INTERNAL_ERROR', 'INTERNAL', 'Internal server error');
  });
});
