import { type Observable, of, throwError } from 'rxjs';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { createMessageErrorContext } from '../core/error-context.factory.js';
import { INTERNAL_SERVER_ERROR_MESSAGE } from '../core/http-status.mapping.js';
import {
  type RequestHeaders,
  type RequestIdSettings,
  resolveRequestId,
} from '../core/request-id.resolver.js';
import type { RpcExchange } from './error-exchange.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';
import {
  type GrpcCallLike,
  type GrpcStatusError,
  type GrpcStatusSettings,
  clientGoneError,
  grpcCallOf,
  grpcStatusError,
} from './grpc.status.js';

/**
 * A microservice handler's error as its caller receives it: the format's body plus `statusCode`
 * and `requestId` (and the violations as `details`, for formats whose body does not list them).
 */
function rpcErrorPayload(
  error: ApiError,
  body: unknown,
  requestId: string,
  showsViolations: boolean,
): Record<string, unknown> {
  const payload: Record<string, unknown> =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? { ...(body as Record<string, unknown>) }
      : { error: body };
  payload.statusCode ??= error.status;
  payload.requestId ??= requestId;
  if (!showsViolations && error.details !== undefined && error.details.length > 0) {
    payload.details ??= error.details.map(({ path, message }) => ({ path, message }));
  }
  return payload;
}

/**
 * The RPC context of one transport or another: each names a message's pattern and keeps its
 * headers its own way.
 */
interface RpcContextLike {
  /** TCP, RabbitMQ. */
  getPattern?(): unknown;
  /** Redis. */
  getChannel?(): unknown;
  /** NATS. */
  getSubject?(): unknown;
  /** MQTT, Kafka. */
  getTopic?(): unknown;
  /** TCP, Redis: `PacketMetadata`, what `ClientProxy#setOnDispatchHook` attached. */
  getMetadata?(): unknown;
  /** NATS: `MsgHdrs`, read with `get(name)`. */
  getHeaders?(): unknown;
  /** RabbitMQ (`properties.headers`), Kafka (`headers`). */
  getMessage?(): unknown;
  /** MQTT: the packet, whose MQTT 5 user properties are its headers. */
  getPacket?(): unknown;
  /** gRPC: the call's `Metadata`, whose `get(name)` gives a list. */
  get?(name: string): unknown;
}

/** A header value as transports store it: a string, a Buffer (Kafka), a list (gRPC). */
function headerText(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') {
    return first;
  }
  return Buffer.isBuffer(first) ? first.toString('utf8') : undefined;
}

function fromRecord(record: unknown, name: string): unknown {
  if (typeof record !== 'object' || record === null) {
    return undefined;
  }
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === name) {
      return (record as Record<string, unknown>)[key];
    }
  }
  return undefined;
}

/** What a message was sent to: its pattern, channel, subject or topic, as its transport says. */
function patternOf(rpc: RpcContextLike | undefined): unknown {
  if (typeof rpc !== 'object' || rpc === null) {
    return undefined;
  }
  for (const read of [rpc.getPattern, rpc.getChannel, rpc.getSubject, rpc.getTopic]) {
    if (typeof read === 'function') {
      return read.call(rpc);
    }
  }
  return undefined;
}

/**
 * The named headers of a message, from whichever place its transport keeps them; names are
 * matched without regard to case. Only what `resolveRequestId` reads is looked up.
 */
export function rpcMessageHeaders(
  context: unknown,
  names: readonly string[],
): RequestHeaders | undefined {
  if (typeof context !== 'object' || context === null) {
    return undefined;
  }
  const rpc = context as RpcContextLike;
  let read: (name: string) => unknown;
  if (typeof rpc.getMetadata === 'function') {
    const metadata = rpc.getMetadata();
    read = (name) => fromRecord(metadata, name);
  } else if (typeof rpc.getHeaders === 'function') {
    const headers = rpc.getHeaders() as { get?(name: string): unknown } | undefined;
    read = (name) =>
      typeof headers?.get === 'function' ? headers.get(name) : fromRecord(headers, name);
  } else if (typeof rpc.getMessage === 'function') {
    const message = rpc.getMessage() as
      { headers?: unknown; properties?: { headers?: unknown } } | undefined;
    read = (name) => fromRecord(message?.properties?.headers ?? message?.headers, name);
  } else if (typeof rpc.getPacket === 'function') {
    const packet = rpc.getPacket() as { properties?: { userProperties?: unknown } } | undefined;
    read = (name) => fromRecord(packet?.properties?.userProperties, name);
  } else if (typeof rpc.get === 'function') {
    read = (name) => rpc.get!(name);
  } else {
    return undefined;
  }
  const headers: RequestHeaders = {};
  for (const name of names) {
    headers[name] = headerText(read(name));
  }
  return headers;
}

/**
 * A `@GrpcStreamCall` handler is given the call itself, and Nest only waits for the stream it
 * returns: an error observable would reject there, unhandled, and leave the call open. Its
 * status is delivered on the call instead — through the callback of a client-streaming call, as
 * an `error` of a response stream (grpc-js sends it as the status) — and an empty result
 * completes Nest's wait.
 */
function endStreamCall(call: GrpcCallLike, callback: unknown, status: GrpcStatusError) {
  if (typeof callback === 'function') {
    callback(status);
  } else {
    (call as GrpcCallLike & { emit?(event: 'error', error: unknown): unknown }).emit?.(
      'error',
      status,
    );
  }
  return of(undefined);
}

/** What the RPC writer needs from the module's settings. */
export interface RpcWriterSettings {
  requestId: RequestIdSettings;
  grpc: { domain: string | undefined };
}

/**
 * Microservice (RPC) errors: the context names the message pattern (a gRPC call's method path)
 * and takes the request id from the message's headers, and the error is an observable that
 * errors with the payload, which Nest's transports send back to the caller. On the gRPC transport
 * the payload is the call's status instead (`grpc.status.ts`).
 */
export class RpcErrorWriter implements ErrorWriter<RpcExchange> {
  private readonly grpc: GrpcStatusSettings;

  constructor(settings: RpcWriterSettings) {
    const { requestId, grpc } = settings;
    this.grpc = {
      domain: grpc.domain,
      requestIdHeader: requestId.enabled ? requestId.header : undefined,
    };
  }

  context(exchange: RpcExchange, settings: ContextSettings): ErrorContext {
    const rpc = exchange.context as RpcContextLike | undefined;
    const call = grpcCallOf(exchange.args);
    const { requestId } = settings;
    let headers: RequestHeaders | undefined;
    try {
      headers = requestId.enabled
        ? rpcMessageHeaders(call?.metadata ?? rpc, [requestId.header, 'traceparent'])
        : undefined;
    } catch {
      // A transport context that fails to give its headers gives no id: a new one is made.
    }
    return createMessageErrorContext(
      'rpc',
      call !== undefined ? call.getPath() : patternOf(rpc),
      resolveRequestId(headers, requestId),
      settings.docsBaseUrl,
    );
  }

  clientGone(exchange: RpcExchange, thrown: unknown): ApiError | undefined {
    const call = grpcCallOf(exchange.args);
    return call === undefined ? undefined : clientGoneError(call, thrown);
  }

  /** gRPC metadata only (`accept-language`, for translated messages): others carry no such header. */
  requestHeader(exchange: RpcExchange, name: string): string | undefined {
    const call = grpcCallOf(exchange.args);
    return call === undefined ? undefined : headerText(call.metadata.get(name));
  }

  write(exchange: RpcExchange, output: ErrorOutput): Observable<unknown> {
    const call = grpcCallOf(exchange.args);
    if (call !== undefined) {
      const status = grpcStatusError(output, call, this.grpc);
      return exchange.args[0] === call
        ? endStreamCall(call, exchange.args[1], status)
        : throwError(() => status);
    }
    const payload = rpcErrorPayload(
      output.error,
      output.body,
      output.context.requestId,
      output.format?.showsViolations ?? false,
    );
    return throwError(() => payload);
  }

  /**
   * Nothing of the usual path, which may be what failed (the call's metadata, the rich details):
   * a gRPC call ends INTERNAL with the redacted message; other transports get the fallback body.
   */
  writeFallback(exchange: RpcExchange, output: ErrorOutput): Observable<unknown> {
    const call = grpcCallOf(exchange.args);
    if (call === undefined) {
      return throwError(() => output.body);
    }
    const status: GrpcStatusError = {
      code: 13,
      details: INTERNAL_SERVER_ERROR_MESSAGE,
      message: INTERNAL_SERVER_ERROR_MESSAGE,
      metadata: undefined,
    };
    return exchange.args[0] === call
      ? endStreamCall(call, exchange.args[1], status)
      : throwError(() => status);
  }
}
