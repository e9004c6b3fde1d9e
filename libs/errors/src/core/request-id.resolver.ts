import { randomUUID } from 'node:crypto';

/** Default header that carries the request id both ways. */
export const DEFAULT_REQUEST_ID_HEADER = 'x-request-id';

/** An incoming request id is used only when it matches this (README § Request ids and headers). */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id handling after defaults are applied (see `RequestIdOptions`). */
export interface RequestIdSettings {
  /** False when `requestId: false`: nothing is read from or written to headers. */
  enabled: boolean;
  /** Lower-case header name. */
  header: string;
  /** Makes an id; undefined for the built-in `crypto.randomUUID`, whose ids need no check. */
  generate: (() => string) | undefined;
  trustIncoming: boolean;
}

/** Headers as Node gives them: lower-case names. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/** The parts of an Express or Fastify request the context step reads. */
export interface RequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: RequestHeaders;
  /** Fastify: the request id (ErrorsModule makes Fastify generate it), and Node's request. */
  id?: unknown;
  raw?: unknown;
  /** Express: the response of this request (how a GraphQL context reaches it). */
  res?: ResponseLike;
}

/** The part of an Express response or a Fastify reply the context step reads. */
export interface ResponseLike {
  getHeader?(name: string): unknown;
}

/** A W3C `traceparent`: version, 32-hex trace id (not all zeros), 16-hex parent id, flags. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id of a valid W3C `traceparent` header, if there is one. */
export function traceIdOf(traceparent: unknown): string | undefined {
  if (typeof traceparent !== 'string') {
    return undefined;
  }
  const match = TRACEPARENT.exec(traceparent.trim());
  if (match === null || match[1] === 'ff' || /^0+$/.test(match[2]!)) {
    return undefined;
  }
  return match[2];
}

/**
 * The request id for these headers: the trusted, well-formed incoming id; else the trace id of a
 * valid W3C `traceparent`; else a new one. A generator that fails or returns something unsafe for
 * a header falls back to a UUID: the id is echoed in a response header, so it must never carry
 * CR, LF or non-ASCII.
 */
export function resolveRequestId(
  headers: RequestHeaders | undefined,
  settings: RequestIdSettings,
): string {
  if (settings.enabled && settings.trustIncoming && headers !== undefined) {
    const incoming = headers[settings.header];
    if (typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)) {
      return incoming;
    }
    const traceId = traceIdOf(headers.traceparent);
    if (traceId !== undefined) {
      return traceId;
    }
  }
  const { generate } = settings;
  if (generate !== undefined) {
    try {
      const generated = generate();
      if (typeof generated === 'string' && REQUEST_ID_PATTERN.test(generated)) {
        return generated;
      }
    } catch {
      // fall through to the built-in generator
    }
  }
  return randomUUID();
}

/**
 * The id the request-id hook already put on this response, so an error
 * answers with the id the response carries. Read back from the response rather than stored on
 * the request: adding a property to Node's request objects would change their shape for every
 * request.
 */
export function assignedRequestId(
  request: RequestLike | undefined,
  response: ResponseLike | undefined,
  header: string,
): string | undefined {
  const target = response ?? request?.res;
  const id = typeof target?.getHeader === 'function' ? target.getHeader(header) : undefined;
  if (typeof id === 'string') {
    return id;
  }
  // A Fastify request with no reply at hand (a GraphQL context), or Node's request inside a Nest
  // middleware (middie copies the id onto it): ErrorsModule made Fastify's own request id the
  // request id. On Express the id header is always on the response before anything else runs.
  const fastifyId = request?.id;
  return typeof fastifyId === 'string' && REQUEST_ID_PATTERN.test(fastifyId)
    ? fastifyId
    : undefined;
}
