import type { INestApplication } from '@nestjs/common';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import {
  type RulesetDefinition,
  Document as SpectralDocument,
  Spectral,
} from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import owaspRuleset from '@stoplight/spectral-owasp-ruleset';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFormatRoutes } from '../../libs/errors/src/formats/format.routes.js';
import { API_FORMATS } from '../../src/api-formats.js';
import { ADAPTERS } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags: { name: string }[];
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

/** The README's `<!-- openapi: {path, method, status} -->` comments and the response each shows. */
const README_RESPONSES = [
  ...readFileSync(new URL('../../README.md', import.meta.url), 'utf8').matchAll(
    /<!-- openapi: (\{.*?\}) -->\n\n```json\n(.*)\n```/g,
  ),
].map(([, where, shown]) => ({
  ...(JSON.parse(where!) as { path: string; method: string; status: string }),
  shown: shown!,
}));

/** `GET /api/v1/files/{id}` → the operation, for every operation of the document. */
function operations(document: Document): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      operation,
    ]),
  );
}

/** The app's prefix lookup, as ErrorsModule compiles it from its routes. */
const routeFormat = compileFormatRoutes(API_FORMATS)!;

/** The component of the format the app answers errors in under `path` (longest prefix wins). */
function formatComponent(path: string): string {
  const name = routeFormat(path)?.name ?? 'timestamped';
  return `#/components/schemas/${name[0]!.toUpperCase()}${name.slice(1)}ErrorBody`;
}

/**
 * What Redocly's `recommended` ruleset says of the document, beyond errors (which must be none).
 * Accepted: `operation-4xx-response` on the two routes that have no input to refuse and no
 * credential to check, so no 4xx to declare: the error reference and the health check.
 */
const ACCEPTED_WARNINGS = [
  'operation-4xx-response #/paths/~1docs~1errors/get/responses',
  'operation-4xx-response #/paths/~1api~1health/get/responses',
];

/** The rules of OWASP's Spectral ruleset about error responses. */
const OWASP_ERROR_RULES = [
  'owasp:api8:2023-define-error-validation',
  'owasp:api8:2023-define-error-responses-401',
  'owasp:api8:2023-define-error-responses-500',
  'owasp:api4:2023-rate-limit-responses-429',
  'owasp:api4:2023-rate-limit-retry-after',
];

/**
 * What OWASP's error-response rules may say, and why each is left:
 * - a 400 on the GET routes whose input cannot be malformed (no body, no validated query or
 *   parameter: an unknown id is their 404): a declared 400 would be false;
 * - a 401 on the routes that take no credentials (public ones: the reference, health, login,
 *   register, invites, password reset, refresh);
 * - a 429 on the routes that are not rate limited: only `/api/sdk` and `POST /v2/auth/exchange`
 *   are, and they declare it (with its Retry-After).
 */
const ACCEPTED_OWASP = {
  'owasp:api8:2023-define-error-validation': [
    'GET /docs/errors',
    'GET /api/v1/sessions',
    'GET /api/v1/flows',
    'GET /api/v1/flows/{id}',
    'GET /api/v1/files',
    'GET /api/agents',
    'GET /api/agents/{id}',
    'GET /api/secrets',
    'GET /api/rules',
    'GET /api/apps',
    'GET /api/sdk/content/{id}',
    'GET /api/health',
    'GET /v2/service-accounts',
    'GET /v2/service-accounts/{id}',
    'GET /api/dashboard/me',
  ],
  'owasp:api8:2023-define-error-responses-401': [
    'GET /docs/errors',
    'GET /api/health',
    'POST /api/dashboard/register',
    'POST /api/dashboard/invites/accept',
    'POST /api/dashboard/password-reset',
  ],
};

describe.each(ADAPTERS)('reference app OpenAPI document on %s', (adapter) => {
  let app: INestApplication;
  let served: request.Response;
  let document: Document;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app } = await createReferenceApp(adapter));
    served = await http().get('/openapi.json');
    document = served.body as Document;
  });
  afterAll(() => app.close());

  it('GET /openapi.json serves the document as JSON', () => {
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(document.openapi).toBe('3.0.0');
    expect(document.info).toMatchObject({
      title: 'nest-api-errors reference app',
      version: '0.1.0',
    });
  });

  it('passes the Redocly recommended ruleset: 0 errors, only the accepted warnings', async () => {
    const problems = await lintFromString({
      source: served.text,
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    const described = (severity: string) =>
      problems
        .filter((problem) => problem.severity === severity)
        .map(
          (problem) =>
            `${problem.ruleId} ${problem.location[0]?.pointer ?? ''}${severity === 'error' ? `: ${problem.message}` : ''}`,
        );
    expect(described('error')).toEqual([]);
    expect(described('warn')).toEqual(ACCEPTED_WARNINGS);
  });

  it("passes OWASP's Spectral rules on error responses, but for the routes they cannot apply to", async () => {
    const spectral = new Spectral();
    // The package's types describe its CommonJS build; the ESM build's default export is the ruleset.
    spectral.setRuleset(owaspRuleset as unknown as RulesetDefinition);
    const results = await spectral.run(new SpectralDocument(served.text, Json, 'openapi.json'));
    const found: Record<string, string[]> = {};
    for (const result of results) {
      const rule = String(result.code);
      if (!OWASP_ERROR_RULES.includes(rule)) {
        continue;
      }
      // Each operation once (a rule reports a missing response and its missing content).
      const [, path, method] = result.path.map(String);
      const where = `${method!.toUpperCase()} ${path}`;
      if (!found[rule]?.includes(where)) {
        (found[rule] ??= []).push(where);
      }
    }
    const limited = ['POST /api/sdk/events', 'GET /api/sdk/content/{id}', 'POST /v2/auth/exchange'];
    expect(found).toEqual({
      ...ACCEPTED_OWASP,
      'owasp:api4:2023-rate-limit-responses-429': operations(document)
        .map(([name]) => name)
        .filter((name) => !limited.includes(name)),
    });
  });

  it("shows the README's excerpts of the document exactly", () => {
    expect(README_RESPONSES).toHaveLength(1);
    for (const { path, method, status, shown } of README_RESPONSES) {
      expect(JSON.stringify(document.paths[path]![method]!.responses[status])).toBe(shown);
    }
  });

  it('declares the security schemes the APIs use and one tag per API', () => {
    expect(document.components.securitySchemes).toEqual({
      'platform-token': expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      'agents-api-key': expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      'identity-access-token': expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      'sdk-api-key': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
      'dashboard-jwt': expect.objectContaining({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      }),
      'dashboard-jwt-cookie': expect.objectContaining({
        type: 'apiKey',
        in: 'cookie',
        name: 'access_token',
      }),
    });
    expect(document.tags.map((tag) => tag.name)).toEqual([
      'platform',
      'identity',
      'agents',
      'sdk',
      'health',
      'dashboard',
      'docs',
    ]);
  });

  it('documents every REST route and no GraphQL', () => {
    const all = operations(document).map(([name]) => name);
    expect(all).toHaveLength(51);
    expect(all.filter((name) => name.includes('graphql'))).toEqual([]);
  });

  it("each route's security says what its API asks for, or that it asks nothing", () => {
    const expected = (name: string) => {
      const [, path] = name.split(' ') as [string, string];
      if (path.startsWith('/api/v1/')) return [{ 'platform-token': [] }];
      if (path.startsWith('/v2/service-accounts')) return [{ 'identity-access-token': [] }];
      if (path.startsWith('/api/sdk/')) return [{ 'sdk-api-key': [] }];
      if (path.startsWith('/api/dashboard/')) {
        return /\/(auth\/login|auth\/refresh|register|invites\/accept|password-reset)$/.test(path)
          ? []
          : [{ 'dashboard-jwt': [] }, { 'dashboard-jwt-cookie': [] }];
      }
      if (path === '/api/health' || path.startsWith('/v2/auth/') || path.startsWith('/docs/')) {
        return [];
      }
      return [{ 'agents-api-key': [] }];
    };
    for (const [name, operation] of operations(document)) {
      expect([name, operation.security]).toEqual([name, expected(name)]);
    }
  });

  it('every route has a summary, a tag, a success response and its errors in its format', () => {
    const withoutErrors: string[] = [];
    for (const [name, operation] of operations(document)) {
      const path = name.split(' ')[1]!;
      expect([name, typeof operation.summary, operation.tags?.length]).toEqual([name, 'string', 1]);
      const statuses = Object.keys(operation.responses);
      expect([name, statuses.filter((status) => /^2\d\d$/.test(status)).length]).toEqual([name, 1]);
      const errors = statuses.filter((status) => Number(status) >= 400);
      if (errors.length === 0) {
        withoutErrors.push(name);
      }
      for (const status of errors) {
        expect([name, status, operation.responses[status]!.content]).toEqual([
          name,
          status,
          {
            'application/json': expect.objectContaining({
              schema: { $ref: formatComponent(path) },
            }),
          },
        ]);
      }
    }
    // Every route, the constant error reference included, can answer the generic 500.
    expect(withoutErrors).toEqual([]);
    expect(
      Object.keys(document.components.schemas).filter((name) => name.endsWith('ErrorBody')),
    ).toEqual(['TimestampedErrorBody', 'SimpleErrorBody', 'EnvelopeErrorBody', 'TracedErrorBody']);
  });

  it('serves the Swagger UI at /docs/api with every asset it loads', async () => {
    for (const page of ['/docs/api', '/docs/api/']) {
      const html = await http().get(page);
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      const assets = [...html.text.matchAll(/(?:src|href)="(\.\/[^"]+)"/g)].map(
        (match) => new URL(match[1]!, `http://ui${page}`).pathname,
      );
      expect(assets.sort()).toEqual(
        [
          '/docs/api/favicon-16x16.png',
          '/docs/api/favicon-32x32.png',
          '/docs/api/swagger-ui-bundle.js',
          '/docs/api/swagger-ui-init.js',
          '/docs/api/swagger-ui-standalone-preset.js',
          '/docs/api/swagger-ui.css',
        ].sort(),
      );
      for (const asset of assets) {
        const response = await http().get(asset).buffer(true);
        expect([asset, response.status]).toEqual([asset, 200]);
        expect(Number(response.headers['content-length'] ?? response.body.length)).toBeGreaterThan(
          0,
        );
      }
    }
    // The UI shows the same document /openapi.json serves.
    const init = await http().get('/docs/api/swagger-ui-init.js');
    expect(init.headers['content-type']).toMatch(/^application\/javascript/);
    expect(init.text).toContain('"title": "nest-api-errors reference app"');
  });
});
