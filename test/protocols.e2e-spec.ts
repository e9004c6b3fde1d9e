import type { INestApplication } from '@nestjs/common';
import { ClientProxyFactory, type ClientProxy, Transport } from '@nestjs/microservices';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { Test } from '@nestjs/testing';
import { createServer } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ErrorsModuleOptions } from 'nest-api-errors';
import { protocolsFixtureModule } from './fixtures/protocols-fixture.js';
import { CapturingLogger, ISO_TIMESTAMP, UUID } from './support/test-app.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Hybrid {
  app: INestApplication;
  logger: CapturingLogger;
  url: string;
  client: ClientProxy;
}

/** HTTP, GraphQL, a TCP microservice and a gateway in one app under one ErrorsModule.forRoot. */
async function startHybrid(
  platform: 'express' | 'fastify',
  wsAdapter: 'socket.io' | 'ws',
  options: ErrorsModuleOptions = {},
): Promise<Hybrid> {
  const moduleRef = await Test.createTestingModule({
    imports: [protocolsFixtureModule(options)],
  }).compile();
  const logger = new CapturingLogger();
  const app = moduleRef.createNestApplication(
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    {
      logger,
    },
  );
  app.useWebSocketAdapter(wsAdapter === 'ws' ? new WsAdapter(app) : new IoAdapter(app));
  const tcpPort = await freePort();
  // inheritAppConfig: the microservice shares the app's global filter and pipe (README § Protocols).
  app.connectMicroservice(
    { transport: Transport.TCP, options: { host: '127.0.0.1', port: tcpPort } },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  if (platform === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  const { port } = app.getHttpServer().address() as { port: number };
  const client = ClientProxyFactory.create({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port: tcpPort },
  });
  await client.connect();
  return { app, logger, url: `http://127.0.0.1:${port}`, client };
}

const COMBINATIONS = [
  ['express', 'socket.io'],
  ['fastify', 'ws'],
  ['express', 'ws'],
  ['fastify', 'socket.io'],
] as const;

describe.each(COMBINATIONS)('protocols on %s with %s', (platform, wsAdapter) => {
  let hybrid: Hybrid;
  const graphql = (query: string, variables?: object) =>
    request(hybrid.app.getHttpServer()).post('/graphql').send({ query, variables });

  beforeAll(async () => {
    hybrid = await startHybrid(platform, wsAdapter);
  });
  afterAll(async () => {
    await hybrid.client.close();
    await hybrid.app.close();
  });

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
      const error = await firstValueFrom(hybrid.client.send('flows.get', { id: 'nope' })).catch(
        (caught: unknown) => caught,
      );
      expect(error).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.get',
        message: 'Flow, tooltip, survey, or other content not found',
        code: 'CONTENT_NOT_FOUND',
      });
    });

    it('validation details survive the hop', async () => {
      const error = await firstValueFrom(
        hybrid.client.send('flows.create', { name: '', steps: 0 }),
      ).catch((caught: unknown) => caught);
      expect(error).toEqual({
        statusCode: 400,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.create',
        message:
          'Validation failed: name: name must be longer than or equal to 1 characters, steps: steps must not be less than 1',
        details: [
          { path: 'name', message: 'name must be longer than or equal to 1 characters' },
          { path: 'steps', message: 'steps must not be less than 1' },
        ],
      });
    });

    it('an RpcException keeps the status and message it names', async () => {
      const error = await firstValueFrom(hybrid.client.send('flows.rpc', {})).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ statusCode: 409, message: 'Flow is locked' });
    });

    it('a 500 is redacted and logged', async () => {
      const error = await firstValueFrom(hybrid.client.send('flows.crash', {})).catch(
        (caught: unknown) => caught,
      );
      expect(error).toEqual({
        statusCode: 500,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.crash',
        message: 'Internal server error',
      });
      expect(hybrid.logger.text()).toContain('RPC flows.crash 500');
    });
  });

  describe(`WebSockets (${wsAdapter})`, () => {
    /** Sends one event and resolves with the payload of the `exception` event it causes. */
    function exceptionFor(event: string, data: unknown): Promise<unknown> {
      const address = hybrid.url.replace('http', 'ws');
      if (wsAdapter === 'ws') {
        return new Promise((resolve, reject) => {
          const socket = new WebSocket(address);
          socket.on('open', () => socket.send(JSON.stringify({ event, data })));
          socket.on('message', (message) => {
            const parsed = JSON.parse(String(message)) as { event: string; data: unknown };
            if (parsed.event === 'exception') {
              socket.close();
              resolve(parsed.data);
            }
          });
          socket.on('error', reject);
        });
      }
      return new Promise((resolve, reject) => {
        const socket: Socket = io(hybrid.url, { transports: ['websocket'], forceNew: true });
        socket.on('connect', () => socket.emit(event, data));
        socket.on('exception', (payload: unknown) => {
          socket.close();
          resolve(payload);
        });
        socket.on('connect_error', reject);
      });
    }

    it("a domain error arrives as an exception event with the format's body", async () => {
      expect(await exceptionFor('flows.get', { id: 'nope' })).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.get',
        message: 'Flow, tooltip, survey, or other content not found',
        code: 'CONTENT_NOT_FOUND',
      });
    });

    it('an HttpException keeps its status and message', async () => {
      expect(await exceptionFor('flows.http', {})).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.http',
        message: 'Flow not found',
      });
    });

    it('a validation failure keeps its status and message', async () => {
      expect(await exceptionFor('flows.create', { name: 'ok', steps: 0 })).toEqual({
        statusCode: 400,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'flows.create',
        message: 'Validation failed: steps: steps must not be less than 1',
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
  afterAll(async () => {
    await hybrid.client.close();
    await hybrid.app.close();
  });

  it('RPC bodies follow the module format, with statusCode added', async () => {
    const error = await firstValueFrom(
      hybrid.client.send('flows.create', { name: '', steps: 1 }),
    ).catch((caught: unknown) => caught);
    expect(error).toEqual({
      error: {
        message: 'Invalid request body',
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        category: 'VALIDATION',
        details: [{ path: 'name', message: 'name must be longer than or equal to 1 characters' }],
      },
      statusCode: 400,
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
