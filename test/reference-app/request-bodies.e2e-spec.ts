import type { INestApplication } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JsonObjectPipe } from '../../src/common/json-body.decorator.js';
import { DASHBOARD_DEMO } from '../../src/dashboard-api/dashboard-api.store.js';
import { SUBJECT_TOKENS } from '../../src/identity-api/identity-api.store.js';
import { DEMO } from '../../src/platform/data/platform.store.js';
import { ADAPTERS, type CapturingLogger, ISO_TIMESTAMP, UUID } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

/*
 * Issue 15: a request body of the wrong JSON type is a 400 in the route's own format, never a 500,
 * and what was submitted appears neither in the response nor in the log.
 */

const SECRET = 'S3CR3T';
const AGENTS_KEY = 'Bearer demo-agents-api-key';
const PLATFORM_TOKEN = `Bearer ${DEMO.tokens.acmeProduction}`;
const OBJECT_EXPECTED = 'Validation failed (object is expected)';

/** What each format of the reference app answers for a body that fails validation. */
const expected = {
  /** reference-docs/003: the first violation's message. */
  simple: (message: string) => () => JSON.stringify({ error: message }),
  /** reference-docs/004. */
  envelope: (details: { path: string; message: string }[]) => () =>
    JSON.stringify({
      error: {
        message: 'Invalid request body',
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        category: 'VALIDATION',
        details,
      },
    }),
  /** reference-docs/002: `trace_id` is the response's X-Request-Id. */
  traced: (details: Record<string, string>) => (response: Response) => {
    expect(response.headers['x-request-id']).toMatch(UUID);
    return JSON.stringify({
      error: {
        code: 'validation_error',
        message: 'Request validation failed',
        trace_id: response.headers['x-request-id'],
        details,
      },
    });
  },
  /** reference-docs/000. */
  timestamped: (path: string, message: string) => (response: Response) => {
    expect(response.body.timestamp).toMatch(ISO_TIMESTAMP);
    return JSON.stringify({
      statusCode: 400,
      timestamp: response.body.timestamp,
      path,
      message: `Validation failed: ${message}`,
    });
  },
};

/** Bodies that are not JSON objects, each carrying a value that must never be echoed or logged. */
const NOT_AN_OBJECT: [string, string, string][] = [
  ['JSON null', 'application/json', 'null'],
  ['a JSON string', 'application/json', `"password=${SECRET}"`],
  ['a JSON number', 'application/json', '42'],
  ['a JSON boolean', 'application/json', 'true'],
  ['a JSON array', 'application/json', `["password=${SECRET}"]`],
  ['text/plain', 'text/plain', `password=${SECRET}`],
];

interface Tokens {
  dashboard: string;
  identity: string;
}
type Method = 'post' | 'put' | 'patch';
type BodyRoute = [
  Method,
  string,
  (tokens: Tokens) => Record<string, string>,
  (response: Response) => string,
];

/**
 * Every handler of /api/v1, /api, /v2 and /api/dashboard that takes a body, with what it answers
 * to a body that is not an object. A DTO with required fields reports them (the body has none of
 * its fields); a DTO without any reports the body itself.
 */
const BODY_ROUTES: BodyRoute[] = [
  [
    'post',
    '/api/v1/sessions',
    () => ({ Authorization: PLATFORM_TOKEN }),
    expected.timestamped(
      '/api/v1/sessions',
      'client_id: client_id must be shorter than or equal to 128 characters, client_id: client_id must be a string, redirect_url: redirect_url must be a URL address',
    ),
  ],
  [
    'post',
    '/api/v1/flows',
    () => ({ Authorization: PLATFORM_TOKEN }),
    expected.timestamped(
      '/api/v1/flows',
      'name: name must be longer than or equal to 1 characters, name: name must be a string',
    ),
  ],
  [
    'post',
    '/api/v1/files',
    () => ({ Authorization: PLATFORM_TOKEN }),
    expected.timestamped(
      '/api/v1/files',
      // The content may come as a multipart file instead: content_base64 is optional.
      'flow_execution_id: flow_execution_id must be a UUID, name: name must be longer than or equal to 1 characters, name: name must be a string',
    ),
  ],
  [
    'post',
    `/api/v1/files/${DEMO.files.report}/attach`,
    () => ({ Authorization: PLATFORM_TOKEN }),
    expected.timestamped(
      `/api/v1/files/${DEMO.files.report}/attach`,
      'parent_id: parent_id must be a UUID',
    ),
  ],
  ...(
    [
      ['post', '/api/agents'],
      ['post', '/api/secrets'],
      ['patch', '/api/secrets/sec_github'],
      ['post', '/api/rules'],
      ['patch', '/api/rules/rul_1'],
      ['post', '/api/apps/slack/connect'],
      ['put', '/api/apps/slack/byoc'],
      ['patch', '/api/user'],
    ] as const
  ).map(
    ([method, path]) =>
      [
        method,
        path,
        () => ({ Authorization: AGENTS_KEY }),
        expected.simple(OBJECT_EXPECTED),
      ] satisfies BodyRoute,
  ),
  [
    'post',
    '/v2/auth/exchange',
    () => ({}),
    expected.traced({
      subject_token:
        'subject_token must be longer than or equal to 1 characters, subject_token must be a string',
    }),
  ],
  [
    'post',
    '/v2/service-accounts',
    (tokens) => ({ Authorization: `Bearer ${tokens.identity}` }),
    expected.traced({
      name: 'name must be longer than or equal to 1 characters, name must be a string',
      scopes:
        'each value in scopes must be a string, scopes must contain no more than 10 elements, scopes must be an array',
    }),
  ],
  [
    'post',
    '/api/dashboard/auth/login',
    () => ({}),
    expected.envelope([
      { path: 'email', message: 'email must be a string' },
      { path: 'password', message: 'password must be a string' },
    ]),
  ],
  [
    'post',
    '/api/dashboard/register',
    () => ({}),
    expected.envelope([
      { path: 'email', message: 'email must be an email' },
      { path: 'company', message: 'company must be a string' },
      { path: 'company', message: 'company must be longer than or equal to 1 characters' },
    ]),
  ],
  ...['/api/dashboard/invites/accept', '/api/dashboard/password-reset'].map(
    (path) =>
      [
        'post',
        path,
        () => ({}),
        expected.envelope([{ path: 'token', message: 'token must be a string' }]),
      ] satisfies BodyRoute,
  ),
  [
    'post',
    '/api/dashboard/members',
    (tokens) => ({
      Authorization: `Bearer ${tokens.dashboard}`,
      'x-tenant-id': DASHBOARD_DEMO.tenantId,
    }),
    expected.envelope([{ path: 'email', message: 'email must be an email' }]),
  ],
  [
    'post',
    '/api/dashboard/contents/tour_welcome/translate',
    (tokens) => ({
      Authorization: `Bearer ${tokens.dashboard}`,
      'x-tenant-id': DASHBOARD_DEMO.tenantId,
    }),
    expected.envelope([{ path: 'body', message: OBJECT_EXPECTED }]),
  ],
];

describe.each(ADAPTERS)('reference app request bodies on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  const tokens: Tokens = { dashboard: '', identity: '' };
  const http = () => request(app.getHttpServer());
  const send = (method: Method, path: string, contentType: string | undefined, raw?: string) => {
    const test = http()[method](path);
    if (contentType !== undefined) {
      test.set('Content-Type', contentType);
    }
    return raw === undefined ? test : test.send(raw);
  };

  beforeAll(async () => {
    ({ app, logger } = await createReferenceApp(adapter));
    tokens.dashboard = (await http().post('/api/dashboard/auth/login').send(DASHBOARD_DEMO.owner))
      .body.access_token as string;
    tokens.identity = (
      await http().post('/v2/auth/exchange').send({ subject_token: SUBJECT_TOKENS.admin })
    ).body.access_token as string;
  });
  afterAll(() => app.close());
  // Each test looks at the log lines of its own requests only.
  beforeEach(() => logger.clear());

  /** The exact response, its headers, and nothing submitted in it or in the log. */
  function expect400(response: Response, body: (response: Response) => string) {
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.text).toBe(body(response));
    expect(response.text).not.toContain(SECRET);
    expect(logger.text()).not.toContain(SECRET);
  }

  describe('the cases of issue 15', () => {
    const loginFields = expected.envelope([
      { path: 'email', message: 'email must be a string' },
      { path: 'password', message: 'password must be a string' },
    ]);

    it('POST /api/dashboard/auth/login with text/plain → 400 VALIDATION_ERROR', async () => {
      expect400(
        await send('post', '/api/dashboard/auth/login', 'text/plain', `password=${SECRET}`),
        loginFields,
      );
    });

    it('POST /api/dashboard/auth/login with no body → 400 VALIDATION_ERROR', async () => {
      expect400(await send('post', '/api/dashboard/auth/login', undefined), loginFields);
    });

    it('POST /api/dashboard/auth/login with JSON null → 400 VALIDATION_ERROR', async () => {
      expect400(
        await send('post', '/api/dashboard/auth/login', 'application/json', 'null'),
        loginFields,
      );
    });

    it('POST /api/agents with "secretIds":[{"toString":1}] → 400', async () => {
      const response = await http()
        .post('/api/agents')
        .set('Authorization', AGENTS_KEY)
        .send({ name: 'Ops', identifier: 'ops', secretIds: [{ toString: 1 }] });
      expect400(response, expected.simple('each value in secretIds must be a string'));
    });

    it('PATCH /api/secrets/sec_github with the JSON string "password=S3CR3T" → 400, nothing logged', async () => {
      const response = await send(
        'patch',
        '/api/secrets/sec_github',
        'application/json',
        '"password=S3CR3T"',
      ).set('Authorization', AGENTS_KEY);
      expect400(response, expected.simple(OBJECT_EXPECTED));
      expect(logger.entries.filter((entry) => entry.level === 'error')).toEqual([]);
    });
  });

  describe('a missing body is an empty one: the documented domain errors of 003', () => {
    it.each([
      ['/api/secrets/sec_github', 'No fields to update'],
      ['/api/rules/rul_1', 'At least one field must be provided'],
    ])('PATCH %s with no body → "%s"', async (path, message) => {
      expect400(
        await send('patch', path, undefined).set('Authorization', AGENTS_KEY),
        expected.simple(message),
      );
    });
  });

  describe.each(BODY_ROUTES)('%s %s', (method, path, headers, body) => {
    it.each(NOT_AN_OBJECT)('with %s → 400 in the route format', async (_, contentType, raw) => {
      expect400(await send(method, path, contentType, raw).set(headers(tokens)), body);
    });
  });

  it('every body of an HTTP handler goes through JsonBody and a class-validator DTO, or a schema', () => {
    const unchecked: string[] = [];
    const checked: string[] = [];
    for (const module of app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        const controller = metatype as new () => object;
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
            string,
            { index: number; data?: unknown; pipes: unknown[]; schema?: unknown }
          >;
          const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, name) ??
            []) as (new () => object)[];
          for (const [key, arg] of Object.entries(args)) {
            if (Number(key.split(':')[0]) !== RouteParamtypes.BODY) {
              continue;
            }
            const handler = `${controller.name}.${name}`;
            const dto = types[arg.index];
            const validated =
              arg.schema !== undefined ||
              (arg.data === undefined &&
                arg.pipes.includes(JsonObjectPipe) &&
                dto !== undefined &&
                getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length > 0);
            (validated ? checked : unchecked).push(handler);
          }
        }
      }
    }
    expect(unchecked).toEqual([]);
    // Every route of BODY_ROUTES, and the SDK's event batches.
    expect(checked).toHaveLength(BODY_ROUTES.length + 1);
  });
});
