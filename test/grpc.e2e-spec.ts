import * as grpc from '@grpc/grpc-js';
import { parseGrpcError } from 'nest-api-errors';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRPC_SECRET } from './fixtures/grpc-fixture.js';
import {
  type GrpcApp,
  chatError,
  collectError,
  decodedStatus,
  findOneError,
  listAllError,
  metadataOf,
  startGrpcApp,
} from './support/grpc-app.js';
import { ADAPTERS, UUID } from './support/test-app.js';

// Issue 26: on Transport.GRPC an error is the gRPC status its HTTP status means, with the safe
// message, the request id in the trailers and the AIP-193 details in grpc-status-details-bin.

/** The ErrorInfo and RequestInfo every error carries, for an error of this code and status. */
function baseDetails(reason: string, category: string, statusCode: number, requestId: unknown) {
  return [
    {
      'google.rpc.ErrorInfo': {
        reason,
        domain: 'hero.HeroService',
        metadata: { category, statusCode: String(statusCode) },
      },
    },
    { 'google.rpc.RequestInfo': { requestId } },
  ];
}

describe.each(ADAPTERS)('gRPC errors (issue 26) with the HTTP app on %s', (adapter) => {
  let grpcApp: GrpcApp;

  beforeAll(async () => {
    grpcApp = await startGrpcApp(adapter);
  });
  afterAll(() => grpcApp.close());

  it('a catalog error: NOT_FOUND, its message, x-request-id and the rich details', async () => {
    const error = await findOneError(grpcApp.client, 'catalog', { 'x-request-id': 'grpc-req-1' });
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.details).toBe('Flow, tooltip, survey, or other content not found');
    expect(error.metadata.get('x-request-id')).toEqual(['grpc-req-1']);
    expect(decodedStatus(error)).toEqual({
      code: grpc.status.NOT_FOUND,
      message: 'Flow, tooltip, survey, or other content not found',
      details: baseDetails('CONTENT_NOT_FOUND', 'NOT_FOUND', 404, 'grpc-req-1'),
    });
    expect(
      grpcApp.logger.entries.some(
        ({ level, message }) =>
          level === 'debug' &&
          message ===
            'RPC /hero.HeroService/FindOne 404 CONTENT_NOT_FOUND requestId=grpc-req-1: Flow, tooltip, survey, or other content not found',
      ),
    ).toBe(true);
  });

  it.each([
    [400, grpc.status.INVALID_ARGUMENT, 'VALIDATION_ERROR', 'VALIDATION', 'status 400'],
    [401, grpc.status.UNAUTHENTICATED, 'UNAUTHORIZED', 'AUTH', 'status 401'],
    [403, grpc.status.PERMISSION_DENIED, 'FORBIDDEN', 'AUTH', 'status 403'],
    [404, grpc.status.NOT_FOUND, 'NOT_FOUND', 'NOT_FOUND', 'status 404'],
    [409, grpc.status.ALREADY_EXISTS, 'CONFLICT', 'CONFLICT', 'status 409'],
    [418, grpc.status.FAILED_PRECONDITION, 'BAD_REQUEST', 'VALIDATION', 'status 418'],
    [429, grpc.status.RESOURCE_EXHAUSTED, 'RATE_LIMITED', 'RATE_LIMIT', 'status 429'],
    [499, grpc.status.CANCELLED, 'BAD_REQUEST', 'VALIDATION', 'status 499'],
    [501, grpc.status.UNIMPLEMENTED, 'INTERNAL_ERROR', 'INTERNAL', 'Not Implemented'],
    [502, grpc.status.INTERNAL, 'INTERNAL_ERROR', 'INTERNAL', 'Bad Gateway'],
    [503, grpc.status.UNAVAILABLE, 'SERVICE_UNAVAILABLE', 'INTERNAL', 'Service Unavailable'],
    [504, grpc.status.DEADLINE_EXCEEDED, 'INTERNAL_ERROR', 'INTERNAL', 'Gateway Timeout'],
  ])(
    'HTTP %i is gRPC %i (%s) with the safe message',
    async (status, code, reason, category, message) => {
      const error = await findOneError(grpcApp.client, `status:${status}`);
      const shown = status >= 500 ? message : `${message} at ${GRPC_SECRET}`;
      expect(error.code).toBe(code);
      expect(error.details).toBe(shown);
      const [requestId] = error.metadata.get('x-request-id');
      expect(requestId).toMatch(UUID);
      expect(decodedStatus(error)).toEqual({
        code,
        message: shown,
        details: baseDetails(reason, category, status, requestId),
      });
    },
  );

  it("new Error('secret') is INTERNAL 'Internal server error'; the cause is logged at error", async () => {
    const error = await findOneError(grpcApp.client, 'secret');
    expect(error.code).toBe(grpc.status.INTERNAL);
    expect(error.details).toBe('Internal server error');
    const [requestId] = error.metadata.get('x-request-id');
    expect(JSON.stringify(decodedStatus(error))).not.toContain('secret');
    const entry = grpcApp.logger.entries.find(({ message }) =>
      message.includes(`requestId=${String(requestId)}:`),
    )!;
    expect(entry.level).toBe('error');
    expect(entry.message).toBe(
      `RPC /hero.HeroService/FindOne 500 requestId=${String(requestId)}: Internal server error`,
    );
    expect(entry.params.map(String).join('\n')).toContain('Error: secret');
  });

  it('validation: INVALID_ARGUMENT with one BadRequest field violation each', async () => {
    const error = await findOneError(grpcApp.client, 'validation');
    const message =
      'Validation failed: heroes.0.name: name must be a string, power: power must be an integer number';
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe(message);
    const [requestId] = error.metadata.get('x-request-id');
    const [info, requestInfo] = baseDetails('VALIDATION_ERROR', 'VALIDATION', 400, requestId);
    expect(decodedStatus(error)).toEqual({
      code: grpc.status.INVALID_ARGUMENT,
      message,
      details: [
        info,
        {
          'google.rpc.BadRequest': {
            fieldViolations: [
              { field: 'heroes.0.name', description: 'name must be a string' },
              { field: 'power', description: 'power must be an integer number' },
            ],
          },
        },
        requestInfo,
      ],
    });
  });

  /** The rate limit's status: RESOURCE_EXHAUSTED, its message, RetryInfo among the details. */
  function expectRateLimited(error: grpc.ServiceError) {
    expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error.details).toBe('Too many requests');
    const [requestId] = error.metadata.get('x-request-id');
    const [info, requestInfo] = baseDetails('RATE_LIMITED', 'RATE_LIMIT', 429, requestId);
    expect(decodedStatus(error).details).toEqual([
      info,
      { 'google.rpc.RetryInfo': { retryDelay: { seconds: 30 } } },
      requestInfo,
    ]);
  }

  it('a rate limit: RESOURCE_EXHAUSTED with RetryInfo', async () => {
    const error = await findOneError(grpcApp.client, 'rate');
    expectRateLimited(error);
  });

  it('a guard that denies is PERMISSION_DENIED Forbidden resource', async () => {
    const error = await findOneError(grpcApp.client, 'guarded');
    expect(error.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(error.details).toBe('Forbidden resource');
  });

  it.each([
    ['rpc:5', grpc.status.NOT_FOUND, 'rpc says 5', 'NOT_FOUND', 404],
    ['rpc:9', grpc.status.FAILED_PRECONDITION, 'rpc says 9', 'VALIDATION_ERROR', 400],
    ['rpc:10', grpc.status.ABORTED, 'rpc says 10', 'CONFLICT', 409],
    ['rpc:14', grpc.status.UNAVAILABLE, 'Service Unavailable', 'SERVICE_UNAVAILABLE', 503],
    ['rpc:15', grpc.status.DATA_LOSS, 'Internal server error', 'INTERNAL_ERROR', 500],
    ['rpc:2', grpc.status.INTERNAL, 'Internal server error', 'INTERNAL_ERROR', 500],
  ])(
    'RpcException({ code, message }) %s keeps its code %i (5xx-like codes redacted, never UNKNOWN)',
    async (name, code, message, reason, statusCode) => {
      const error = await findOneError(grpcApp.client, name);
      expect(error.code).toBe(code);
      expect(error.details).toBe(message);
      expect(decodedStatus(error).details[0]).toEqual({
        'google.rpc.ErrorInfo': {
          reason,
          domain: 'hero.HeroService',
          metadata: {
            category: expect.any(String),
            statusCode: String(statusCode),
          },
        },
      });
    },
  );

  it('a huge message is cut to 1,024 characters; huge violations are bounded and counted', async () => {
    const huge = await findOneError(grpcApp.client, 'huge');
    expect(huge.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(huge.details).toBe(`${'x'.repeat(1023)}…`);
    expect(decodedStatus(huge).message).toBe(`${'x'.repeat(1023)}…`);

    const many = await findOneError(grpcApp.client, 'huge-violations');
    expect(many.code).toBe(grpc.status.INVALID_ARGUMENT);
    const badRequest = decodedStatus(many).details[1]!['google.rpc.BadRequest'] as {
      fieldViolations: Array<{ field?: string; description: string }>;
    };
    const violations = badRequest.fieldViolations;
    expect(violations.at(0)).toEqual({
      field: `rows.0.${'k'.repeat(248)}…`,
      description: `${'m'.repeat(511)}…`,
    });
    // The summary names no field: an empty string is left out of the message.
    expect(violations.at(-1)).toEqual({
      description: `…and ${100 - violations.length + 1} more violations`,
    });
    expect(violations.length).toBeLessThan(20);
  });

  it('a malformed request message is refused by grpc-js; the service goes on answering', async () => {
    const raw = new grpc.Client(
      grpcApp.client.getChannel().getTarget().replace(/^dns:/, ''),
      grpc.credentials.createInsecure(),
    );
    const error = await new Promise<grpc.ServiceError>((resolve, reject) => {
      raw.makeUnaryRequest(
        '/hero.HeroService/FindOne',
        // Field 2 with wire type 7, which protobuf does not have.
        () => Buffer.from([0x17]),
        (bytes: Buffer) => bytes,
        {},
        (failure, value) =>
          failure === null ? reject(new Error(String(value))) : resolve(failure),
      );
    });
    raw.close();
    expect(error.code).toBe(grpc.status.INTERNAL);
    expect((await findOneError(grpcApp.client, 'catalog')).code).toBe(grpc.status.NOT_FOUND);
  });

  it.each([
    ['an incoming x-request-id', { 'x-request-id': 'grpc-in-7' }, 'grpc-in-7'],
    [
      'a traceparent',
      { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      '4bf92f3577b34da6a3ce929d0e0e4736',
    ],
    ['a malformed id', { 'x-request-id': 'bad id' }, UUID],
  ])('request id from %s, in the trailer and RequestInfo', async (_, metadata, expected) => {
    const error = await findOneError(grpcApp.client, 'catalog', metadata);
    const [requestId] = error.metadata.get('x-request-id');
    expect(requestId).toEqual(
      typeof expected === 'string' ? expected : expect.stringMatching(expected),
    );
    expect(decodedStatus(error).details[1]).toEqual({ 'google.rpc.RequestInfo': { requestId } });
  });

  /** The catalog 404 of a call to `method`: its status, details and log line. */
  function expectCatalogNotFound(error: grpc.ServiceError, method: string) {
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.details).toBe('Flow, tooltip, survey, or other content not found');
    const [requestId] = error.metadata.get('x-request-id');
    expect(decodedStatus(error).details).toEqual(
      baseDetails('CONTENT_NOT_FOUND', 'NOT_FOUND', 404, requestId),
    );
    expect(grpcApp.logger.entries.map(({ message }) => message)).toContain(
      `RPC /hero.HeroService/${method} 404 CONTENT_NOT_FOUND requestId=${String(requestId)}: Flow, tooltip, survey, or other content not found`,
    );
  }

  it('server streaming: the messages before the error, then its status and trailers', async () => {
    const { received, error } = await listAllError(grpcApp.client, 'catalog');
    expect(received).toEqual([{ name: 'first' }]);
    expectCatalogNotFound(error, 'ListAll');
  });

  it('client streaming: the same status and trailers', async () => {
    const error = await collectError(grpcApp.client, ['ok', 'rate']);
    expectRateLimited(error);
  });

  it('bidirectional streaming: the answers before the error, then the same status', async () => {
    const { received, error } = await chatError(grpcApp.client, ['one', 'secret']);
    expect(received).toEqual([{ name: 'one' }]);
    expect(error.code).toBe(grpc.status.INTERNAL);
    expect(error.details).toBe('Internal server error');
    expect(error.metadata.get('x-request-id')[0]).toMatch(UUID);
  });

  it('@GrpcStreamCall handlers (given the call itself): the same status and trailers', async () => {
    const { received, error } = await chatError(grpcApp.client, ['one'], 'Relay');
    expect(received).toEqual([]);
    expectCatalogNotFound(error, 'Relay');

    expectRateLimited(await collectError(grpcApp.client, ['one'], 'Gather'));
  });

  /** The one log line of a call the client left: a 499 at debug, never a 500. */
  async function expectClientGoneLogged(requestId: string, message: string) {
    await expect
      .poll(() =>
        grpcApp.logger.entries.filter((entry) => entry.message.includes(`requestId=${requestId}`)),
      )
      .toEqual([
        {
          level: 'debug',
          message: `RPC /hero.HeroService/FindOne 499 requestId=${requestId}: ${message}`,
          params: ['ErrorsFilter'],
        },
      ]);
  }

  it("a deadline that passes is the client's doing: logged at debug as 499, never as a 500", async () => {
    const error = await findOneError(
      grpcApp.client,
      'wait-for-cancel',
      { 'x-request-id': 'late-1' },
      {
        deadline: Date.now() + 200,
      },
    );
    expect(error.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    await expectClientGoneLogged('late-1', 'Deadline exceeded');
  });

  it("a cancelled call is the client's doing too", async () => {
    const call = grpcApp.client.FindOne(
      { name: 'wait-for-cancel' },
      metadataOf({ 'x-request-id': 'gone-1' }),
      {},
      () => undefined,
    );
    // Cancelled once the handler has the call (it sends its headers, then waits).
    await new Promise((resolve) => call.once('metadata', resolve));
    call.cancel();
    await expectClientGoneLogged('gone-1', 'Cancelled by the client');
  });

  it('parseGrpcError reads the status back: a Nest client rethrows the same typed error', async () => {
    const parsed = parseGrpcError(
      await findOneError(grpcApp.client, 'validation', { 'x-request-id': 'round-1' }),
    );
    expect(parsed).toEqual({
      code: 'VALIDATION_ERROR',
      status: 400,
      message:
        'Validation failed: heroes.0.name: name must be a string, power: power must be an integer number',
      details: [
        { path: 'heroes.0.name', message: 'name must be a string' },
        { path: 'power', message: 'power must be an integer number' },
      ],
      requestId: 'round-1',
      retryAfterSeconds: undefined,
    });
    expect(parseGrpcError(await findOneError(grpcApp.client, 'rate'))).toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      retryAfterSeconds: 30,
    });
    expect(parseGrpcError(new Error('not grpc'))).toBeUndefined();

    // Through the HTTP gateway: the service's error is rethrown as the same typed error.
    const server = grpcApp.app.getHttpServer();
    const catalog = await request(server).get('/heroes/catalog');
    expect(catalog.status).toBe(404);
    expect(catalog.body).toEqual({
      statusCode: 404,
      timestamp: expect.any(String),
      path: '/heroes/catalog',
      message: 'Flow, tooltip, survey, or other content not found',
      code: 'CONTENT_NOT_FOUND',
    });
    const rate = await request(server).get('/heroes/rate');
    expect(rate.status).toBe(429);
    expect(rate.headers['retry-after']).toBe('30');
    expect(rate.body).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many requests' });
    const generic = await request(server).get('/heroes/client-4xx');
    expect(generic.status).toBe(404);
    expect(generic.body).toMatchObject({ message: 'Hero 7 is archived' });
    expect(generic.body).not.toHaveProperty('code');
  });
});

describe('gRPC options', () => {
  it('grpc.domain names ErrorInfo.domain; docsBaseUrl adds Help; a translation adds LocalizedMessage', async () => {
    const grpcApp = await startGrpcApp('express', {
      grpc: { domain: 'heroes.example.com' },
      docsBaseUrl: 'https://docs.example.com/errors',
      messages: { de: { CONTENT_NOT_FOUND: 'Inhalt nicht gefunden' } },
    });
    try {
      const error = await findOneError(grpcApp.client, 'catalog', {
        'x-request-id': 'opt-1',
        'accept-language': 'de-CH, en;q=0.5',
      });
      expect(error.details).toBe('Flow, tooltip, survey, or other content not found');
      expect(decodedStatus(error).details).toEqual([
        {
          'google.rpc.ErrorInfo': {
            reason: 'CONTENT_NOT_FOUND',
            domain: 'heroes.example.com',
            metadata: { category: 'NOT_FOUND', statusCode: '404' },
          },
        },
        { 'google.rpc.RequestInfo': { requestId: 'opt-1' } },
        {
          'google.rpc.Help': {
            links: [
              {
                description: 'CONTENT_NOT_FOUND',
                url: 'https://docs.example.com/errors#CONTENT_NOT_FOUND',
              },
            ],
          },
        },
        { 'google.rpc.LocalizedMessage': { locale: 'de', message: 'Inhalt nicht gefunden' } },
      ]);
    } finally {
      await grpcApp.close();
    }
  });

  it('requestId: false sends no x-request-id trailer', async () => {
    const grpcApp = await startGrpcApp('fastify', { requestId: false });
    try {
      const error = await findOneError(grpcApp.client, 'catalog', { 'x-request-id': 'ignored' });
      expect(error.metadata.get('x-request-id')).toEqual([]);
      expect(error.code).toBe(grpc.status.NOT_FOUND);
    } finally {
      await grpcApp.close();
    }
  });
});
