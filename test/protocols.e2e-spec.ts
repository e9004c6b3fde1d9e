import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorsModuleOptions } from 'nest-api-errors';
import { protocolsFixtureModule } from './fixtures/protocols-fixture.js';
import {
  HYBRID_COMBINATIONS,
  type Hybrid,
  SocketClient,
  type WsAdapterName,
  rpcError,
  startHybrid as startHybridApp,
} from './support/hybrid-app.js';
import { type AdapterName, ISO_TIMESTAMP, UUID } from './support/test-app.js';

/** HTTP, GraphQL, a TCP microservice and a gateway in one app under one ErrorsModule.forRoot. */
function startHybrid(
  platform: AdapterName,
  wsAdapter: WsAdapterName,
  options: ErrorsModuleOptions = {},
): Promise<Hybrid> {
  return startHybridApp(protocolsFixtureModule(options), platform, wsAdapter);
}

describe.each(HYBRID_COMBINATIONS)('protocols on %s with %s', (platform, wsAdapter) => {
  let hybrid: Hybrid;
  const graphql = (query: string, variables?: object) =>
    request(hybrid.app.getHttpServer()).post('/graphql').send({ query, variables });

  beforeAll(async () => {
    hybrid = await startHybrid(platform, wsAdapter);
  });
  afterAll(() => hybrid.close());

  describe('GraphQL', () => {
    it('a resolver error: HTTP 200, data null for that field only, extensions with code and request id', async () => {
      const response = await graphql('{ flows { id } missing: flow(id: "nope") { id } }');
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({ flows: [{ id: 'flw_1' }], missing: null });
      const requestId = response.headers['x-request-id'] as string;
      expect(requestId).toMatch(UUID);
      expect(JSON.stringify(response.body.errors)).toBe(
        JSON.stringify([
          {
            message: 'Flow, tooltip, survey, or other content not found',
            path: ['missing'],
            locations: [{ line: 1, column: 16 }],
            extensions: {
              code: 'CONTENT_NOT_FOUND',
              statusCode: 404,
              category: 'NOT_FOUND',
              requestId,
            },
          },
        ]),
      );
    });

    it("a Nest HttpException keeps its status and message, with the status's code", async () => {
      const response = await graphql('{ legacyFlow { id } }');
      expect(response.body.errors[0]).toEqual({
        message: 'Flow not found',
        path: ['legacyFlow'],
        locations: [{ line: 1, column: 3 }],
        extensions: {
          code: 'NOT_FOUND',
          statusCode: 404,
          category: 'NOT_FOUND',
          requestId: response.headers['x-request-id'],
        },
      });
    });

    it('a 500: redacted, no stack trace in extensions, the secret only in the log', async () => {
      const response = await graphql('{ crash }');
      expect(response.status).toBe(200);
      expect(response.body.errors[0]).toEqual({
        message: 'Internal server error',
        path: ['crash'],
        locations: [{ line: 1, column: 3 }],
        extensions: {
          code: 'INTERNAL_ERROR',
          statusCode: 500,
          category: 'INTERNAL',
          requestId: response.headers['x-request-id'],
        },
      });
      expect(response.text).not.toContain('hunter2');
      expect(response.text).not.toContain('stacktrace');
      expect(hybrid.logger.text()).toContain('password=hunter2');
    });

    it('validation failures on args carry their field paths', async () => {
      const response = await graphql(
        'mutation { createFlow(input: { name: "", steps: 0 }) { id } }',
      );
      expect(response.status).toBe(200);
      expect(response.body.errors[0].extensions).toEqual({
        code: 'VALIDATION_ERROR',
        statusCode: 400,
        category: 'VALIDATION',
        details: [
          { path: 'name', message: 'name must be longer than or equal to 1 characters' },
          { path: 'steps', message: 'steps must not be less than 1' },
        ],
        requestId: response.headers['x-request-id'],
      });
      expect(response.body.errors[0].message).toBe(
        'Validation failed: name: name must be longer than or equal to 1 characters, steps: steps must not be less than 1',
      );
    });

    it.each([
      ['a syntax error', '{ flows { id }', 'GRAPHQL_PARSE_FAILED'],
      ['an unknown field', '{ flows { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
    ])('%s gets a code, status, category and request id', async (_, query, code) => {
      const response = await graphql(query);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions).toEqual({
        code,
        statusCode: 400,
        category: 'VALIDATION',
        requestId: response.headers['x-request-id'],
      });
      expect(response.text).not.toContain('stacktrace');
    });

    it('bad variables get BAD_USER_INPUT', async () => {
      const response = await graphql('query ($id: String!) { flow(id: $id) { id } }', { id: 42 });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions).toEqual({
        code: 'BAD_USER_INPUT',
        statusCode: 400,
        category: 'VALIDATION',
        requestId: response.headers['x-request-id'],
      });
    });
  });

  describe('microservice (TCP)', () => {
    it("a handler's error reaches the caller as the format's body plus statusCode", async () => {
      const error = await rpcError(hybrid.client, 'flows.get', { id: 'nope' });
      expect(error).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.get',
        message: 'Flow, tooltip, survey, or other content not found',
        code: 'CONTENT_NOT_FOUND',
        requestId: expect.stringMatching(UUID),
      });
    });

    it('validation details survive the hop', async () => {
      const error = await rpcError(hybrid.client, 'flows.create', { name: '', steps: 0 });
      expect(error).toEqual({
        statusCode: 400,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.create',
        message:
          'Validation failed: name: name must be longer than or equal to 1 characters, steps: steps must not be less than 1',
        requestId: expect.stringMatching(UUID),
        details: [
          { path: 'name', message: 'name must be longer than or equal to 1 characters' },
          { path: 'steps', message: 'steps must not be less than 1' },
        ],
      });
    });

    it('an RpcException keeps the status and message it names', async () => {
      const error = await rpcError(hybrid.client, 'flows.rpc', {});
      expect(error).toMatchObject({ statusCode: 409, message: 'Flow is locked' });
    });

    it('a 500 is redacted and logged', async () => {
      const error = await rpcError(hybrid.client, 'flows.crash', {});
      expect(error).toEqual({
        statusCode: 500,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.crash',
        message: 'Internal server error',
        requestId: expect.stringMatching(UUID),
      });
      expect(hybrid.logger.text()).toContain('RPC flows.crash 500');
    });
  });

  describe(`WebSockets (${wsAdapter})`, () => {
    /** Sends one event on a new connection and resolves with the `exception` event it causes. */
    async function exceptionFor(event: string, data: unknown): Promise<unknown> {
      const socket = await SocketClient.connect(wsAdapter, hybrid.url);
      try {
        return await socket.exception(event, data);
      } finally {
        socket.close();
      }
    }

    it("a domain error arrives as an exception event with the format's body", async () => {
      expect(await exceptionFor('flows.get', { id: 'nope' })).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.get',
        message: 'Flow, tooltip, survey, or other content not found',
        code: 'CONTENT_NOT_FOUND',
        requestId: expect.stringMatching(UUID),
      });
    });

    it('an HttpException keeps its status and message', async () => {
      expect(await exceptionFor('flows.http', {})).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.http',
        message: 'Flow not found',
        requestId: expect.stringMatching(UUID),
      });
    });

    it('a validation failure keeps its status and message', async () => {
      expect(await exceptionFor('flows.create', { name: 'ok', steps: 0 })).toEqual({
        statusCode: 400,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.create',
        message: 'Validation failed: steps: steps must not be less than 1',
        requestId: expect.stringMatching(UUID),
      });
    });

    it('a WsException is a 400 with its message', async () => {
      expect(await exceptionFor('flows.ws', {})).toMatchObject({
        statusCode: 400,
        message: 'Flow is locked',
      });
    });

    it('a 500 is redacted', async () => {
      expect(await exceptionFor('flows.crash', {})).toMatchObject({
        statusCode: 500,
        message: 'Internal server error',
      });
    });
  });

  it('HTTP in the same app still answers in the module format', async () => {
    const response = await request(hybrid.app.getHttpServer()).get('/flows/x');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'CONTENT_NOT_FOUND', path: '/flows/x' });
  });
});

describe('protocols with another format and exposeInternalErrors', () => {
  let hybrid: Hybrid;
  beforeAll(async () => {
    hybrid = await startHybrid('express', 'socket.io', {
      format: 'envelope',
      exposeInternalErrors: true,
    });
  });
  afterAll(() => hybrid.close());

  it('RPC bodies follow the module format, with statusCode added', async () => {
    const error = await rpcError(hybrid.client, 'flows.create', { name: '', steps: 1 });
    expect(error).toEqual({
      error: {
        message: 'Invalid request body',
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        category: 'VALIDATION',
        details: [{ path: 'name', message: 'name must be longer than or equal to 1 characters' }],
      },
      statusCode: 400,
      requestId: expect.stringMatching(UUID),
    });
  });

  it('GraphQL keeps the stack trace and the real message only with exposeInternalErrors', async () => {
    const response = await request(hybrid.app.getHttpServer())
      .post('/graphql')
      .send({ query: '{ crash }' });
    expect(response.body.errors[0].message).toBe('password=hunter2');
    expect(response.body.errors[0].extensions.stacktrace).toEqual(expect.any(Array));
  });
});
