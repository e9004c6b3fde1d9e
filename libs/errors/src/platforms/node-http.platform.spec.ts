import { HttpException } from '@nestjs/common';
import { createServer, request as httpRequest } from 'node:http';
import { type AddressInfo, Socket, connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpExchange, RawHttpExchange } from '../protocols/error-exchange.js';
import {
  answerRequestRefusals,
  createClientErrorListener,
  detectNodeHttpInternals,
  detectNodeParserInternals,
  installClientErrorListener,
  recordUnfinishedHeads,
  recordUpgradeHeaders,
  upgradeHeadersOf,
  writeRawHttpError,
} from './node-http.platform.js';

// Against the Node this repository runs on: the response in flight on a socket is still where the
// client-error listener reads it, and the parser's refusals reach the listener as described.

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.close();
  }
});

/** Sends raw bytes and resolves with everything the server wrote before closing. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('node-http.platform on the installed Node', () => {
  it("finds a socket's response in flight (socket._httpMessage)", () => {
    expect(detectNodeHttpInternals()).toBe(true);
  });

  it("answers the parser's refusal through the pipeline, with the request line it had read", async () => {
    const answered: Array<{ status: number; exchange: RawHttpExchange }> = [];
    const server = createServer((_req, res) => res.end('ok'));
    servers.push(server);
    expect(
      installClientErrorListener(
        server,
        createClientErrorListener((exception, exchange) => {
          answered.push({ status: (exception as HttpException).getStatus(), exchange });
          writeRawHttpError(
            exchange.socket,
            {
              status: 400,
              contentType: 'application/json; charset=utf-8',
              body: '{"x":1}',
              requestIdHeader: 'x-request-id',
              requestId: 'req-1',
              retryAfterSeconds: undefined,
              headers: undefined,
            },
            { assignedRequestId: exchange.requestId, bodyless: false },
          );
        }, 'x-request-id'),
      ),
    ).toBe(true);
    // A second listener is the application's own: it is left to answer alone.
    expect(installClientErrorListener(server, () => undefined)).toBe(false);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const text = await raw(port, 'GET /v2/x?token=1 HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(answered).toHaveLength(1);
    expect(answered[0]!.status).toBe(400);
    expect(answered[0]!.exchange.request).toEqual({ method: 'GET', url: '/v2/x?token=1' });
    expect(text).toMatch(
      /^HTTP\/1\.1 400 Bad Request\r\nContent-Type: application\/json; charset=utf-8\r\nCache-Control: no-store\r\nx-request-id: req-1\r\nDate: .+\r\nConnection: close\r\nContent-Length: 7\r\n\r\n\{"x":1\}$/,
    );
  });

  it('writes nothing when a response to the request already started on the socket', async () => {
    let answers = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    servers.push(server);
    installClientErrorListener(
      server,
      createClientErrorListener(() => answers++, undefined),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const text = await raw(
      port,
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    );
    // Node's own default checks the same: the connection is closed, no second status line.
    expect(answers).toBe(0);
    expect(text).not.toMatch(/HTTP\/1\.1 400/);
  });

  it("finds a socket's parser and its after-read callback (socket.parser)", () => {
    expect(detectNodeParserInternals()).toBe(true);
  });

  it.each([
    ['without the head recorder: Node gives no bytes and no request', false, {}],
    ['with it: the request line the client had sent', true, { method: 'GET', url: '/v2/slow?x=1' }],
  ])('a headers timeout, %s', async (_, record, request) => {
    const exchanges: RawHttpExchange[] = [];
    const server = createServer({ headersTimeout: 100, connectionsCheckingInterval: 20 });
    servers.push(server);
    installClientErrorListener(
      server,
      createClientErrorListener((_exception, exchange) => exchanges.push(exchange), undefined),
    );
    const stop = record ? recordUnfinishedHeads(server) : undefined;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await raw(port, 'GET /v2/slow?x=1 HTTP/1.1\r\nHost: x\r\n');
    expect(exchanges.map((exchange) => exchange.request)).toEqual([request]);
    stop?.();
  });

  it("answers Node's refusals (no Host, an unknown Expect) through the pipeline, before the server's request listener", async () => {
    const routed: string[] = [];
    const answered: Array<{ status: number; exchange: HttpExchange; connection: unknown }> = [];
    const server = createServer((req, res) => {
      routed.push(req.url!);
      res.end('ok');
    });
    servers.push(server);
    expect(
      answerRequestRefusals(server, (exception, exchange) => {
        const response = exchange.response as import('node:http').ServerResponse;
        answered.push({
          status: (exception as HttpException).getStatus(),
          exchange,
          connection: response.getHeader('connection'),
        });
        response.end();
      }),
    ).toEqual({ host: true, expect: true });
    // Node reads it on every request; @types/node declares it only as a creation option.
    expect((server as { requireHostHeader?: boolean }).requireHostHeader).toBe(false);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await raw(port, 'GET /a HTTP/1.1\r\n\r\n');
    await raw(port, 'GET /b HTTP/1.1\r\nHost: x\r\nExpect: nope\r\nConnection: close\r\n\r\n');
    await raw(port, 'GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(
      answered.map(({ status, exchange, connection }) => [
        status,
        exchange.transport,
        (exchange.request as { url?: string }).url,
        connection,
      ]),
    ).toEqual([
      [400, 'http', '/a', 'close'],
      [417, 'http', '/b', undefined],
    ]);
    expect(routed).toEqual(['/c']);
  });

  it("leaves a server that does not require Host, and an application's checkExpectation, alone", () => {
    const server = createServer({ requireHostHeader: false });
    server.on('checkExpectation', () => undefined);
    const listeners = server.listeners('request');
    expect(answerRequestRefusals(server, () => undefined)).toEqual({ host: false, expect: false });
    expect(server.listeners('request')).toEqual(listeners);
    expect(server.listenerCount('checkExpectation')).toBe(1);
  });

  it('keeps the headers of upgrade requests by their socket, only where upgrades are handled', async () => {
    const bare = createServer();
    expect(recordUpgradeHeaders(bare)).toBeUndefined();
    const server = createServer();
    servers.push(server);
    const sockets: Duplex[] = [];
    server.on('upgrade', (_req, socket) => {
      sockets.push(socket);
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n');
    });
    const stop = recordUpgradeHeaders(server);
    expect(stop).toBeTypeOf('function');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        port,
        host: '127.0.0.1',
        headers: { connection: 'Upgrade', upgrade: 'x', 'x-request-id': 'up-1' },
      });
      req.on('upgrade', (_res, socket) => {
        socket.destroy();
        resolve();
      });
      req.end();
    });
    expect(upgradeHeadersOf(sockets[0])?.['x-request-id']).toBe('up-1');
    expect(upgradeHeadersOf(new Socket())).toBeUndefined();
    stop!();
  });
});
