import type { ErrorContext } from '../core/api-error.interface.js';
import { createMessageErrorContext } from '../core/error-context.factory.js';
import {
  type RequestHeaders,
  type RequestIdSettings,
  resolveRequestId,
} from '../core/request-id.resolver.js';
import { upgradeHeadersOf } from '../platforms/node-http.platform.js';
import type { WsExchange } from './error-exchange.js';
import { bodyWithRequestId } from './error-output.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';

/**
 * The headers a WebSocket client connected with: socket.io's `handshake.headers`, or for a `ws`
 * client those of its upgrade request, found by its TCP socket (`ws` keeps it as `_socket`).
 */
function handshakeHeaders(client: unknown): RequestHeaders | undefined {
  if (typeof client !== 'object' || client === null) {
    return undefined;
  }
  const { handshake, _socket: socket } = client as {
    handshake?: { headers?: RequestHeaders };
    _socket?: unknown;
  };
  if (typeof handshake?.headers === 'object' && handshake.headers !== null) {
    return handshake.headers;
  }
  return upgradeHeadersOf(socket);
}

interface SocketIoClientLike {
  emit(event: string, payload: unknown): unknown;
}
interface NativeWebSocketLike {
  readyState: number;
  send(data: string): unknown;
}

/**
 * Sends the payload as an `exception` event: `emit` on a Socket.IO socket, and on a native
 * WebSocket (`ws`, whose `emit` only fires local listeners) a `{event, data}` message, as Nest's
 * own filter does.
 */
function emitWsException(client: unknown, payload: unknown): void {
  const native = client as Partial<NativeWebSocketLike>;
  if (typeof native.readyState === 'number' && typeof native.send === 'function') {
    native.send(JSON.stringify({ event: 'exception', data: payload }));
  } else if (typeof (client as Partial<SocketIoClientLike>)?.emit === 'function') {
    (client as SocketIoClientLike).emit('exception', payload);
  }
}

/** One request id per connection: the handshake's, or one made when the first error needs it. */
const connectionIds = new WeakMap<object, string>();

function connectionRequestId(client: unknown, settings: RequestIdSettings): string {
  if (typeof client !== 'object' || client === null) {
    return resolveRequestId(undefined, settings);
  }
  let id = connectionIds.get(client);
  if (id === undefined) {
    id = resolveRequestId(settings.enabled ? handshakeHeaders(client) : undefined, settings);
    connectionIds.set(client, id);
  }
  return id;
}

/**
 * WebSocket errors: the context names the event and takes the connection's request id, and the
 * client gets an `exception` event with the format's body (plus `requestId` when the format
 * carries no id); a socket.io acknowledgement the client asked for gets the same payload.
 */
export class WsErrorWriter implements ErrorWriter<WsExchange> {
  context(exchange: WsExchange, settings: ContextSettings): ErrorContext {
    return createMessageErrorContext(
      'ws',
      exchange.pattern,
      connectionRequestId(exchange.client, settings.requestId),
      settings.docsBaseUrl,
    );
  }

  write(exchange: WsExchange, output: ErrorOutput): undefined {
    const payload = bodyWithRequestId(output);
    emitWsException(exchange.client, payload);
    // socket.io hands a handler (client, data, ack): the ack is there when the client asked for
    // one (emitWithAck).
    if (typeof exchange.ack === 'function') {
      (exchange.ack as (payload: unknown) => unknown)(payload);
    }
    return undefined;
  }

  writeFallback(exchange: WsExchange, output: ErrorOutput): undefined {
    try {
      this.write(exchange, output);
    } catch {
      // The socket is gone; the pipeline has logged why.
    }
    return undefined;
  }
}
