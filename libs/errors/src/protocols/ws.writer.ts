import type { ArgumentsHost } from '@nestjs/common';
import type { ErrorContext } from '../core/api-error.interface.js';
import { createMessageErrorContext } from '../core/error-context.factory.js';
import { type RequestIdSettings, resolveRequestId } from '../core/request-id.resolver.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';
import { bodyWithRequestId } from './error-output.js';
import { handshakeHeaders } from './ws.handshake.js';

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
export class WsErrorWriter implements ErrorWriter {
  context(host: ArgumentsHost, settings: ContextSettings): ErrorContext {
    const ws = host.switchToWs() as ReturnType<ArgumentsHost['switchToWs']> & {
      getPattern?(): unknown;
    };
    return createMessageErrorContext(
      'ws',
      ws.getPattern?.(),
      connectionRequestId(ws.getClient(), settings.requestId),
      settings.docsBaseUrl,
    );
  }

  write(host: ArgumentsHost, output: ErrorOutput): undefined {
    const payload = bodyWithRequestId(output);
    emitWsException(host.switchToWs().getClient(), payload);
    // socket.io hands a handler (client, data, ack): the ack is there when the client asked for
    // one (emitWithAck); on `ws` that slot holds the event name.
    const ack: unknown = host.getArgByIndex(2);
    if (typeof ack === 'function') {
      ack(payload);
    }
    return undefined;
  }

  writeFallback(host: ArgumentsHost, output: ErrorOutput): undefined {
    try {
      this.write(host, output);
    } catch {
      // The socket is gone; the filter has logged why.
    }
    return undefined;
  }
}
