import { type Observable, throwError } from 'rxjs';
import type { ApiError } from '../core/api-error.interface.js';

/** True when a rendered body already shows the violations (`details` or `errors`, top level or in `error`). */
function showsDetails(body: Record<string, unknown>): boolean {
  const inner = body.error;
  return (
    'details' in body ||
    'errors' in body ||
    (typeof inner === 'object' && inner !== null && 'details' in (inner as Record<string, unknown>))
  );
}

/**
 * A microservice handler's error as its caller receives it: the format's body plus `statusCode`
 * (and the violations as `details`, for formats whose body only lists them in the message).
 */
export function rpcErrorPayload(error: ApiError, body: unknown): Record<string, unknown> {
  const payload: Record<string, unknown> =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? { ...(body as Record<string, unknown>) }
      : { error: body };
  payload.statusCode ??= error.status;
  if (error.details !== undefined && error.details.length > 0 && !showsDetails(payload)) {
    payload.details = error.details.map(({ path, message }) => ({ path, message }));
  }
  return payload;
}

/** What an RPC exception filter must return: an observable that errors with the payload. */
export function rpcError(payload: Record<string, unknown>): Observable<never> {
  return throwError(() => payload);
}

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
