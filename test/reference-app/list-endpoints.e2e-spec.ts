import type { INestApplication } from '@nestjs/common';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_DEMO } from '../../src/dashboard-api/dashboard-api.store.js';
import { SUBJECT_TOKENS } from '../../src/identity-api/identity-api.store.js';
import { DEMO } from '../../src/platform/data/platform.store.js';
import { ADAPTERS, ISO_TIMESTAMP, UUID } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

/*
 * DESIGN, "Reference app": every resource has its list endpoint (reference-docs/003's 404 and
 * 409 rows say "use the corresponding list endpoint"). Each list holds the caller's resources
 * only, and answers a missing credential in its API's format.
 */

const ACME = `Bearer ${DEMO.tokens.acmeProduction}`;
const AGENTS_KEY = 'Bearer demo-agents-api-key';

function expectList(response: Response, items: unknown[]) {
  expect(response.status).toBe(200);
  expect(response.body).toStrictEqual(items);
}

describe.each(ADAPTERS)('reference app list endpoints on %s', (adapter) => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app } = await createReferenceApp(adapter));
  });
  afterAll(() => app.close());

  describe('/api/v1 (000)', () => {
    it("GET /api/v1/sessions: the organization's sessions in the token's environment", async () => {
      expectList(await http().get('/api/v1/sessions').set('Authorization', ACME), [
        {
          id: DEMO.sessions.acmeProduction,
          client_id: DEMO.clients.acmeWeb,
          environment: 'production',
          redirect_url: DEMO.redirectUrl,
          vault_entry_ids: [DEMO.files.report],
          created_at: '2026-02-17T09:18:05.040Z',
        },
      ]);
      expectList(
        await http()
          .get('/api/v1/sessions')
          .set('Authorization', `Bearer ${DEMO.tokens.acmeSandbox}`),
        [],
      );
    });

    it("GET /api/v1/flows: the organization's flows", async () => {
      expectList(await http().get('/api/v1/flows').set('Authorization', ACME), [
        { id: 'flw_onboarding', name: 'Onboarding' },
      ]);
      expectList(
        await http()
          .get('/api/v1/flows')
          .set('Authorization', `Bearer ${DEMO.tokens.globexProduction}`),
        [],
      );
    });

    it("GET /api/v1/files: the organization's entries, without the deleted one", async () => {
      expectList(await http().get('/api/v1/files').set('Authorization', ACME), [
        { id: DEMO.files.report, name: 'report.pdf', kind: 'binary', parent_id: null },
        { id: DEMO.files.form, name: 'signup-form', kind: 'data-block', parent_id: null },
        {
          id: DEMO.files.attached,
          name: 'appendix.pdf',
          kind: 'binary',
          parent_id: DEMO.files.report,
        },
      ]);
      expectList(
        await http()
          .get('/api/v1/files')
          .set('Authorization', `Bearer ${DEMO.tokens.globexProduction}`),
        [{ id: DEMO.files.globexSecret, name: 'payroll.xlsx', kind: 'binary', parent_id: null }],
      );
    });

    it.each(['/api/v1/sessions', '/api/v1/flows', '/api/v1/files'])(
      'GET %s without a token → 401, timestamped',
      async (path) => {
        const response = await http().get(path);
        expect(response.status).toBe(401);
        expect(response.body.timestamp).toMatch(ISO_TIMESTAMP);
        expect(response.text).toBe(
          JSON.stringify({
            statusCode: 401,
            timestamp: response.body.timestamp,
            path,
            message: 'Missing or invalid OAuth token',
          }),
        );
      },
    );
  });

  describe('/api (003)', () => {
    it.each([
      [
        '/api/agents',
        [
          {
            id: 'agt_default',
            name: 'Default agent',
            identifier: 'default',
            secretMode: 'all',
            secretIds: [],
          },
          {
            id: 'agt_support',
            name: 'Support',
            identifier: 'support',
            secretMode: 'all',
            secretIds: [],
          },
        ],
      ],
      [
        '/api/secrets',
        [{ id: 'sec_github', name: 'GitHub', type: 'bearer', hostPattern: 'api.github.com' }],
      ],
      ['/api/rules', [{ id: 'rul_1', action: 'deny' }]],
      [
        '/api/apps',
        [
          { provider: 'slack', available: true, requiredFields: ['botToken'] },
          { provider: 'jira', available: false, requiredFields: ['apiToken', 'siteUrl'] },
        ],
      ],
    ])('GET %s', async (path, items) => {
      expectList(await http().get(path).set('Authorization', AGENTS_KEY), items);
      const unauthorized = await http().get(path);
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.text).toBe('{"error":"Missing or invalid API key"}');
    });
  });

  describe('/v2 (002)', () => {
    it("GET /v2/service-accounts: the workspace's accounts", async () => {
      const token = async (subject: string) =>
        (await http().post('/v2/auth/exchange').send({ subject_token: subject })).body
          .access_token as string;
      const admin = `Bearer ${await token(SUBJECT_TOKENS.admin)}`;
      expectList(await http().get('/v2/service-accounts').set('Authorization', admin), []);
      const created = await http()
        .post('/v2/service-accounts')
        .set('Authorization', admin)
        .send({ name: 'ci', scopes: ['service_accounts:read'] });
      expect(created.status).toBe(201);
      const account = { id: created.body.id, name: 'ci', scopes: ['service_accounts:read'] };
      expectList(await http().get('/v2/service-accounts').set('Authorization', admin), [account]);
      // Another subject of the same workspace sees it; listing needs no write scope.
      const readOnly = `Bearer ${await token(SUBJECT_TOKENS.readOnly)}`;
      expectList(await http().get('/v2/service-accounts').set('Authorization', readOnly), [
        account,
      ]);

      const unauthorized = await http().get('/v2/service-accounts');
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.headers['x-request-id']).toMatch(UUID);
      expect(unauthorized.text).toBe(
        JSON.stringify({
          error: {
            code: 'unauthorized',
            message: 'Missing, invalid or expired Authorization token',
            trace_id: unauthorized.headers['x-request-id'],
          },
        }),
      );
    });
  });

  describe('/api/dashboard (004)', () => {
    let owner: string;
    beforeAll(async () => {
      owner = `Bearer ${
        (await http().post('/api/dashboard/auth/login').send(DASHBOARD_DEMO.owner)).body
          .access_token as string
      }`;
    });

    it.each([
      [
        '/api/dashboard/users',
        [
          { id: 'usr_owner', email: DASHBOARD_DEMO.owner.email, role: 'owner' },
          { id: 'usr_viewer', email: DASHBOARD_DEMO.viewer.email, role: 'viewer' },
          { id: 'usr_google', email: DASHBOARD_DEMO.googleUser, role: 'viewer' },
        ],
      ],
      [
        '/api/dashboard/audiences',
        [
          { id: 'aud_trial', usedBy: ['tour_welcome'] },
          { id: 'aud_unused', usedBy: [] },
        ],
      ],
      ['/api/dashboard/contents', [{ id: 'tour_welcome', text: 'Welcome aboard' }]],
    ])('GET %s: the tenant’s, and only to its members', async (path, items) => {
      expectList(
        await http()
          .get(path)
          .set('Authorization', owner)
          .set('x-tenant-id', DASHBOARD_DEMO.tenantId),
        items,
      );
      const envelope = (response: Response, statusCode: number, code: string, message: string) => {
        expect(response.status).toBe(statusCode);
        expect(response.text).toBe(
          JSON.stringify({
            error: {
              message,
              statusCode,
              code,
              category: statusCode === 401 || statusCode === 403 ? 'AUTH' : 'VALIDATION',
            },
          }),
        );
      };
      envelope(
        await http().get(path).set('x-tenant-id', DASHBOARD_DEMO.tenantId),
        401,
        'AUTH_NO_TOKEN',
        'No JWT token found in cookie or Authorization header',
      );
      envelope(
        await http().get(path).set('Authorization', owner),
        400,
        'MISSING_TENANT_ID',
        'Company context could not be determined',
      );
      envelope(
        await http().get(path).set('Authorization', owner).set('x-tenant-id', 'ten_globex'),
        403,
        'FORBIDDEN',
        'Valid authentication but insufficient permissions',
      );
    });
  });
});
