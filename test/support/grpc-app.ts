import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { INestApplication } from '@nestjs/common';
import { Transport } from '@nestjs/microservices';
import type { ErrorsModuleOptions } from 'nest-api-errors';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { HERO_PROTO, grpcFixtureModule } from '../fixtures/grpc-fixture.js';
import { freePort } from './free-port.js';
import { type AdapterName, type CapturingLogger, createTestApp } from './test-app.js';

/** The rich error model, decoded here with protobufjs from its own .proto (not the library's). */
const rpcTypes = protobuf.loadSync(
  fileURLToPath(new URL('../fixtures/grpc/error_details.proto', import.meta.url)),
);
const StatusType = rpcTypes.lookupType('google.rpc.Status');

/** The `grpc-status-details-bin` trailer as `google.rpc.Status`, each detail named by its type. */
export function decodedStatus(error: grpc.ServiceError) {
  const [bytes] = error.metadata.get('grpc-status-details-bin');
  if (!(bytes instanceof Buffer)) {
    throw new Error('no grpc-status-details-bin trailer');
  }
  const status = StatusType.toObject(StatusType.decode(bytes), { longs: Number }) as {
    code: number;
    message: string;
    // protobufjs's own google/protobuf/any.proto keeps the proto's field names.
    details?: Array<{ type_url: string; value: Uint8Array }>;
  };
  return {
    code: status.code,
    message: status.message,
    details: (status.details ?? []).map(({ type_url, value }) => {
      const name = type_url.replace('type.googleapis.com/', '');
      const type = rpcTypes.lookupType(name);
      return { [name]: type.toObject(type.decode(value), { longs: Number }) };
    }),
  };
}

export interface HeroClient extends grpc.Client {
  FindOne(
    query: object,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, hero?: unknown) => void,
  ): grpc.ClientUnaryCall;
  ListAll(query: object, metadata?: grpc.Metadata): grpc.ClientReadableStream<{ name: string }>;
  Collect(
    callback: (error: grpc.ServiceError | null, heroes?: unknown) => void,
  ): grpc.ClientWritableStream<object>;
  Chat(): grpc.ClientDuplexStream<object, { name: string }>;
  Relay(): grpc.ClientDuplexStream<object, { name: string }>;
  Gather(
    callback: (error: grpc.ServiceError | null, heroes?: unknown) => void,
  ): grpc.ClientWritableStream<object>;
}

const heroPackage = grpc.loadPackageDefinition(protoLoader.loadSync(HERO_PROTO)) as unknown as {
  hero: { HeroService: new (url: string, credentials: grpc.ChannelCredentials) => HeroClient };
};

export function metadataOf(entries: Record<string, string> = {}): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(entries)) {
    metadata.set(key, value);
  }
  return metadata;
}

/** The error a unary FindOne ends with (the test fails if it succeeds). */
export function findOneError(
  client: HeroClient,
  name: string,
  metadata: Record<string, string> = {},
  options: grpc.CallOptions = {},
): Promise<grpc.ServiceError> {
  return new Promise((resolve, reject) => {
    client.FindOne({ name }, metadataOf(metadata), options, (error, hero) => {
      if (error === null) {
        reject(new Error(`FindOne ${name} answered ${JSON.stringify(hero)}`));
      } else {
        resolve(error);
      }
    });
  });
}

/** A server-streaming call's messages and the error it ends with. */
export function listAllError(client: HeroClient, name: string) {
  return new Promise<{ received: unknown[]; error: grpc.ServiceError }>((resolve, reject) => {
    const received: unknown[] = [];
    const call = client.ListAll({ name });
    call.on('data', (hero: unknown) => received.push(hero));
    call.on('error', (error: grpc.ServiceError) => resolve({ received, error }));
    call.on('end', () => reject(new Error('ListAll ended without an error')));
  });
}

/** A client-streaming call that sends `names`, and the error it ends with. */
export function collectError(
  client: HeroClient,
  names: string[],
  method: 'Collect' | 'Gather' = 'Collect',
) {
  return new Promise<grpc.ServiceError>((resolve, reject) => {
    const call = client[method]((error, heroes) =>
      error === null
        ? reject(new Error(`Collect answered ${JSON.stringify(heroes)}`))
        : resolve(error),
    );
    for (const name of names) {
      call.write({ name });
    }
    call.end();
  });
}

/** A bidirectional call: sends `names`, gathers the answers and the error it ends with. */
export function chatError(client: HeroClient, names: string[], method: 'Chat' | 'Relay' = 'Chat') {
  return new Promise<{ received: unknown[]; error: grpc.ServiceError }>((resolve, reject) => {
    const received: unknown[] = [];
    const call = client[method]();
    call.on('data', (hero: unknown) => received.push(hero));
    call.on('error', (error: grpc.ServiceError) => resolve({ received, error }));
    call.on('end', () => reject(new Error('Chat ended without an error')));
    for (const name of names) {
      call.write({ name });
    }
    call.end();
  });
}

export interface GrpcApp {
  app: INestApplication;
  logger: CapturingLogger;
  client: HeroClient;
  close(): Promise<void>;
}

/** The fixture's HTTP app with the gRPC service connected on a free port, and a client of it. */
export async function startGrpcApp(
  adapter: AdapterName,
  options: ErrorsModuleOptions = {},
): Promise<GrpcApp> {
  const url = `127.0.0.1:${await freePort()}`;
  const { app, logger } = await createTestApp(
    adapter,
    { imports: [grpcFixtureModule(url, options)] },
    {
      configure: (created) =>
        created.connectMicroservice(
          { transport: Transport.GRPC, options: { package: 'hero', protoPath: HERO_PROTO, url } },
          { inheritAppConfig: true },
        ),
    },
  );
  await app.startAllMicroservices();
  const client = new heroPackage.hero.HeroService(url, grpc.credentials.createInsecure());
  return {
    app,
    logger,
    client,
    async close() {
      client.close();
      await app.close();
    },
  };
}

/**
 * The `grpc-status-details-bin` trailer in the JSON form of `google.rpc.Status` (each detail
 * with its `@type`), as the README shows it.
 */
export function statusJson(error: grpc.ServiceError) {
  const { code, message, details } = decodedStatus(error);
  return {
    code,
    message,
    details: details.map((detail) => {
      const [[name, fields]] = Object.entries(detail) as [[string, object]];
      return { '@type': `type.googleapis.com/${name}`, ...fields };
    }),
  };
}
