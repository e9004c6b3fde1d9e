import type { INestApplication, Type } from '@nestjs/common';
import { ClientProxyFactory, type ClientProxy, Transport } from '@nestjs/microservices';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { WsAdapter } from '@nestjs/platform-ws';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import WebSocket from 'ws';
import { freePort } from './free-port.js';
import { type AdapterName, CapturingLogger, listen } from './test-app.js';

export type WsAdapterName = 'socket.io' | 'ws';

/** Every platform with every WebSocket adapter, for `describe.each`. */
export const HYBRID_COMBINATIONS = [
  ['express', 'socket.io'],
  ['fastify', 'ws'],
  ['express', 'ws'],
  ['fastify', 'socket.io'],
] as const satisfies ReadonlyArray<readonly [AdapterName, WsAdapterName]>;

/** A started hybrid app: HTTP on `url`, a TCP microservice its `client` talks to, a gateway. */
export interface Hybrid {
  app: INestApplication;
  logger: CapturingLogger;
  url: string;
  client: ClientProxy;
  tcpPort: number;
  close(): Promise<void>;
}

/** HTTP, a TCP microservice and the module's gateways in one app, as README § Protocols sets up. */
export async function startHybrid(
  module: Type,
  platform: AdapterName,
  wsAdapter: WsAdapterName,
): Promise<Hybrid> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const logger = new CapturingLogger();
  const app = moduleRef.createNestApplication(
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger },
  );
  app.useWebSocketAdapter(wsAdapter === 'ws' ? new WsAdapter(app) : new IoAdapter(app));
  const tcpPort = await freePort();
  // inheritAppConfig: the microservice shares the app's global filter and pipe (README § Protocols).
  app.connectMicroservice(
    { transport: Transport.TCP, options: { host: '127.0.0.1', port: tcpPort } },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  const url = await listen(app);
  if (platform === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  const client = rpcClient(tcpPort);
  await client.connect();
  return {
    app,
    logger,
    url,
    client,
    tcpPort,
    async close() {
      await client.close();
      await app.close();
    },
  };
}

/** A TCP client of the hybrid's microservice; `metadata` travels with every message it sends. */
export function rpcClient(port: number, metadata?: Record<string, string>): ClientProxy {
  const client = ClientProxyFactory.create({
    transport: Transport.TCP,
    options: { host: '127.0.0.1', port },
  });
  if (metadata !== undefined) {
    client.setOnDispatchHook((packet) => {
      packet.metadata = metadata;
    });
  }
  return client;
}

/** What the caller's observable errors with (the test fails if it succeeds). */
export async function rpcError(client: ClientProxy, pattern: string, data: unknown = {}) {
  const outcome = await firstValueFrom(client.send(pattern, data)).then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) {
    throw new Error(`${pattern} answered ${JSON.stringify(outcome.value)}`);
  }
  return outcome.error;
}

/**
 * One WebSocket connection (socket.io or `ws`), opened with handshake `headers`. `exception`
 * sends an event and resolves with the payload of the `exception` event it causes.
 */
export class SocketClient {
  private readonly exceptions: unknown[] = [];
  private readonly waiting: Array<(payload: unknown) => void> = [];

  private constructor(
    private readonly socket: Socket | WebSocket,
    readonly kind: WsAdapterName,
  ) {}

  static connect(
    kind: WsAdapterName,
    url: string,
    headers: Record<string, string> = {},
  ): Promise<SocketClient> {
    return new Promise((resolve, reject) => {
      if (kind === 'ws') {
        const socket = new WebSocket(url.replace('http', 'ws'), { headers });
        const client = new SocketClient(socket, kind);
        socket.on('message', (message) => {
          const parsed = JSON.parse(String(message)) as { event: string; data: unknown };
          if (parsed.event === 'exception') {
            client.received(parsed.data);
          }
        });
        socket.once('open', () => resolve(client));
        socket.once('error', reject);
        return;
      }
      const socket = io(url, { transports: ['websocket'], forceNew: true, extraHeaders: headers });
      const client = new SocketClient(socket, kind);
      socket.on('exception', (payload: unknown) => client.received(payload));
      socket.once('connect', () => resolve(client));
      socket.once('connect_error', reject);
    });
  }

  private received(payload: unknown) {
    const next = this.waiting.shift();
    if (next === undefined) {
      this.exceptions.push(payload);
    } else {
      next(payload);
    }
  }

  /** The next `exception` event's payload. */
  nextException(): Promise<unknown> {
    return this.exceptions.length > 0
      ? Promise.resolve(this.exceptions.shift())
      : new Promise((resolve) => this.waiting.push(resolve));
  }

  send(event: string, data: unknown = {}): void {
    if (this.socket instanceof WebSocket) {
      this.socket.send(JSON.stringify({ event, data }));
    } else {
      this.socket.emit(event, data);
    }
  }

  /** Sends `event` and resolves with the `exception` event it causes. */
  exception(event: string, data: unknown = {}): Promise<unknown> {
    this.send(event, data);
    return this.nextException();
  }

  /** socket.io only: `emitWithAck`, failing after `timeoutMs` without an acknowledgement. */
  ack(event: string, data: unknown = {}, timeoutMs = 2000): Promise<unknown> {
    return (this.socket as Socket).timeout(timeoutMs).emitWithAck(event, data);
  }

  close(): void {
    this.socket.close();
  }
}

/** One Server-Sent Event as the wire carries it. */
export interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
}

/** GETs an `@Sse()` route to its end and parses the event stream (or returns the HTTP error). */
export async function readSse(app: INestApplication, path: string) {
  const response = await request(app.getHttpServer())
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
  const text = response.body as string;
  const events = text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event: SseEvent = {};
      for (const line of block.split('\n')) {
        const [, field, value] = /^(\w+): ?(.*)$/.exec(line) ?? [];
        if (field === 'event' || field === 'id') {
          event[field] = value;
        } else if (field === 'data') {
          event.data = event.data === undefined ? value : `${event.data}\n${value}`;
        }
      }
      return event;
    });
  return { response, text, events };
}
