import { INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import type { FormatName } from 'nest-api-errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Not part of the package's API: read from the sources so the expected list follows the cap.
import { MAX_FIELD_VIOLATIONS } from '../libs/errors/src/domains/common.exceptions.js';
import {
  SECRET,
  TransportEventsController,
  TransportMessagesController,
  transportsFixtureModule,
} from './fixtures/transports-fixture.js';
import {
  HYBRID_COMBINATIONS,
  type Hybrid,
  SocketClient,
  readSse,
  rpcClient,
  rpcError,
  startHybrid,
} from './support/hybrid-app.js';
import { expectLoggedServerError, logEntryOf } from './support/logged-errors.js';
import { ISO_TIMESTAMP, UUID } from './support/test-app.js';

// Issue #20: RPC, WebSockets and SSE keep every promise HTTP keeps — no leaked message, the right
// status, a request id the client and the log share, the documented body.

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const NO_HANDLER = 'There is no matching message handler defined in the remote service.';

/**
 * An import whose 10,000 rows each fail validation: 9,900 more violations than the cap keeps.
 * The pipe and the exception both cap; the count must be of the rows left out, not of the
 * summary the first cap added (issue #20, point 4: "…and 1 more violation").
 */
const OVER_CAP = { rows: Array.from({ length: 10_000 }, () => ({ name: 5 })) };
const REST = '…and 9,900 more violations';

/** The first MAX_FIELD_VIOLATIONS violations, as `{path, message}`, in order. */
const KEPT = Array.from({ length: MAX_FIELD_VIOLATIONS }, (_, index) => ({
  path: `rows.${index}.name`,
  message: 'name must be a string',
}));

/** The violations the client gets: those kept, then the one that counts the rest. */
const CAPPED_DETAILS = [...KEPT, { path: '', message: REST }];

/** The message that lists them (timestamped, problem): every kept violation, the count last. */
const CAPPED_MESSAGE = `Validation failed: ${KEPT.map(({ path, message }) => `${path}: ${message}`).join(', ')}, ${REST}`;

/** The cap applied once: MAX_FIELD_VIOLATIONS kept, and a last entry that counts the rest. */
function expectCappedOnce(details: unknown[] | undefined) {
  expect(details).toHaveLength(MAX_FIELD_VIOLATIONS + 1);
  expect(details!.at(-1)).toEqual({ path: '', message: REST });
}

/** What the fixture's failing handlers wrap and log. */
const WRAPPED = `Error: connect ECONNREFUSED ${SECRET}`;

describe.each(HYBRID_COMBINATIONS)('issue #20 on %s with %s', (platform, wsAdapter) => {
  let hybrid: Hybrid;

  beforeAll(async () => {
    hybrid = await startHybrid(transportsFixtureModule(), platform, wsAdapter);
  });
  afterAll(() => hybrid.close());

  describe('microservice (TCP)', () => {
    it('an RpcException wrapping an Error is a generic 500; the cause is logged at error', async () => {
      const error = (await rpcError(hybrid.client, 'reports.export')) as { requestId: string };
      expect(error).toEqual({
        statusCode: 500,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.export',
        message: 'Internal server error',
        requestId: expect.stringMatching(UUID),
      });
      expect(JSON.stringify(error)).not.toContain('hunter2');
      expectLoggedServerError(hybrid.logger, 'RPC reports.export 500', error.requestId, WRAPPED);
    });

    it('a guard that denies is 403 Forbidden resource', async () => {
      expect(await rpcError(hybrid.client, 'reports.purge')).toEqual({
        statusCode: 403,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.purge',
        message: 'Forbidden resource',
        requestId: expect.stringMatching(UUID),
      });
    });

    it('an unknown pattern is a 404 in the format', async () => {
      expect(await rpcError(hybrid.client, 'reports.nope', { id: 1 })).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.nope',
        message: NO_HANDLER,
        requestId: expect.stringMatching(UUID),
      });
    });

    it('10,000 violations: capped once, the message and the last detail count the other 9,900', async () => {
      // inheritAppConfig: the global pipe of forRoot validates the payload.
      const error = (await rpcError(hybrid.client, 'reports.import', OVER_CAP)) as {
        details?: unknown[];
      };
      expectCappedOnce(error.details);
      expect(error).toEqual({
        statusCode: 400,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.import',
        message: CAPPED_MESSAGE,
        // No code: the timestamped format leaves it off a validation failure, as over HTTP.
        requestId: expect.stringMatching(UUID),
        // The timestamped body lists violations only in its message: RPC adds them as details.
        details: CAPPED_DETAILS,
      });
    });

    it("an event for an unknown pattern keeps Nest's behaviour: logged, no answer", async () => {
      hybrid.client.emit('reports.unheard', { id: 1 });
      await expect
        .poll(() => hybrid.logger.text())
        .toContain(
          'There is no matching event handler defined in the remote service. Event pattern: reports.unheard',
        );
      expect(hybrid.logger.text()).not.toContain('RPC reports.unheard');
    });

    it("the request id is the message metadata's X-Request-Id, in the payload and the log", async () => {
      const client = rpcClient(hybrid.tcpPort, { 'x-request-id': 'rpc-req-42' });
      try {
        expect(await rpcError(client, 'reports.get')).toEqual({
          statusCode: 404,
          timestamp: expect.stringMatching(ISO_TIMESTAMP),
          path: 'reports.get',
          message: 'Flow, tooltip, survey, or other content not found',
          code: 'CONTENT_NOT_FOUND',
          requestId: 'rpc-req-42',
        });
        expect(logEntryOf(hybrid.logger, 'rpc-req-42').message).toBe(
          'RPC reports.get 404 CONTENT_NOT_FOUND requestId=rpc-req-42: Flow, tooltip, survey, or other content not found',
        );
        // The unknown-pattern answer honours it too.
        expect(await rpcError(client, 'reports.nope')).toMatchObject({ requestId: 'rpc-req-42' });
      } finally {
        await client.close();
      }
    });

    it.each([
      ['a traceparent', { traceparent: TRACEPARENT }, TRACE_ID],
      ['a malformed id', { 'x-request-id': 'bad id\r\nx' }, UUID],
      ['no metadata', undefined, UUID],
    ])('with %s in the metadata, a request id of its own', async (_, metadata, expected) => {
      const client = rpcClient(hybrid.tcpPort, metadata);
      try {
        const first = (await rpcError(client, 'reports.get')) as { requestId: string };
        const second = (await rpcError(client, 'reports.get')) as { requestId: string };
        if (typeof expected === 'string') {
          expect([first.requestId, second.requestId]).toEqual([expected, expected]);
        } else {
          expect(first.requestId).toMatch(expected);
          // One id per message: two messages are two requests.
          expect(second.requestId).not.toBe(first.requestId);
        }
      } finally {
        await client.close();
      }
    });
  });

  describe(`WebSockets (${wsAdapter})`, () => {
    const sockets: SocketClient[] = [];
    async function connect(headers?: Record<string, string>) {
      const socket = await SocketClient.connect(wsAdapter, hybrid.url, headers);
      sockets.push(socket);
      return socket;
    }
    afterAll(() => sockets.forEach((socket) => socket.close()));

    it('a WsException wrapping an Error is a generic 500; the cause is logged at error', async () => {
      const socket = await connect();
      const payload = (await socket.exception('reports.export')) as { requestId: string };
      expect(payload).toEqual({
        statusCode: 500,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.export',
        message: 'Internal server error',
        requestId: expect.stringMatching(UUID),
      });
      expect(JSON.stringify(payload)).not.toContain('hunter2');
      expectLoggedServerError(hybrid.logger, 'WS reports.export 500', payload.requestId, WRAPPED);
    });

    it('a guard that denies is 403 Forbidden resource', async () => {
      const socket = await connect();
      expect(await socket.exception('reports.purge')).toEqual({
        statusCode: 403,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.purge',
        message: 'Forbidden resource',
        requestId: expect.stringMatching(UUID),
      });
    });

    it('10,000 violations: capped once, the message counts the other 9,900', async () => {
      const socket = await connect();
      // The timestamped body lists violations only in its message; the WebSocket payload is that
      // body: no details here (the formats that list them are checked below, FORMAT_CASES).
      expect(await socket.exception('reports.import', OVER_CAP)).toEqual({
        statusCode: 400,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.import',
        message: CAPPED_MESSAGE,
        // No code: the timestamped format leaves it off a validation failure, as over HTTP.
        requestId: expect.stringMatching(UUID),
      });
    });

    it("the request id is the handshake's X-Request-Id, in the payload and the log", async () => {
      const socket = await connect({ 'X-Request-Id': `ws-req-${platform}-${wsAdapter}` });
      const requestId = `ws-req-${platform}-${wsAdapter}`;
      expect(await socket.exception('reports.get')).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.get',
        message: 'Flow, tooltip, survey, or other content not found',
        code: 'CONTENT_NOT_FOUND',
        requestId,
      });
      expect(logEntryOf(hybrid.logger, requestId).message).toBe(
        `WS reports.get 404 CONTENT_NOT_FOUND requestId=${requestId}: Flow, tooltip, survey, or other content not found`,
      );
    });

    it("else the handshake's traceparent's trace id", async () => {
      const socket = await connect({ traceparent: TRACEPARENT });
      expect(await socket.exception('reports.get')).toMatchObject({ requestId: TRACE_ID });
    });

    it('else one new id per connection: a malformed one is replaced', async () => {
      const first = await connect({ 'X-Request-Id': 'bad id' });
      const second = await connect();
      const ids = [
        (await first.exception('reports.get')) as { requestId: string },
        (await first.exception('reports.purge')) as { requestId: string },
        (await second.exception('reports.get')) as { requestId: string },
      ].map((payload) => payload.requestId);
      expect(ids[0]).toMatch(UUID);
      expect(ids[1]).toBe(ids[0]);
      expect(ids[2]).toMatch(UUID);
      expect(ids[2]).not.toBe(ids[0]);
    });

    it.runIf(wsAdapter === 'socket.io')(
      'an acknowledgement, when asked for, gets the exception payload',
      async () => {
        const socket = await connect({ 'X-Request-Id': 'ack-1' });
        const acked = socket.ack('reports.get');
        const emitted = await socket.nextException();
        const expected = {
          statusCode: 404,
          timestamp: expect.stringMatching(ISO_TIMESTAMP),
          path: 'reports.get',
          message: 'Flow, tooltip, survey, or other content not found',
          code: 'CONTENT_NOT_FOUND',
          requestId: 'ack-1',
        };
        expect(emitted).toEqual(expected);
        expect(await acked).toEqual(emitted);
        // A handler that succeeds still acknowledges with its value.
        expect(await socket.ack('reports.ping')).toEqual({ ok: true });
      },
    );
  });

  describe('Server-Sent Events', () => {
    it('an error after the headers is an error event with the redacted body; logged at error', async () => {
      const { response, text, events } = await readSse(hybrid.app, '/events/internal');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(text).not.toContain('hunter2');
      expect(events).toHaveLength(2);
      expect(events[0]).toEqual({ id: '1', data: '{"progress":1}' });
      expect(events[1]).toMatchObject({ event: 'error', id: '2' });
      const requestId = response.headers['x-request-id'] as string;
      expect(requestId).toMatch(UUID);
      // An EventSource cannot read response headers: the id is in the event's data too.
      expect(JSON.parse(events[1]!.data!)).toEqual({
        statusCode: 500,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: '/events/internal',
        message: 'Internal server error',
        requestId,
      });
      const entry = logEntryOf(hybrid.logger, requestId);
      expect(entry.level).toBe('error');
      expect(entry.message).toBe(
        `GET /events/internal 500 requestId=${requestId}: Internal server error`,
      );
      expect(entry.params.map(String).join('\n')).toContain(`password=hunter2 ${SECRET}`);
    });

    it('a catalog 5xx sends its documented message, not the throw-site one', async () => {
      const { response, text, events } = await readSse(hybrid.app, '/events/catalog');
      expect(text).not.toContain('hunter2');
      expect(JSON.parse(events[1]!.data!)).toEqual({
        statusCode: 503,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: '/events/catalog',
        message: 'File upload to storage failed',
        code: 'UPLOAD_FAILED',
        requestId: response.headers['x-request-id'],
      });
    });

    it('a typed 404 keeps its code', async () => {
      const { response, events } = await readSse(hybrid.app, '/events/missing');
      expect(events[1]!.event).toBe('error');
      expect(JSON.parse(events[1]!.data!)).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: '/events/missing',
        message: 'Flow, tooltip, survey, or other content not found',
        code: 'CONTENT_NOT_FOUND',
        requestId: response.headers['x-request-id'],
      });
    });

    it("UseErrorFormat on an @Sse() route gives the error event that route's format", async () => {
      const { response, events } = await readSse(hybrid.app, '/events/problem');
      expect(JSON.parse(events[1]!.data!)).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Flow, tooltip, survey, or other content not found',
        instance: '/events/problem',
        code: 'CONTENT_NOT_FOUND',
        requestId: response.headers['x-request-id'],
      });
    });

    it('an error before the headers is still a plain HTTP error', async () => {
      const { response, text } = await readSse(hybrid.app, '/events/early');
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(text)).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: '/events/early',
        message: 'No such stream',
      });
    });

    it('only @Sse() handlers get the interceptor: other routes pay nothing for it', () => {
      const interceptorsOf = (handler: object) =>
        (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as object[];
      expect(interceptorsOf(TransportEventsController.prototype.done)).toHaveLength(1);
      expect(interceptorsOf(TransportEventsController.prototype.problem)).toHaveLength(1);
      expect(interceptorsOf(TransportMessagesController.prototype.missing)).toEqual([]);
      expect(Reflect.getMetadata(INTERCEPTORS_METADATA, TransportEventsController)).toBeUndefined();
    });

    it('a stream that succeeds is left alone', async () => {
      const { events } = await readSse(hybrid.app, '/events/done');
      expect(events).toEqual([{ id: '1', data: '{"progress":1}' }]);
    });
  });
});

/**
 * The capped violations as the traced format lists them: one message per path. The count of the
 * rest has no path: it is listed under the input's location, `body` when the transport has none.
 */
const TRACED_DETAILS = Object.fromEntries([
  ...KEPT.map(({ path, message }) => [path, message]),
  ['body', REST],
]);

/** The capped violations as the problem format lists them: a JSON pointer each, `#` for the count. */
const PROBLEM_ERRORS = [
  ...KEPT.map(({ path, message }) => ({
    detail: message,
    pointer: `#/${path.replaceAll('.', '/')}`,
  })),
  { detail: REST, pointer: '#' },
];

/**
 * The same errors in the other formats: the RPC payload is the format's body plus statusCode and
 * requestId; the WebSocket and SSE payloads add requestId only where the format carries no id.
 * These formats list the violations in their body, so RPC adds no `details` beside it.
 */
const FORMAT_CASES: Array<{
  format: FormatName;
  rpc500: object;
  rpc403: object;
  ws403: object;
  rpc400: object;
  ws400: object;
  rpc404: object;
  sse500: object;
}> = [
  {
    format: 'traced',
    rpc500: {
      error: { code: 'internal_error', message: 'Internal server error', trace_id: 'id-1' },
      statusCode: 500,
      requestId: 'id-1',
    },
    rpc403: {
      error: { code: 'forbidden', message: 'Forbidden resource', trace_id: 'id-1' },
      statusCode: 403,
      requestId: 'id-1',
    },
    ws403: { error: { code: 'forbidden', message: 'Forbidden resource', trace_id: 'id-1' } },
    rpc400: {
      error: {
        code: 'validation_error',
        message: 'Request validation failed',
        trace_id: 'id-1',
        details: TRACED_DETAILS,
      },
      statusCode: 400,
      requestId: 'id-1',
    },
    ws400: {
      error: {
        code: 'validation_error',
        message: 'Request validation failed',
        trace_id: 'id-1',
        details: TRACED_DETAILS,
      },
    },
    rpc404: {
      error: { code: 'not_found', message: NO_HANDLER, trace_id: 'id-1' },
      statusCode: 404,
      requestId: 'id-1',
    },
    sse500: {
      error: { code: 'internal_error', message: 'Internal server error', trace_id: 'id-1' },
    },
  },
  {
    format: 'envelope',
    rpc500: {
      error: {
        message: 'Internal server error',
        statusCode: 500,
        code: 'INTERNAL_ERROR',
        category: 'INTERNAL',
      },
      statusCode: 500,
      requestId: 'id-1',
    },
    rpc403: {
      error: {
        message: 'Forbidden resource',
        statusCode: 403,
        code: 'FORBIDDEN',
        category: 'AUTH',
      },
      statusCode: 403,
      requestId: 'id-1',
    },
    ws403: {
      error: {
        message: 'Forbidden resource',
        statusCode: 403,
        code: 'FORBIDDEN',
        category: 'AUTH',
      },
      requestId: 'id-1',
    },
    // A message carries no location: the envelope names the body, as for an HTTP body.
    rpc400: {
      error: {
        message: 'Invalid request body',
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        category: 'VALIDATION',
        details: CAPPED_DETAILS,
      },
      statusCode: 400,
      requestId: 'id-1',
    },
    ws400: {
      error: {
        message: 'Invalid request body',
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        category: 'VALIDATION',
        details: CAPPED_DETAILS,
      },
      requestId: 'id-1',
    },
    rpc404: {
      error: { message: NO_HANDLER, statusCode: 404, code: 'NOT_FOUND', category: 'NOT_FOUND' },
      statusCode: 404,
      requestId: 'id-1',
    },
    sse500: {
      error: {
        message: 'Internal server error',
        statusCode: 500,
        code: 'INTERNAL_ERROR',
        category: 'INTERNAL',
      },
      requestId: 'id-1',
    },
  },
  {
    format: 'problem',
    rpc500: {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Internal server error',
      instance: 'reports.export',
      requestId: 'id-1',
      statusCode: 500,
    },
    // No code: a guard's 403 is Nest's generic Forbidden, and problem shows only an error's own code.
    rpc403: {
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'Forbidden resource',
      instance: 'reports.purge',
      requestId: 'id-1',
      statusCode: 403,
    },
    ws403: {
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'Forbidden resource',
      instance: 'reports.purge',
      requestId: 'id-1',
    },
    rpc400: {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: CAPPED_MESSAGE,
      instance: 'reports.import',
      code: 'VALIDATION_ERROR',
      requestId: 'id-1',
      errors: PROBLEM_ERRORS,
      statusCode: 400,
    },
    ws400: {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: CAPPED_MESSAGE,
      instance: 'reports.import',
      code: 'VALIDATION_ERROR',
      requestId: 'id-1',
      errors: PROBLEM_ERRORS,
    },
    rpc404: {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: NO_HANDLER,
      instance: 'reports.nope',
      requestId: 'id-1',
      statusCode: 404,
    },
    sse500: {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Internal server error',
      instance: '/events/internal',
      requestId: 'id-1',
    },
  },
];

describe.each(FORMAT_CASES)('issue #20 in the $format format', (formatCase) => {
  describe.each([HYBRID_COMBINATIONS[0], HYBRID_COMBINATIONS[1]])(
    'on %s with %s',
    (platform, wsAdapter) => {
      let hybrid: Hybrid;
      beforeAll(async () => {
        hybrid = await startHybrid(
          transportsFixtureModule({ format: formatCase.format }),
          platform,
          wsAdapter,
        );
      });
      afterAll(() => hybrid.close());

      /** What a TCP client whose messages carry `x-request-id: id-1` gets for each message. */
      async function rpcErrorsOf(...messages: [pattern: string, data?: unknown][]) {
        const client = rpcClient(hybrid.tcpPort, { 'x-request-id': 'id-1' });
        try {
          const errors: unknown[] = [];
          for (const [pattern, data] of messages) {
            errors.push(await rpcError(client, pattern, data));
          }
          return errors;
        } finally {
          await client.close();
        }
      }

      it('RPC: a wrapped Error is a generic 500 with statusCode and requestId', async () => {
        expect(await rpcErrorsOf(['reports.export'], ['reports.nope'])).toEqual([
          formatCase.rpc500,
          formatCase.rpc404,
        ]);
      });

      it('RPC: a guard that denies is 403 FORBIDDEN (AUTH), as over HTTP', async () => {
        expect(await rpcErrorsOf(['reports.purge'])).toEqual([formatCase.rpc403]);
      });

      it('RPC: 10,000 violations are capped once; the last one counts the other 9,900', async () => {
        const [error] = await rpcErrorsOf(['reports.import', OVER_CAP]);
        expect(error).toEqual(formatCase.rpc400);
        // The regression of issue #20, point 4, named: a second cap counts only the summary.
        expect(JSON.stringify(error)).not.toContain('and 1 more violation');
      });

      it('WS: 10,000 violations are capped once; the last one counts the other 9,900', async () => {
        const socket = await SocketClient.connect(wsAdapter, hybrid.url, {
          'x-request-id': 'id-1',
        });
        try {
          const payload = await socket.exception('reports.import', OVER_CAP);
          expect(payload).toEqual(formatCase.ws400);
          expect(JSON.stringify(payload)).not.toContain('and 1 more violation');
        } finally {
          socket.close();
        }
      });

      it('WS: a guard that denies is 403 FORBIDDEN', async () => {
        const socket = await SocketClient.connect(wsAdapter, hybrid.url, {
          'x-request-id': 'id-1',
        });
        try {
          expect(await socket.exception('reports.purge')).toEqual(formatCase.ws403);
        } finally {
          socket.close();
        }
      });

      it("SSE: the error event's data is the format's body", async () => {
        const { response, events } = await readSse(hybrid.app, '/events/internal');
        const requestId = response.headers['x-request-id'] as string;
        expect(events[1]!.event).toBe('error');
        expect(events[1]!.data!.replaceAll(requestId, 'id-1')).toBe(
          JSON.stringify(formatCase.sse500),
        );
      });
    },
  );
});
