import { HttpException, type INestApplication } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Ajv } from 'ajv';
import { default as addFormats } from 'ajv-formats';
import { ErrorsFilter } from 'nest-api-errors';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DASHBOARD_DEMO } from '../../src/dashboard-api/dashboard-api.store.js';
import { PROVISIONER } from '../../src/dashboard-api/provisioner.js';
import { TRANSLATOR, type Translator } from '../../src/dashboard-api/translator.js';
import { issueToken } from '../../src/dashboard-api/jwt.token.js';
import { EXCHANGE_RATE_LIMIT } from '../../src/identity-api/auth-exchange.controller.js';
import { SUBJECT_TOKENS } from '../../src/identity-api/identity-api.store.js';
import { DEMO } from '../../src/platform/data/platform.store.js';
import { FILE_STORAGE, type FileStorage } from '../../src/platform/files/file-storage.js';
import { SDK_KEYS } from '../../src/sdk-api/sdk-api.store.js';
import { SDK_RATE_LIMIT } from '../../src/sdk-api/sdk-throttler.guard.js';
import { readmeExamples } from '../support/readme-examples.js';
import { createReferenceApp } from '../support/reference-app.js';
import { allPassed, spreadSdkRequests } from '../support/sdk-traffic.js';
import { ADAPTERS, listen } from '../support/test-app.js';
import {
  type ValidatingProxy,
  type Violation,
  startValidatingProxy,
  violationsOf,
} from '../support/validating-proxy.js';
import { OPENAPI_JSON_PATH } from '../../src/openapi.js';

/*
 * Issue 16 item 6: every error the reference app's routes answer matches a response the OpenAPI
 * document it serves (GET /openapi.json) declares for that route. Each request below is replayed
 * on Express and Fastify; for each error response the route's operation must declare the status,
 * the response's media type, a schema the body validates against, and the class that was thrown
 * (one named example per class, ApiErrors' contract).
 *
 * Issue 29: the same session (plus a success and a body over the limit on every prefix) goes
 * through an independent validating proxy, Prism (`@stoplight/prism-cli`), in front of each app:
 * it checks every response (status, headers, body) and every request against the document, so a
 * response the document leaves out (a 413 nobody declared) or a request schema the app does not
 * match is found by a tool that is not this library's.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Replay {
  method: Method;
  /** With `{{name}}` placeholders for the tokens the set-up obtains. */
  path: string;
  headers?: Record<string, string>;
  /** Sent as it is when a string (with its own Content-Type header), as JSON otherwise. */
  body?: unknown;
  /** What the request must answer: every replay is an error, except where said. */
  status: number;
  /** The app with failing storage, provisioner, translator and health check. */
  faulty?: true;
  /** Send it this many times; the last answer is checked. */
  repeat?: number;
  /** Answered before any route (no operation to check) or by GraphQL (not in the document). */
  skip?: 'before routing' | 'graphql';
  /** A success: only the validating proxy checks it. */
  success?: true;
}

const ACME = { Authorization: `Bearer ${DEMO.tokens.acmeProduction}` };
const SANDBOX = { Authorization: `Bearer ${DEMO.tokens.acmeSandbox}` };
const GLOBEX = { Authorization: `Bearer ${DEMO.tokens.globexProduction}` };
const AGENTS = { Authorization: 'Bearer demo-agents-api-key' };
const SDK = { 'X-API-Key': SDK_KEYS.active };
const OWNER = { Authorization: 'Bearer {{owner}}', 'x-tenant-id': DASHBOARD_DEMO.tenantId };
const VIEWER = { Authorization: 'Bearer {{viewer}}', 'x-tenant-id': DASHBOARD_DEMO.tenantId };
const ADMIN = { Authorization: 'Bearer {{admin}}' };
const JSON_TYPE = { 'Content-Type': 'application/json' };
const UNKNOWN_UUID = '11111111-2222-4333-8444-555555555555';
const file = (id: string, suffix = '') => `/api/v1/files/${id}${suffix}`;
const session = (id: string) => `/api/v1/sessions/${id}`;
const newSession = { client_id: DEMO.clients.acmeWeb, redirect_url: DEMO.redirectUrl };
const upload = { name: 'a.txt', content_base64: 'aGk=' };

/** Every `<!-- example -->` of the root README that the reference app answers. */
const README_EXAMPLES: Replay[] = readmeExamples(
  fileURLToPath(new URL('../../README.md', import.meta.url)),
)
  .filter(({ request }) => request.app === 'reference')
  .map(({ request, body }) => ({
    method: request.method!,
    path: request.path!,
    headers: request.headers,
    body: request.body,
    status: request.status!,
    // What the README shows says which errors come before routing: an unknown route, bad JSON.
    ...(request.path!.startsWith('/graphql')
      ? { skip: 'graphql' as const }
      : /^(Cannot |Malformed JSON)/.test(String(body.message))
        ? { skip: 'before routing' as const }
        : {}),
  }));

/** The rows of the root README's tables, one request per error they name, API by API. */
// prettier-ignore
const README_TABLES: Replay[] = [
  // /api/v1 (000)
  { method: 'POST', path: '/api/v1/sessions', headers: ACME, body: { ...newSession, client_id: 'cli_nope' }, status: 400 },
  { method: 'POST', path: '/api/v1/sessions', headers: GLOBEX, body: newSession, status: 400 },
  { method: 'POST', path: '/api/v1/sessions', headers: ACME, body: { ...newSession, client_id: DEMO.clients.acmeUnconfigured }, status: 400 },
  { method: 'POST', path: '/api/v1/sessions', headers: ACME, body: { ...newSession, redirect_url: 'https://evil.test/cb' }, status: 400 },
  { method: 'GET', path: session(DEMO.sessions.acmeProduction), headers: GLOBEX, status: 403 },
  { method: 'GET', path: session(DEMO.sessions.acmeProduction), headers: SANDBOX, status: 403 },
  { method: 'POST', path: '/api/v1/flows', headers: ACME, body: { name: 'Onboarding' }, status: 409 },
  { method: 'GET', path: '/api/v1/flows/flw_nope', headers: ACME, status: 404 },
  { method: 'GET', path: '/api/v1/files', status: 401 },
  { method: 'GET', path: '/api/v1/flows', headers: { Authorization: 'Bearer nope' }, status: 401 },
  { method: 'GET', path: file('42'), headers: ACME, status: 400 },
  { method: 'POST', path: '/api/v1/sessions', headers: ACME, body: { client_id: 7, redirect_url: 'not a url' }, status: 400 },
  { method: 'POST', path: '/api/v1/sessions', headers: ACME, body: { ...newSession, vault_entry_ids: [UNKNOWN_UUID] }, status: 404 },
  { method: 'POST', path: '/api/v1/sessions', headers: ACME, body: { ...newSession, vault_entry_ids: [DEMO.files.report, DEMO.files.deleted] }, status: 404 },
  { method: 'GET', path: file(UNKNOWN_UUID), headers: ACME, status: 404 },
  { method: 'GET', path: file(DEMO.files.globexSecret), headers: ACME, status: 404 },
  { method: 'GET', path: file(DEMO.files.deleted), headers: ACME, status: 404 },
  { method: 'POST', path: '/api/v1/files', headers: ACME, body: { ...upload, flow_execution_id: UNKNOWN_UUID }, status: 400 },
  { method: 'POST', path: '/api/v1/files', headers: ACME, body: { ...upload, flow_execution_id: DEMO.flowExecutions.finished }, status: 400 },
  { method: 'GET', path: file(DEMO.files.form, '/download'), headers: ACME, status: 503 },
  { method: 'GET', path: file(DEMO.files.report, '/data'), headers: ACME, status: 503 },
  { method: 'GET', path: file(DEMO.files.form, '/data?type=table'), headers: ACME, status: 503 },
  { method: 'POST', path: file(DEMO.files.attached, '/attach'), headers: ACME, body: { parent_id: DEMO.files.form }, status: 503 },
  { method: 'POST', path: '/api/v1/files', headers: ACME, body: { ...upload, flow_execution_id: DEMO.flowExecutions.running }, status: 503, faulty: true },
  { method: 'GET', path: file(DEMO.files.report, '/download'), headers: ACME, status: 503, faulty: true },
  // /api (003)
  { method: 'POST', path: '/api/agents', headers: AGENTS, body: { name: '', identifier: 'x' }, status: 400 },
  { method: 'POST', path: '/api/agents', headers: AGENTS, body: { name: 'x'.repeat(256), identifier: 'x' }, status: 400 },
  { method: 'POST', path: '/api/agents', headers: AGENTS, body: { name: 'Sales', identifier: '9-Sales' }, status: 400 },
  { method: 'POST', path: '/api/agents', headers: AGENTS, body: { name: 'Help', identifier: 'support' }, status: 409 },
  { method: 'DELETE', path: '/api/agents/agt_default', headers: AGENTS, status: 400 },
  { method: 'POST', path: '/api/agents/agt_default/default', headers: AGENTS, status: 400 },
  { method: 'POST', path: '/api/agents', headers: AGENTS, body: { name: 'Ops', identifier: 'ops', secretMode: 'selective' }, status: 400 },
  { method: 'POST', path: '/api/agents', headers: AGENTS, body: { name: 'Ops', identifier: 'ops', secretMode: 'selective', secretIds: ['sec_nope'] }, status: 400 },
  { method: 'GET', path: '/api/agents/agt_nope', headers: AGENTS, status: 404 },
  { method: 'POST', path: '/api/secrets', headers: AGENTS, body: { name: 'Stripe', hostPattern: 'https://api.stripe.com' }, status: 400 },
  { method: 'POST', path: '/api/secrets', headers: AGENTS, body: { name: 'Stripe', hostPattern: 'api.stripe.com/v1' }, status: 400 },
  { method: 'POST', path: '/api/secrets', headers: AGENTS, body: { name: 'Stripe', hostPattern: 'api stripe.com' }, status: 400 },
  { method: 'POST', path: '/api/secrets', headers: AGENTS, body: { name: 'Stripe', type: 'generic', hostPattern: 'api.stripe.com', injectionConfig: {} }, status: 400 },
  { method: 'PATCH', path: '/api/secrets/sec_github', headers: AGENTS, body: {}, status: 400 },
  { method: 'PATCH', path: '/api/secrets/sec_nope', headers: AGENTS, body: { name: 'x' }, status: 404 },
  { method: 'POST', path: '/api/rules', headers: AGENTS, body: { action: 'rate_limit', rateLimit: 10 }, status: 400 },
  { method: 'PATCH', path: '/api/rules/rul_1', headers: AGENTS, body: {}, status: 400 },
  { method: 'PATCH', path: '/api/rules/rul_nope', headers: AGENTS, body: { action: 'allow' }, status: 404 },
  { method: 'POST', path: '/api/apps/notion/connect', headers: AGENTS, body: { fields: {} }, status: 404 },
  { method: 'POST', path: '/api/apps/jira/connect', headers: AGENTS, body: { fields: {} }, status: 400 },
  { method: 'POST', path: '/api/apps/slack/connect', headers: AGENTS, body: {}, status: 400 },
  { method: 'POST', path: '/api/apps/slack/connect', headers: AGENTS, body: { fields: { botToken: ' ' } }, status: 400 },
  { method: 'DELETE', path: '/api/apps/slack/connections', headers: AGENTS, status: 400 },
  { method: 'PUT', path: '/api/apps/slack/byoc', headers: AGENTS, body: { clientSecret: 's' }, status: 400 },
  { method: 'PUT', path: '/api/apps/slack/byoc', headers: AGENTS, body: { clientId: 'c' }, status: 400 },
  { method: 'PATCH', path: '/api/user', headers: AGENTS, body: { name: 'x'.repeat(256) }, status: 400 },
  // /api/sdk and /api/health (004)
  { method: 'GET', path: '/api/sdk/content/tour_welcome', status: 401 },
  { method: 'GET', path: '/api/sdk/content/tour_welcome', headers: { 'X-API-Key': SDK_KEYS.revoked }, status: 401 },
  { method: 'POST', path: '/api/sdk/events', headers: { Authorization: `Bearer ${SDK_KEYS.active}` }, body: { events: [{ type: 'click' }] }, status: 401 },
  { method: 'POST', path: '/api/sdk/events', headers: SDK, body: { events: [{ type: 'hover' }] }, status: 400 },
  { method: 'POST', path: '/api/sdk/events', headers: { ...SDK, ...JSON_TYPE }, body: 'null', status: 400 },
  { method: 'POST', path: '/api/sdk/events', headers: { ...SDK, 'Content-Type': 'text/plain' }, body: 'click', status: 400 },
  { method: 'POST', path: '/api/sdk/events', headers: SDK, status: 400 },
  { method: 'GET', path: '/api/sdk/content/tour_nope', headers: SDK, status: 404 },
  // The 601st request of a key within a minute (the set-up sends 600 with this key), on each route.
  { method: 'GET', path: '/api/sdk/content/tour_welcome', headers: { 'X-API-Key': SDK_KEYS.another }, status: 429 },
  { method: 'POST', path: '/api/sdk/events', headers: { 'X-API-Key': SDK_KEYS.another }, body: { events: [{ type: 'click' }] }, status: 429 },
  { method: 'GET', path: '/api/health', status: 503, faulty: true },
  // /v2 (002)
  { method: 'POST', path: '/v2/service-accounts', headers: ADMIN, body: { name: 7, scopes: [42] }, status: 400 },
  { method: 'GET', path: '/v2/service-accounts', status: 401 },
  { method: 'GET', path: '/v2/service-accounts/sa_1', status: 401 },
  { method: 'POST', path: '/v2/auth/exchange', body: { subject_token: 'forged' }, status: 401 },
  { method: 'POST', path: '/v2/service-accounts', headers: { Authorization: 'Bearer {{readonly}}' }, body: { name: 'ci', scopes: ['service_accounts:read'] }, status: 403 },
  { method: 'POST', path: '/v2/auth/exchange', body: { subject_token: SUBJECT_TOKENS.withoutMfa }, status: 403 },
  { method: 'POST', path: '/v2/auth/exchange', body: { subject_token: SUBJECT_TOKENS.passwordLogin }, status: 403 },
  { method: 'GET', path: '/v2/service-accounts/sa_nope', headers: ADMIN, status: 404 },
  // The set-up creates "deployer".
  { method: 'POST', path: '/v2/service-accounts', headers: ADMIN, body: { name: 'deployer', scopes: [] }, status: 409 },
  { method: 'POST', path: '/v2/service-accounts', headers: ADMIN, body: { name: 'ci', scopes: ['billing:write'] }, status: 422 },
  // /api/dashboard (004)
  { method: 'POST', path: '/api/dashboard/auth/login', body: { ...DASHBOARD_DEMO.owner, password: 'nope' }, status: 401 },
  { method: 'POST', path: '/api/dashboard/auth/login', body: { email: DASHBOARD_DEMO.googleUser, password: 'x' }, status: 401 },
  { method: 'GET', path: '/api/dashboard/me', status: 401 },
  { method: 'GET', path: '/api/dashboard/me', headers: { Authorization: 'Bearer not.a.jwt' }, status: 401 },
  { method: 'GET', path: '/api/dashboard/me', headers: { Authorization: 'Bearer {{expired}}' }, status: 401 },
  { method: 'GET', path: '/api/dashboard/me', headers: { Cookie: 'access_token={{revoked}}' }, status: 401 },
  { method: 'POST', path: '/api/dashboard/auth/refresh', status: 401 },
  { method: 'POST', path: '/api/dashboard/auth/refresh', headers: { Cookie: 'refresh_token=stale' }, status: 401 },
  { method: 'POST', path: '/api/dashboard/invites/accept', body: { token: 'inv_x' }, status: 400 },
  { method: 'POST', path: '/api/dashboard/password-reset', body: { token: 'rst_x' }, status: 400 },
  { method: 'GET', path: '/api/dashboard/users', headers: { Authorization: 'Bearer {{owner}}' }, status: 400 },
  { method: 'GET', path: '/api/dashboard/audiences', headers: { ...OWNER, 'x-tenant-id': 'ten_nope' }, status: 404 },
  { method: 'GET', path: '/api/dashboard/contents', headers: { ...OWNER, 'x-tenant-id': 'ten_globex' }, status: 403 },
  { method: 'GET', path: '/api/dashboard/users/usr_nope', headers: OWNER, status: 404 },
  { method: 'POST', path: '/api/dashboard/members', headers: VIEWER, body: { email: 'x@acme.test' }, status: 403 },
  { method: 'POST', path: '/api/dashboard/members', headers: OWNER, body: { email: DASHBOARD_DEMO.viewer.email }, status: 409 },
  { method: 'POST', path: '/api/dashboard/register', body: { email: DASHBOARD_DEMO.owner.email, company: 'New' }, status: 409 },
  { method: 'POST', path: '/api/dashboard/register', body: { email: 'new@new.test', company: 'Acme' }, status: 409 },
  { method: 'DELETE', path: '/api/dashboard/audiences/aud_trial', headers: OWNER, status: 409 },
  { method: 'DELETE', path: '/api/dashboard/audiences/aud_nope', headers: OWNER, status: 404 },
  { method: 'POST', path: '/api/dashboard/contents/tour_nope/translate', headers: OWNER, body: {}, status: 404 },
  { method: 'POST', path: '/api/dashboard/register', body: { email: 'new@new.test', company: 'Initech' }, status: 500, faulty: true },
  // The faulty translator fails for `fr` and answers nonsense for `it`.
  { method: 'POST', path: '/api/dashboard/contents/tour_welcome/translate', headers: OWNER, body: { locale: 'fr' }, status: 500, faulty: true },
  { method: 'POST', path: '/api/dashboard/contents/tour_welcome/translate', headers: OWNER, body: { locale: 'it' }, status: 500, faulty: true },
];

/** Errors the other reference-app suites provoke that the tables do not name. */
// prettier-ignore
const SUITES: Replay[] = [
  { method: 'GET', path: session(UNKNOWN_UUID), headers: ACME, status: 404 },
  { method: 'POST', path: '/api/v1/flows', headers: { ...ACME, ...JSON_TYPE }, body: 'null', status: 400 },
  { method: 'POST', path: '/api/v1/files', headers: ACME, body: {}, status: 400 },
  { method: 'POST', path: file(DEMO.files.report, '/attach'), headers: ACME, body: { parent_id: 'x' }, status: 400 },
  { method: 'POST', path: file(DEMO.files.report, '/attach'), headers: ACME, body: { parent_id: UNKNOWN_UUID }, status: 404 },
  { method: 'GET', path: file(DEMO.files.form, `/data?type=${'x'.repeat(65)}`), headers: ACME, status: 400 },
  { method: 'GET', path: file(UNKNOWN_UUID, '/download'), headers: ACME, status: 404 },
  { method: 'DELETE', path: file('42'), headers: ACME, status: 400 },
  { method: 'DELETE', path: file(DEMO.files.deleted), headers: ACME, status: 404 },
  { method: 'GET', path: '/api/agents/agt_default', status: 401 },
  { method: 'POST', path: '/api/agents', headers: AGENTS, body: { name: 'Ops', identifier: 'ops', secretIds: [{ toString: 1 }] }, status: 400 },
  { method: 'PATCH', path: '/api/secrets/sec_github', headers: { ...AGENTS, ...JSON_TYPE }, body: '"password=S3CR3T"', status: 400 },
  { method: 'PATCH', path: '/api/secrets/sec_github', headers: AGENTS, body: { hostPattern: 'https://x.test' }, status: 400 },
  { method: 'DELETE', path: '/api/agents/agt_nope', headers: AGENTS, status: 404 },
  { method: 'POST', path: '/api/agents/agt_nope/default', headers: AGENTS, status: 404 },
  { method: 'DELETE', path: '/api/apps/notion/connections?connectionId=c', headers: AGENTS, status: 404 },
  { method: 'PUT', path: '/api/apps/notion/byoc', headers: AGENTS, body: {}, status: 404 },
  { method: 'POST', path: '/api/rules', headers: AGENTS, body: { action: 'nope' }, status: 400 },
  { method: 'POST', path: '/v2/auth/exchange', body: { subject_token: 5 }, status: 400 },
  { method: 'POST', path: '/api/dashboard/auth/login', headers: { 'Content-Type': 'text/plain' }, body: 'password=S3CR3T', status: 400 },
  { method: 'POST', path: '/api/dashboard/register', body: {}, status: 400 },
  { method: 'POST', path: '/api/dashboard/members', headers: OWNER, body: { email: 'x' }, status: 400 },
  { method: 'POST', path: '/api/dashboard/contents/tour_welcome/translate', headers: OWNER, body: { locale: 5 }, status: 400 },
  { method: 'POST', path: '/api/dashboard/auth/logout', status: 401 },
  // Last of the exchanges: one IP's 21st within a minute.
  { method: 'POST', path: '/v2/auth/exchange', body: { subject_token: 'forged' }, repeat: EXCHANGE_RATE_LIMIT.limit + 1, status: 429 },
  // Before routing: unknown routes and malformed JSON, in each prefix (prefix-formats covers them).
  ...['/api/v1', '/v2', '/api', '/api/sdk', '/api/dashboard', ''].map((prefix): Replay => ({ method: 'GET', path: `${prefix}/nope`, status: 404, skip: 'before routing' })),
  ...['/v2/service-accounts', '/api/agents', '/api/sdk/events', '/api/dashboard/auth/login'].map((path): Replay => ({ method: 'POST', path, headers: JSON_TYPE, body: '{"name":', status: 400, skip: 'before routing' })),
  // A body over the parsers' limit (Express 100 kB, Fastify 1 MiB), on a body route of each prefix.
  ...['/api/v1/flows', '/v2/service-accounts', '/api/agents', '/api/sdk/events', '/api/dashboard/auth/login'].map((path): Replay => ({ method: 'POST', path, body: { name: 'x'.repeat(2 ** 21) }, status: 413, skip: 'before routing' })),
];

/** Successes on every prefix: only the validating proxy checks them (requests and responses). */
// prettier-ignore
const SUCCESSES: Replay[] = [
  { method: 'GET', path: '/api/v1/flows', headers: ACME, status: 200, success: true },
  { method: 'POST', path: '/api/v1/sessions', headers: ACME, body: newSession, status: 201, success: true },
  { method: 'POST', path: '/api/agents', headers: AGENTS, body: { name: 'Ops', identifier: 'ops', secretMode: 'all' }, status: 201, success: true },
  { method: 'PATCH', path: '/api/user', headers: AGENTS, body: { name: 'Ada' }, status: 200, success: true },
  { method: 'POST', path: '/api/sdk/events', headers: SDK, body: { events: [{ type: 'click', userId: 'u1', properties: { x: 1 } }] }, status: 202, success: true },
  { method: 'GET', path: '/api/health', status: 200, success: true },
  { method: 'POST', path: '/v2/service-accounts', headers: ADMIN, body: { name: 'ci', scopes: ['service_accounts:read'] }, status: 201, success: true },
  { method: 'GET', path: '/api/dashboard/me', headers: { Authorization: 'Bearer {{owner}}' }, status: 200, success: true },
  { method: 'GET', path: '/docs/errors', status: 200, success: true },
];

const REPLAYS: Replay[] = [...README_EXAMPLES, ...README_TABLES, ...SUITES, ...SUCCESSES];

/** What ApiErrors documents for what was thrown, where they differ. */
function documentedName(thrown: unknown): string {
  if (!(thrown instanceof HttpException)) {
    // An unexpected error is answered as a generic 500.
    return 'InternalServerErrorException';
  }
  // @nestjs/throttler's error renders as the library's RATE_LIMITED, which documents it.
  return thrown.constructor.name === 'ThrottlerException'
    ? 'RateLimitedException'
    : thrown.constructor.name;
}

interface OpenApiResponse {
  content?: Record<string, { schema?: object; examples?: Record<string, unknown> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  components: { schemas: Record<string, object> };
}

/** One replayed error response, and what the app's filter caught for it. */
interface Answer {
  method: Method;
  path: string;
  status: number;
  contentType: string;
  body: unknown;
  thrown: string[];
}

/** The path templates of the document that `path` matches: `/api/v1/files/{id}`. */
function templatesOf(document: OpenApiDocument, method: Method, path: string): string[] {
  const pathname = path.split('?')[0]!;
  return Object.keys(document.paths).filter((template) => {
    const pattern = template
      .split(/\{[^}]+\}/)
      .map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    return (
      new RegExp(`^${pattern}$`).test(pathname) &&
      document.paths[template]![method.toLowerCase()] !== undefined
    );
  });
}

/**
 * What is wrong between `answer` and the document: the operation of its method and path must
 * declare its status, its media type, a schema its body validates against, and the thrown class.
 */
function problemsOf(document: OpenApiDocument, answer: Answer): string[] {
  const templates = templatesOf(document, answer.method, answer.path);
  if (templates.length !== 1) {
    return [`${templates.length} operations match (${templates.join(', ')})`];
  }
  const operation = document.paths[templates[0]!]![answer.method.toLowerCase()]!;
  const response = operation.responses[String(answer.status)];
  if (response === undefined) {
    return [`status ${answer.status} is not declared`];
  }
  const mediaType = answer.contentType.split(';')[0]!.trim();
  const content = response.content?.[mediaType];
  if (content?.schema === undefined) {
    return [`${answer.status} declares no schema for ${mediaType}`];
  }
  const problems: string[] = [];
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The document's `format`s (date-time of a timestamp, uri of a problem type) are checked too.
  addFormats.default(ajv);
  ajv.addSchema({ components: document.components }, 'openapi.json');
  const schema = JSON.parse(
    JSON.stringify(content.schema).replaceAll('"#/components/', '"openapi.json#/components/'),
  ) as object;
  const validate = ajv.compile(schema);
  if (!validate(answer.body)) {
    problems.push(
      `body does not match the ${answer.status} schema: ${ajv.errorsText(validate.errors)}`,
    );
  }
  const declared = Object.keys(content.examples ?? {});
  if (answer.thrown.length !== 1) {
    problems.push(`the filter caught ${answer.thrown.length} errors`);
  }
  for (const name of answer.thrown) {
    if (!declared.includes(name)) {
      problems.push(`${name} is not declared for ${answer.status} (${declared.join(', ')})`);
    }
  }
  return problems;
}

/** Sent to the faulty app's translator: `fr` fails, `it` answers what the code cannot use. */
const faultyTranslator: Translator = {
  translate: (_, locale) =>
    locale === 'fr'
      ? Promise.reject(new Error('upstream timeout'))
      : Promise.resolve({} as { text: string }),
};
const failingStorage: FileStorage = {
  put: () => Promise.reject(new Error('connect ECONNREFUSED')),
  presign: () => Promise.reject(new Error('SignatureDoesNotMatch')),
};
/** A health indicator that reports down whatever it measures: terminus then answers 503. */
const downIndicators = {
  check: (key: string) => ({
    up: (data: object) => ({ [key]: { status: 'down', ...data } }),
    down: (data: object) => ({ [key]: { status: 'down', ...data } }),
  }),
};

describe.each(ADAPTERS)('reference app errors conform to its OpenAPI document on %s', (adapter) => {
  const apps: INestApplication[] = [];
  let document: OpenApiDocument;
  /** One per replay, in order: its answer, or why it is not checked. */
  const answers: (Answer | Replay['skip'])[] = [];
  const statuses: number[] = [];
  /** One per replay, in order: what Prism, in front of the app, found wrong with it. */
  const violations: Violation[][] = [];
  const proxies: ValidatingProxy[] = [];

  beforeAll(async () => {
    vi.stubEnv('REDIS_URL', undefined);
    const caught = vi.spyOn(ErrorsFilter.prototype, 'catch');
    const main = (await createReferenceApp(adapter)).app;
    const faulty = (
      await createReferenceApp(adapter, {
        override: (builder) =>
          builder
            .overrideProvider(FILE_STORAGE)
            .useValue(failingStorage)
            .overrideProvider(PROVISIONER)
            .useValue({ provision: () => Promise.reject(new Error('billing API down')) })
            .overrideProvider(TRANSLATOR)
            .useValue(faultyTranslator)
            .overrideProvider(HealthIndicatorService)
            .useValue(downIndicators),
      })
    ).app;
    apps.push(main, faulty);
    const [mainUrl, faultyUrl] = [await listen(main), await listen(faulty)];
    proxies.push(
      await startValidatingProxy(mainUrl, OPENAPI_JSON_PATH),
      await startValidatingProxy(faultyUrl, OPENAPI_JSON_PATH),
    );
    const [mainProxy, faultyProxy] = proxies.map((proxy) => proxy.url) as [string, string];
    document = (await request(mainUrl).get('/openapi.json')).body as OpenApiDocument;

    const login = async (credentials: object) =>
      (await request(mainUrl).post('/api/dashboard/auth/login').send(credentials)).body
        .access_token as string;
    const exchange = async (subject_token: string) =>
      (await request(mainUrl).post('/v2/auth/exchange').send({ subject_token })).body
        .access_token as string;
    const tokens: Record<string, string> = {
      owner: await login(DASHBOARD_DEMO.owner),
      viewer: await login(DASHBOARD_DEMO.viewer),
      revoked: await login(DASHBOARD_DEMO.owner),
      expired: issueToken('usr_owner', DASHBOARD_DEMO.tenantId, 60, Date.now() - 3_600_000),
      admin: await exchange(SUBJECT_TOKENS.admin),
      readonly: await exchange(SUBJECT_TOKENS.readOnly),
    };
    await request(mainUrl)
      .post('/api/dashboard/auth/logout')
      .set('Authorization', `Bearer ${tokens.revoked}`)
      .expect(204);
    await request(mainUrl)
      .post('/v2/service-accounts')
      .set('Authorization', `Bearer ${tokens.admin}`)
      .send({ name: 'deployer', scopes: [] })
      .expect(201);
    // The SDK key's whole budget for the minute, over both SDK routes.
    expect(await spreadSdkRequests([mainUrl], SDK_RATE_LIMIT.limit, SDK_KEYS.another)).toEqual(
      allPassed([mainUrl], SDK_RATE_LIMIT.limit),
    );

    const fill = (text: string) =>
      text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => tokens[name]!);
    for (const replay of REPLAYS) {
      let response: request.Response | undefined;
      const calls = caught.mock.calls.length;
      for (let sent = 0; sent < (replay.repeat ?? 1); sent++) {
        // Through Prism, except JSON written by hand (malformed, or a top-level null or string):
        // Prism's own server refuses malformed JSON (its 400 `invalid_json`) before forwarding
        // anything, and forwards a top-level scalar re-serialized.
        const handWritten =
          replay.headers?.['Content-Type'] === 'application/json' &&
          typeof replay.body === 'string';
        const target = replay.faulty ? [faultyUrl, faultyProxy] : [mainUrl, mainProxy];
        let call = request(target[handWritten ? 0 : 1]!)[replay.method.toLowerCase() as 'get'](
          fill(replay.path),
        );
        for (const [name, value] of Object.entries(replay.headers ?? {})) {
          call = call.set(name, fill(value));
        }
        response = await (replay.body === undefined ? call : call.send(replay.body as object));
      }
      statuses.push(response!.status);
      violations.push(violationsOf(response!));
      if (replay.success) {
        answers.push(undefined);
        continue;
      }
      answers.push(
        replay.skip ?? {
          method: replay.method,
          path: replay.path,
          status: response!.status,
          contentType: String(response!.headers['content-type']),
          body: JSON.parse(response!.text) as unknown,
          // Of a repeated request, what the last one threw.
          thrown: caught.mock.calls
            .slice(replay.repeat === undefined ? calls : -1)
            .map(([thrown]) => documentedName(thrown)),
        },
      );
    }
    caught.mockRestore();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await Promise.all(apps.map((app) => app.close()));
    vi.unstubAllEnvs();
  });

  it('Prism in front of the app finds no violation in any response', () => {
    const found = REPLAYS.flatMap((replay, index) =>
      violations[index]!.filter((violation) => violation.location[0] !== 'request').map(
        (violation) => `#${index + 1} ${replay.method} ${replay.path}: ${violation.message}`,
      ),
    );
    expect(found).toEqual([]);
  });

  it('Prism finds no violation in the requests the app accepts (it refuses every one Prism does)', () => {
    const found = REPLAYS.flatMap((replay, index) =>
      replay.skip !== 'graphql' && statuses[index]! < 400 && violations[index]!.length > 0
        ? [`#${index + 1} ${replay.method} ${replay.path}: ${JSON.stringify(violations[index])}`]
        : [],
    );
    expect(found).toEqual([]);
  });

  it('replays 160 requests, each answering the error it is meant to provoke', () => {
    expect(REPLAYS).toHaveLength(160);
    expect(statuses).toEqual(REPLAYS.map((replay) => replay.status));
  });

  it('skips the 17 errors answered before routing, the 3 GraphQL examples and the 9 successes, and checks the other 131', () => {
    const count = (what: unknown) => answers.filter((answer) => answer === what).length;
    expect(count('before routing')).toBe(17);
    expect(count(undefined)).toBe(9);
    expect(count('graphql')).toBe(3);
    expect(answers.filter((answer) => typeof answer === 'object')).toHaveLength(131);
  });

  it.each(
    REPLAYS.flatMap((replay, index) =>
      replay.skip === undefined && replay.success === undefined
        ? [[`#${index + 1} ${replay.method} ${replay.path} → ${replay.status}`, index] as const]
        : [],
    ),
  )('%s conforms', (_, index) => {
    expect(problemsOf(document, answers[index] as Answer)).toEqual([]);
  });

  it('would report an error class, a status or a schema the document leaves out', () => {
    const answer = answers.find(
      (candidate): candidate is Answer =>
        typeof candidate === 'object' && candidate.path === file(DEMO.files.deleted),
    )!;
    expect(answer.thrown).toEqual(['EntryDeletedException']);
    const mutated = () => JSON.parse(JSON.stringify(document)) as OpenApiDocument;
    const notFound = (changed: OpenApiDocument) =>
      changed.paths['/api/v1/files/{id}']!.get!.responses['404']!.content!['application/json']!;

    const withoutClass = mutated();
    delete notFound(withoutClass).examples!.EntryDeletedException;
    expect(problemsOf(withoutClass, answer)).toEqual([
      'EntryDeletedException is not declared for 404 (EntryNotFoundException)',
    ]);

    const withoutStatus = mutated();
    delete withoutStatus.paths['/api/v1/files/{id}']!.get!.responses['404'];
    expect(problemsOf(withoutStatus, answer)).toEqual(['status 404 is not declared']);

    const otherFormat = mutated();
    notFound(otherFormat).schema = { $ref: '#/components/schemas/SimpleErrorBody' };
    expect(problemsOf(otherFormat, answer)).toEqual([
      "body does not match the 404 schema: data must have required property 'error', " +
        'data must NOT have additional properties, '.repeat(4) +
        'data must NOT have additional properties',
    ]);
  });
});
