import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../src/app.module.js';
import { GRAPHQL_DEMO, RUNS_PER_MINUTE } from '../../src/flows-graphql/flows.graphql.js';
import { ADAPTERS, UUID, createTestApp } from '../support/test-app.js';

describe.each(ADAPTERS)('reference app /graphql (reference-docs/001) on %s', (adapter) => {
  let app: INestApplication;
  const graphql = (query: string, headers: Record<string, string> = {}) => {
    let call = request(app.getHttpServer()).post('/graphql');
    for (const [name, value] of Object.entries({
      Authorization: `Bearer ${GRAPHQL_DEMO.apiKey}`,
      'x-project-id': GRAPHQL_DEMO.projectId,
      ...headers,
    })) {
      call = call.set(name, value);
    }
    return call.send({ query });
  };

  /** 001: HTTP 200, the failed field null, `errors[{message, path, locations, extensions}]`. */
  function expectFieldError(
    response: request.Response,
    field: string,
    message: string,
    extensions: { code: string; statusCode: number; category: string },
  ) {
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ [field]: null });
    const requestId = response.headers['x-request-id'] as string;
    expect(requestId).toMatch(UUID);
    expect(response.body.errors).toEqual([
      {
        message,
        path: [field],
        locations: [{ line: 1, column: 3 }],
        extensions: { ...extensions, requestId },
      },
    ]);
  }

  beforeAll(async () => {
    ({ app } = await createTestApp(adapter, { imports: [AppModule] }));
  });
  afterAll(() => app.close());

  it('answers a query (200, no errors)', async () => {
    const response = await graphql('{ flows { id name } }');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: { flows: [{ id: 'flw_onboarding', name: 'Onboarding' }] },
    });
  });

  it('401 in extensions for a missing or invalid API key', async () => {
    expectFieldError(
      await graphql('{ flow(id: "flw_onboarding") { id } }', { Authorization: 'Bearer nope' }),
      'flow',
      'Missing or invalid API key',
      {
        code: 'UNAUTHORIZED',
        statusCode: 401,
        category: 'AUTH',
      },
    );
  });

  it('403 in extensions when x-project-id does not own the flow', async () => {
    expectFieldError(
      await graphql('{ flow(id: "flw_billing") { id } }'),
      'flow',
      'No permission for this project or Flow',
      {
        code: 'FORBIDDEN',
        statusCode: 403,
        category: 'AUTH',
      },
    );
  });

  it('404 in extensions for an unknown flow', async () => {
    expectFieldError(await graphql('{ flow(id: "flw_nope") { id } }'), 'flow', 'Flow not found', {
      code: 'NOT_FOUND',
      statusCode: 404,
      category: 'NOT_FOUND',
    });
  });

  it('a payload that does not match the input schema: VALIDATION_ERROR with field paths', async () => {
    const response = await graphql(
      'mutation { runFlow(input: { flowId: "flw_onboarding", locale: "xx", priority: 99 }) { id } }',
    );
    expect(response.status).toBe(200);
    expect(response.body.errors[0].extensions).toEqual({
      code: 'VALIDATION_ERROR',
      statusCode: 400,
      category: 'VALIDATION',
      details: [
        { path: 'locale', message: 'locale must be one of the following values: en, de, fr' },
        { path: 'priority', message: 'priority must not be greater than 10' },
      ],
      requestId: response.headers['x-request-id'],
    });
  });

  it('an invalid query: HTTP 400 with GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED', async () => {
    const parse = await graphql('{ flows { id }');
    expect(parse.status).toBe(400);
    expect(parse.body.errors[0].extensions).toEqual({
      code: 'GRAPHQL_PARSE_FAILED',
      statusCode: 400,
      category: 'VALIDATION',
    });
    const unknown = await graphql('{ flows { owner } }');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      statusCode: 400,
      category: 'VALIDATION',
    });
  });

  it(`429 RATE_LIMITED after ${RUNS_PER_MINUTE} runs a minute`, async () => {
    const run = () =>
      graphql('mutation { runFlow(input: { flowId: "flw_onboarding", locale: "en" }) { status } }');
    for (let index = 0; index < RUNS_PER_MINUTE; index++) {
      expect((await run()).body.data.runFlow).toEqual({ status: 'queued' });
    }
    const limited = await run();
    expect(limited.status).toBe(200);
    expect(limited.body.errors[0]).toMatchObject({
      message: 'Too many requests',
      path: ['runFlow'],
      extensions: { code: 'RATE_LIMITED', statusCode: 429, category: 'RATE_LIMIT' },
    });
  });
});
