import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RUNS_PER_MINUTE } from '../../src/flows-graphql/flows.service.js';
import {
  GRAPHQL_DEMO,
  GRAPHQL_RATE_LIMIT,
} from '../../src/flows-graphql/graphql-access.middleware.js';
import { QUERY_LIMITS } from '../../src/flows-graphql/query-limits.js';
import { parseAll, rawRequest } from '../support/platform-requests.js';
import { createReferenceApp } from '../support/reference-app.js';
import { ADAPTERS, type CapturingLogger, UUID } from '../support/test-app.js';

const DEMO_HEADERS: Readonly<Record<string, string>> = {
  Authorization: `Bearer ${GRAPHQL_DEMO.apiKey}`,
  'x-project-id': GRAPHQL_DEMO.projectId,
};

interface ExpectedError {
  message: string;
  code: string;
  category: string;
  locations?: { line: number; column: number }[];
}

/**
 * 001's status table: an error that stops the request (before GraphQL runs, or in its parse and
 * validation) is sent with its HTTP status, as one error in `errors[]` carrying that status, the
 * request id of `X-Request-Id`, and nothing the request supplied.
 */
function expectRequestError(response: request.Response, status: number, error: ExpectedError) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['cache-control']).toBe('no-store');
  const requestId = response.headers['x-request-id'] as string;
  expect(requestId).toMatch(UUID);
  const { message, code, category, locations } = error;
  expect(response.body).toEqual({
    errors: [
      {
        message,
        ...(locations === undefined ? {} : { locations }),
        extensions: { code, statusCode: status, category, requestId },
      },
    ],
  });
  expect(response.text).not.toMatch(/S3CR3T/i);
}

describe.each(ADAPTERS)('reference app /graphql (reference-docs/001) on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  const post = (body: object, headers: Readonly<Record<string, string>> = DEMO_HEADERS) =>
    request(app.getHttpServer()).post('/graphql').set(headers).send(body);
  const graphql = (query: string, headers?: Readonly<Record<string, string>>) =>
    post({ query }, headers);

  beforeAll(async () => {
    ({ app, logger } = await createReferenceApp(adapter));
  });
  afterAll(() => app.close());
  beforeEach(() => logger.clear());

  it('answers a query (200, no errors), over POST and over GET', async () => {
    const expected = { data: { flows: [{ id: 'flw_onboarding', name: 'Onboarding' }] } };
    const posted = await graphql('{ flows { id name } }');
    expect(posted.status).toBe(200);
    expect(posted.body).toEqual(expected);
    const got = await request(app.getHttpServer())
      .get('/graphql')
      .query({ query: '{ flows { id name } }' })
      .set(DEMO_HEADERS);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(expected);
  });

  it('answers a query sent with an absolute-form target (`POST http://host/graphql`)', async () => {
    const body = '{"query":"{ flows { id } }"}';
    const raw = await rawRequest(
      app,
      `POST http://api.example.test/graphql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n` +
        `Authorization: Bearer ${GRAPHQL_DEMO.apiKey}\r\nx-project-id: ${GRAPHQL_DEMO.projectId}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(parseAll(raw).map(({ status, body: text }) => [status, text])).toEqual([
      [200, '{"data":{"flows":[{"id":"flw_onboarding"}]}}\n'],
    ]);
  });

  describe('before GraphQL runs: the HTTP status of 001', () => {
    it.each([
      ['no API key', {}],
      ['an unknown API key', { Authorization: 'Bearer nope', 'x-project-id': 'prj_demo' }],
    ])('401 for %s', async (_, headers) => {
      expectRequestError(await graphql('{ flows { id } }', headers), 401, {
        message: 'Missing or invalid API key',
        code: 'UNAUTHORIZED',
        category: 'AUTH',
      });
    });

    it.each([
      ['no x-project-id', { Authorization: DEMO_HEADERS.Authorization! }],
      ['an unknown x-project-id', { ...DEMO_HEADERS, 'x-project-id': 'prj_nope' }],
    ])('404 for %s', async (_, headers) => {
      expectRequestError(await graphql('{ flows { id } }', headers), 404, {
        message: 'Project not found',
        code: 'NOT_FOUND',
        category: 'NOT_FOUND',
      });
    });

    it("403 for another customer's project", async () => {
      expectRequestError(
        await graphql('{ flows { id } }', { ...DEMO_HEADERS, 'x-project-id': 'prj_other' }),
        403,
        {
          message: 'No permission for this project or Flow',
          code: 'FORBIDDEN',
          category: 'AUTH',
        },
      );
    });

    it('405 with Allow for a method GraphQL over HTTP does not use', async () => {
      const response = await request(app.getHttpServer())
        .put('/graphql')
        .set(DEMO_HEADERS)
        .send({ query: '{ flows { id } }' });
      expect(response.headers.allow).toBe('GET, POST');
      expectRequestError(response, 405, {
        message: 'Method Not Allowed',
        code: 'METHOD_NOT_ALLOWED',
        category: 'VALIDATION',
      });
    });

    // Issue 27, item 6: the body is read before the API key is checked, on both platforms (Express
    // parses bodies before any middleware; Fastify ran Nest middleware before reading the body).
    it.each([
      ['with an API key', DEMO_HEADERS],
      ['without one', {}],
    ])(
      'malformed JSON and a body over the limit %s: 400 / 413 in the graphql format',
      async (_, headers) => {
        const send = (body: string, path = '/graphql') =>
          request(app.getHttpServer())
            .post(path)
            .set(headers)
            .set('Content-Type', 'application/json')
            .send(body);
        const malformed = {
          message: 'Malformed JSON in request body',
          code: 'VALIDATION_ERROR',
          category: 'VALIDATION',
        };
        expectRequestError(await send('{"query":'), 400, malformed);
        expectRequestError(await send('{"query":', '/graphql/nope'), 400, malformed);
        expectRequestError(
          await send(JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) })),
          413,
          {
            message: 'Request body is too large',
            code: 'PAYLOAD_TOO_LARGE',
            category: 'VALIDATION',
          },
        );
      },
    );

    it('a well-formed body without an API key: 401', async () => {
      expectRequestError(await graphql('{ flows { id } }', {}), 401, {
        message: 'Missing or invalid API key',
        code: 'UNAUTHORIZED',
        category: 'AUTH',
      });
    });

    it('Accept: application/graphql-response+json is honoured, a tie goes to application/json', async () => {
      const accepting = (accept: string) =>
        request(app.getHttpServer())
          .post('/graphql')
          .set('Accept', accept)
          .send({ query: '{ flows { id } }' });
      const preferred = await accepting(
        'application/graphql-response+json, application/json;q=0.9',
      );
      expect(preferred.status).toBe(401);
      expect(preferred.headers['content-type']).toBe(
        'application/graphql-response+json; charset=utf-8',
      );
      const tie = await accepting('application/graphql-response+json, application/json');
      expect(tie.headers['content-type']).toBe('application/json; charset=utf-8');
    });
  });

  describe('parse and validation: 400 with the request id, nothing the request supplied', () => {
    it('a syntax error', async () => {
      expectRequestError(await graphql('{ flows { id } S3CR3T( }'), 400, {
        message: 'Syntax Error: Expected Name, found "}".',
        locations: [{ line: 1, column: 24 }],
        code: 'GRAPHQL_PARSE_FAILED',
        category: 'VALIDATION',
      });
    });

    it('an unknown field', async () => {
      expectRequestError(await graphql('{ flows { S3CR3T } }'), 400, {
        message: 'Cannot query field on type "Flow".',
        locations: [{ line: 1, column: 11 }],
        code: 'GRAPHQL_VALIDATION_FAILED',
        category: 'VALIDATION',
      });
    });

    it('a literal of the wrong type', async () => {
      expectRequestError(
        await graphql(
          'mutation { runFlow(input: { flowId: "flw_onboarding", locale: "en", priority: "S3CR3T" }) { id } }',
        ),
        400,
        {
          message: 'Int cannot represent non-integer value.',
          locations: [{ line: 1, column: 79 }],
          code: 'GRAPHQL_VALIDATION_FAILED',
          category: 'VALIDATION',
        },
      );
    });

    it('a variable of the wrong type keeps its path and the reason, not the value; logged at debug', async () => {
      const response = await post({
        query: 'mutation ($i: RunFlowInput!) { runFlow(input: $i) { id } }',
        variables: { i: { flowId: 'flw_onboarding', locale: 'en', priority: 'S3CR3T' } },
      });
      const message =
        'Variable "$i" got invalid value at "i.priority"; Int cannot represent non-integer value.';
      expectRequestError(response, 400, {
        message,
        locations: [{ line: 1, column: 11 }],
        code: 'BAD_USER_INPUT',
        category: 'VALIDATION',
      });
      expect(logger.entries).toEqual([
        {
          level: 'debug',
          message: `POST /graphql 400 BAD_USER_INPUT requestId=${response.headers['x-request-id']}: ${message}`,
          params: ['ErrorsFilter'],
        },
      ]);
    });

    it('an unknown operationName', async () => {
      expectRequestError(
        await post({ query: 'query Flows { flows { id } }', operationName: 'S3CR3T' }),
        400,
        {
          message: 'Unknown operation name.',
          code: 'OPERATION_RESOLUTION_FAILURE',
          category: 'VALIDATION',
        },
      );
    });
  });

  describe('client mistakes get client codes and the status they are sent with', () => {
    const persisted = { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } };

    it('an unknown persisted query: 404', async () => {
      expectRequestError(await post({ extensions: persisted }), 404, {
        message: 'PersistedQueryNotFound',
        code: 'PERSISTED_QUERY_NOT_FOUND',
        category: 'NOT_FOUND',
      });
    });

    it('a persisted-query hash that does not match the query: 400', async () => {
      expectRequestError(await post({ query: '{ flows { id } }', extensions: persisted }), 400, {
        message: 'provided sha does not match query',
        code: 'BAD_REQUEST',
        category: 'VALIDATION',
      });
    });

    it('a subscription over HTTP: 400', async () => {
      expectRequestError(await graphql('subscription { x }'), 400, {
        message: 'Subscriptions are not supported over HTTP',
        code: 'BAD_REQUEST',
        category: 'VALIDATION',
      });
    });

    it('a mutation over GET: 405 with Allow: POST', async () => {
      const response = await request(app.getHttpServer())
        .get('/graphql')
        .query({
          query: 'mutation { runFlow(input: { flowId: "flw_onboarding", locale: "en" }) { id } }',
        })
        .set(DEMO_HEADERS);
      expect(response.headers.allow).toBe('POST');
      expectRequestError(response, 405, {
        message: 'GET requests only support query operations, not mutation operations',
        code: 'METHOD_NOT_ALLOWED',
        category: 'VALIDATION',
      });
    });
  });

  describe(`query limits (${JSON.stringify(QUERY_LIMITS)}): 400 QUERY_TOO_COMPLEX before execution`, () => {
    const refused = (message: string): ExpectedError => ({
      message,
      locations: [{ line: 1, column: 1 }],
      code: 'QUERY_TOO_COMPLEX',
      category: 'VALIDATION',
    });

    it('too many aliases', async () => {
      const aliases = Array.from({ length: 11 }, (_, index) => `a${index}: flows { id }`);
      expectRequestError(
        await graphql(`{ ${aliases.join(' ')} }`),
        400,
        refused('Operation has 11 aliases; the limit is 10.'),
      );
    });

    it('too deep', async () => {
      expectRequestError(
        await graphql(
          '{ flows { dependsOn { dependsOn { dependsOn { dependsOn { dependsOn { id } } } } } } }',
        ),
        400,
        refused('Operation is 7 fields deep; the limit is 6.'),
      );
    });

    it('too many fields', async () => {
      expectRequestError(
        await graphql(`{ flows { ${'id '.repeat(100)}} }`),
        400,
        refused('Operation selects 101 fields; the limit is 100.'),
      );
    });

    // The largest alias attack each platform's body limit lets through (1 MB on Fastify, 100 kB
    // on Express), once without and once with the API key: both answered at once.
    const count = adapter === 'fastify' ? 20_000 : 3_500;
    const attack = `{ ${Array.from({ length: count }, (_, index) => `a${index}: flow(id:"x"){id}`).join(' ')} }`;

    it(
      `${count} aliases without an API key: 401 before GraphQL parses anything`,
      { timeout: 10_000 },
      async () => {
        expectRequestError(await graphql(attack, {}), 401, {
          message: 'Missing or invalid API key',
          code: 'UNAUTHORIZED',
          category: 'AUTH',
        });
      },
    );

    it(
      `${count} aliases with the API key: 400 once the parser has read ${QUERY_LIMITS.maxTokens} tokens`,
      { timeout: 10_000 },
      async () => {
        const response = await graphql(attack);
        expectRequestError(response, 400, {
          message: `Syntax Error: Document contains more that ${QUERY_LIMITS.maxTokens} tokens. Parsing aborted.`,
          locations: [response.body.errors[0].locations[0]],
          code: 'GRAPHQL_PARSE_FAILED',
          category: 'VALIDATION',
        });
      },
    );
  });

  describe('resolver errors: HTTP 200, one error per failed field', () => {
    it('the fields that failed are null, each with its own error; the rest is data', async () => {
      const response = await graphql(
        '{ ok: flow(id: "flw_onboarding") { id } other: flow(id: "flw_billing") { id } missing: flow(id: "flw_nope") { id } }',
      );
      expect(response.status).toBe(200);
      const requestId = response.headers['x-request-id'] as string;
      expect(requestId).toMatch(UUID);
      expect(response.body).toEqual({
        errors: [
          {
            message: 'No permission for this project or Flow',
            path: ['other'],
            locations: [{ line: 1, column: 41 }],
            extensions: { code: 'FORBIDDEN', statusCode: 403, category: 'AUTH', requestId },
          },
          {
            message: 'Flow not found',
            path: ['missing'],
            locations: [{ line: 1, column: 79 }],
            extensions: { code: 'NOT_FOUND', statusCode: 404, category: 'NOT_FOUND', requestId },
          },
        ],
        data: { ok: { id: 'flw_onboarding' }, other: null, missing: null },
      });
    });

    it('an input that fails its DTO: VALIDATION_ERROR with field paths, no submitted value', async () => {
      const response = await graphql(
        'mutation { runFlow(input: { flowId: "flw_onboarding", locale: "xx", priority: 99 }) { id } }',
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        errors: [
          {
            message:
              'Validation failed: locale: locale must be one of the following values: en, de, fr, priority: priority must not be greater than 10',
            path: ['runFlow'],
            locations: [{ line: 1, column: 12 }],
            extensions: {
              code: 'VALIDATION_ERROR',
              statusCode: 400,
              category: 'VALIDATION',
              details: [
                {
                  path: 'locale',
                  message: 'locale must be one of the following values: en, de, fr',
                },
                { path: 'priority', message: 'priority must not be greater than 10' },
              ],
              requestId: response.headers['x-request-id'],
            },
          },
        ],
        data: null,
      });
    });

    it(`429 RATE_LIMITED for the run after ${RUNS_PER_MINUTE} runs a minute`, async () => {
      const run = () =>
        graphql(
          'mutation { runFlow(input: { flowId: "flw_onboarding", locale: "en" }) { status } }',
        );
      for (let index = 0; index < RUNS_PER_MINUTE; index++) {
        expect((await run()).body.data.runFlow).toEqual({ status: 'queued' });
      }
      const limited = await run();
      expect(limited.status).toBe(200);
      expect(limited.body.errors[0]).toEqual({
        message: 'Too many requests',
        path: ['runFlow'],
        locations: [{ line: 1, column: 12 }],
        extensions: {
          code: 'RATE_LIMITED',
          statusCode: 429,
          category: 'RATE_LIMIT',
          requestId: limited.headers['x-request-id'],
        },
      });
    });
  });
});

describe.each(ADAPTERS)('reference app /graphql request rate on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await createReferenceApp(adapter, {
      override: (builder) =>
        builder.overrideProvider(GRAPHQL_RATE_LIMIT).useValue({ requestsPerMinute: 2 }),
    }));
  });
  afterAll(() => app.close());

  it('429 with Retry-After before GraphQL runs, once the key has used its minute', async () => {
    const send = () =>
      request(app.getHttpServer())
        .post('/graphql')
        .set(DEMO_HEADERS)
        .send({ query: '{ flows { id } }' });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const limited = await send();
    expectRequestError(limited, 429, {
      message: 'Too many requests',
      code: 'RATE_LIMITED',
      category: 'RATE_LIMIT',
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});
