import type { ArgumentsHost } from '@nestjs/common';
import type { ErrorContext } from '../core/api-error.interface.js';
import { createMessageErrorContext } from '../core/error-context.factory.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';

interface SocketIoClientLike {
  emit(event: string, payload: unknown): unknown;
}
interface NativeWebSocketLike {
  readyState: number;
  send(data: string): unknown;
}

/**
 * Sends the body as an `exception` event: `emit` on a Socket.IO socket, and on a native WebSocket
 * (`ws`, whose `emit` only fires local listeners) a `{event, data}` message, as Nest's own filter
 * does.
 */
export function emitWsException(client: unknown, body: unknown): void {
  const native = client as Partial<NativeWebSocketLike>;
  if (typeof native.readyState === 'number' && typeof native.send === 'function') {
    native.send(JSON.stringify({ event: 'exception', data: body }));
  } else if (typeof (client as Partial<SocketIoClientLike>)?.emit === 'function') {
    (client as SocketIoClientLike).emit('exception', body);
  }
}

/** WebSocket errors: the context names the event, and the client gets an `exception` event. */
export class WsErrorWriter implements ErrorWriter {
  readonly protocol = 'ws';

  context(host: ArgumentsHost, settings: ContextSettings): ErrorContext {
    const pattern = (host.switchToWs() as { getPattern?(): unknown }).getPattern?.();
    return createMessageErrorContext('ws', pattern, settings.requestId, settings.docsBaseUrl);
  }

  write(host: ArgumentsHost, output: ErrorOutput): undefined {
    emitWsException(host.switchToWs().getClient(), output.body);
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
