import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { protocolsFixtureModule } from './fixtures/protocols-fixture.js';
import { ADAPTERS, type CapturingLogger, UUID, createTestApp } from './support/test-app.js';

// Errors of the GraphQL layer itself (README § Protocols): what formatGraphQLError and the Apollo
// plugin ErrorsModule registers make of them, in any Nest + Apollo app.
describe.each(ADAPTERS)('GraphQL-layer errors on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  const post = (body: object, headers: Record<string, string> = {}) =>
    request(app.getHttpServer()).post('/graphql').set(headers).send(body);

  beforeAll(async () => {
    ({ app, logger } = await createTestApp(adapter, { imports: [protocolsFixtureModule()] }));
  });
  afterAll(() => app.close());
  beforeEach(() => logger.clear());

  /** One error, sent with the status it stands for, with the request's id; no echo, one log line. */
  function expectRefused(
    response: request.Response,
    status: number,
    error: { message: string; locations?: object[]; code: string },
    method = 'POST',
  ) {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const requestId = response.headers['x-request-id'] as string;
    expect(requestId).toMatch(UUID);
    const { message, locations, code } = error;
    expect(response.body).toEqual({
      errors: [
        {
          message,
          ...(locations === undefined ? {} : { locations }),
          extensions: {
            code,
            statusCode: status,
            category: status === 404 ? 'NOT_FOUND' : 'VALIDATION',
            requestId,
          },
        },
      ],
    });
    expect(response.text).not.toMatch(/S3CR3T/i);
    expect(logger.entries).toEqual([
      {
        level: 'debug',
        message: `${method} /graphql ${status} ${code} requestId=${requestId}: ${message}`,
        params: ['ErrorsFilter'],
      },
    ]);
  }

  it('a syntax error: 400 GRAPHQL_PARSE_FAILED without the token it met', async () => {
    expectRefused(await post({ query: '{ flows { id } S3CR3T( }' }), 400, {
      message: 'Syntax Error: Expected Name, found "}".',
      locations: [{ line: 1, column: 24 }],
      code: 'GRAPHQL_PARSE_FAILED',
    });
  });

  it('an unknown field: 400 GRAPHQL_VALIDATION_FAILED without its name', async () => {
    expectRefused(await post({ query: '{ flows { S3CR3T } }' }), 400, {
      message: 'Cannot query field on type "FlowSummary".',
      locations: [{ line: 1, column: 11 }],
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
  });

  it('a literal of the wrong type: 400 without the literal', async () => {
    expectRefused(
      await post({
        query: 'mutation { createFlow(input: { name: "x", steps: "S3CR3T" }) { id } }',
      }),
      400,
      {
        message: 'Int cannot represent non-integer value.',
        locations: [{ line: 1, column: 50 }],
        code: 'GRAPHQL_VALIDATION_FAILED',
      },
    );
  });

  it('a variable of the wrong type: 400 BAD_USER_INPUT with its path, without its value', async () => {
    expectRefused(
      await post({
        query: 'mutation ($input: CreateFlowInput!) { createFlow(input: $input) { id } }',
        variables: { input: { name: 'x', steps: 'S3CR3T' } },
      }),
      400,
      {
        message:
          'Variable "$input" got invalid value at "input.steps"; Int cannot represent non-integer value.',
        locations: [{ line: 1, column: 11 }],
        code: 'BAD_USER_INPUT',
      },
    );
  });

  it('an unknown operationName: 400 OPERATION_RESOLUTION_FAILURE without the name', async () => {
    expectRefused(
      await post({ query: 'query Flows { flows { id } }', operationName: 'S3CR3T' }),
      400,
      { message: 'Unknown operation name.', code: 'OPERATION_RESOLUTION_FAILURE' },
    );
  });

  it('an unknown persisted query: 404 PERSISTED_QUERY_NOT_FOUND', async () => {
    expectRefused(
      await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
      404,
      { message: 'PersistedQueryNotFound', code: 'PERSISTED_QUERY_NOT_FOUND' },
    );
  });

  it('a persisted query whose hash does not match: 400 BAD_REQUEST, not a 500', async () => {
    expectRefused(
      await post({
        query: '{ flows { id } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
      }),
      400,
      { message: 'provided sha does not match query', code: 'BAD_REQUEST' },
    );
  });

  it('a subscription over HTTP: 400 BAD_REQUEST before execution, not a 500', async () => {
    expectRefused(await post({ query: 'subscription { flows { id } }' }), 400, {
      message: 'Subscriptions are not supported over HTTP',
      code: 'BAD_REQUEST',
    });
  });

  it('a mutation over GET: 405 METHOD_NOT_ALLOWED with Allow: POST', async () => {
    const response = await request(app.getHttpServer())
      .get('/graphql')
      .query({ query: 'mutation { createFlow(input: { name: "x", steps: 1 }) { id } }' })
      .set('apollo-require-preflight', 'true');
    expect(response.headers.allow).toBe('POST');
    expectRefused(
      response,
      405,
      {
        message: 'GET requests only support query operations, not mutation operations',
        code: 'METHOD_NOT_ALLOWED',
      },
      'GET',
    );
  });

  it('Accept: application/graphql-response+json is answered in that media type', async () => {
    const response = await post(
      { query: '{ flows { id }' },
      { Accept: 'application/graphql-response+json' },
    );
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe(
      'application/graphql-response+json; charset=utf-8',
    );
  });

  it('a Nest exception thrown by the context function keeps its status', async () => {
    const response = await post({ query: '{ flows { id } }' }, { 'x-deny': '1' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errors: [
        {
          message: 'Missing or invalid API key',
          extensions: { code: 'UNAUTHORIZED', statusCode: 401, category: 'AUTH' },
        },
      ],
    });
    expect(logger.entries).toEqual([
      {
        level: 'debug',
        message:
          'GraphQL request refused before execution: 401 UNAUTHORIZED: Missing or invalid API key',
        params: ['ErrorsFilter'],
      },
    ]);
  });
});
