import type { INestApplication } from '@nestjs/common';
import {
  ClientProxyFactory,
  type ClientProxy,
  MqttRecordBuilder,
  type MqttOptions,
  type NatsOptions,
  NatsRecordBuilder,
  type RedisOptions,
  Transport,
} from '@nestjs/microservices';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, transportsFixtureModule } from './fixtures/transports-fixture.js';
import {
  type ExternalServer,
  MOSQUITTO,
  NATS_SERVER,
  REDIS_SERVER,
  type ServerProgram,
  serversMissing,
  startExternalServer,
} from './support/external-server.js';
import { rpcError } from './support/hybrid-app.js';
import { expectLoggedServerError } from './support/logged-errors.js';
import {
  ADAPTERS,
  type CapturingLogger,
  ISO_TIMESTAMP,
  UUID,
  createTestApp,
} from './support/test-app.js';

// Issue 26 item 4: the transports that need a broker, each against its real server (started here
// on a free port): the format's body with statusCode and requestId, no leak of a wrapped error,
// a denying guard's 403, the request id a message carries.

interface BrokerTransport {
  name: string;
  program: ServerProgram;
  /** The options of both the microservice and its client, for a server on `port`. */
  options(port: number): RedisOptions | NatsOptions | MqttOptions;
  /** `data` as a message whose headers carry this request id, the transport's own way. */
  withRequestId(data: unknown, requestId: string): unknown;
}

const TRANSPORTS: BrokerTransport[] = [
  {
    name: 'Redis',
    program: REDIS_SERVER,
    options: (port) => ({ transport: Transport.REDIS, options: { host: '127.0.0.1', port } }),
    // Redis carries the metadata a dispatch hook attaches (see `clientOf`).
    withRequestId: (data) => data,
  },
  {
    name: 'NATS',
    program: NATS_SERVER,
    options: (port) => ({
      transport: Transport.NATS,
      options: { servers: [`nats://127.0.0.1:${port}`] },
    }),
    withRequestId: (data, requestId) => {
      const headers = natsHeaders();
      headers.set('x-request-id', requestId);
      return new NatsRecordBuilder(data).setHeaders(headers).build();
    },
  },
  {
    name: 'MQTT',
    program: MOSQUITTO,
    // MQTT 5, whose user properties are a message's headers.
    options: (port) => ({
      transport: Transport.MQTT,
      options: { url: `mqtt://127.0.0.1:${port}`, protocolVersion: 5 },
    }),
    withRequestId: (data, requestId) =>
      new MqttRecordBuilder(data)
        .setProperties({ userProperties: { 'x-request-id': requestId } })
        .build(),
  },
];

/** A client of the transport; on Redis, every message carries `metadata`. */
function clientOf(transport: BrokerTransport, port: number, metadata?: Record<string, string>) {
  const client = ClientProxyFactory.create(transport.options(port));
  if (metadata !== undefined && transport.name === 'Redis') {
    client.setOnDispatchHook((packet) => {
      packet.metadata = metadata;
    });
  }
  return client;
}

describe.each(TRANSPORTS)('issue 26: the $name transport against its real server', (transport) => {
  describe
    .skipIf(serversMissing(`the ${transport.name} transport tests`, transport.program))
    .each(ADAPTERS)('with the HTTP app on %s', (adapter) => {
    let server: ExternalServer;
    let app: INestApplication;
    let logger: CapturingLogger;
    let client: ClientProxy;

    beforeAll(async () => {
      server = await startExternalServer(transport.program);
      ({ app, logger } = await createTestApp(
        adapter,
        { imports: [transportsFixtureModule()] },
        {
          configure: (created) =>
            created.connectMicroservice(transport.options(server.port), {
              inheritAppConfig: true,
            }),
        },
      ));
      await app.startAllMicroservices();
      client = clientOf(transport, server.port);
      await client.connect();
    });
    afterAll(async () => {
      await client?.close();
      await app?.close();
      await server?.stop();
    });

    it('a catalog error: the format body with statusCode and requestId', async () => {
      const error = (await rpcError(client, 'reports.get')) as { requestId: string };
      expect(error).toEqual({
        statusCode: 404,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.get',
        message: 'Flow, tooltip, survey, or other content not found',
        code: 'CONTENT_NOT_FOUND',
        requestId: expect.stringMatching(UUID),
      });
      // The id the client got is the one in the log.
      expect(logger.entries.map(({ message }) => message)).toContain(
        `RPC reports.get 404 CONTENT_NOT_FOUND requestId=${error.requestId}: Flow, tooltip, survey, or other content not found`,
      );
    });

    it('an RpcException wrapping an Error is a generic 500; the cause is logged at error', async () => {
      const error = (await rpcError(client, 'reports.export')) as { requestId: string };
      expect(error).toEqual({
        statusCode: 500,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.export',
        message: 'Internal server error',
        requestId: expect.stringMatching(UUID),
      });
      expect(JSON.stringify(error)).not.toContain('hunter2');
      expectLoggedServerError(
        logger,
        'RPC reports.export 500',
        error.requestId,
        `Error: connect ECONNREFUSED ${SECRET}`,
      );
    });

    it('a guard that denies is 403 Forbidden resource', async () => {
      expect(await rpcError(client, 'reports.purge')).toEqual({
        statusCode: 403,
        timestamp: expect.stringMatching(ISO_TIMESTAMP),
        path: 'reports.purge',
        message: 'Forbidden resource',
        requestId: expect.stringMatching(UUID),
      });
    });

    // A request for an unknown pattern never reaches the service on a broker: the service only
    // subscribes to its handlers' patterns. NATS answers the client itself (no responders); on
    // Redis and MQTT nobody answers and the client's own timeout decides (README § Protocols).
    it.runIf(transport.name === 'NATS')(
      "an unknown pattern: NATS's own no-responders answer, nothing reaches the service",
      async () => {
        logger.clear();
        const error = (await rpcError(client, 'reports.nope')) as Error;
        expect(error.message).toBe(
          'Empty response. There are no subscribers listening to that message ("reports.nope")',
        );
        expect(logger.text()).not.toContain('reports.nope');
      },
    );

    it("the message's x-request-id is the error's, in the payload and the log", async () => {
      const requestId = `${transport.name.toLowerCase()}-req-1`;
      const tagged = clientOf(transport, server.port, { 'x-request-id': requestId });
      try {
        expect(
          await rpcError(tagged, 'reports.get', transport.withRequestId({}, requestId)),
        ).toMatchObject({ statusCode: 404, code: 'CONTENT_NOT_FOUND', requestId });
        expect(logger.entries.map(({ message }) => message)).toContain(
          `RPC reports.get 404 CONTENT_NOT_FOUND requestId=${requestId}: Flow, tooltip, survey, or other content not found`,
        );
      } finally {
        await tagged.close();
      }
    });
  });
});
