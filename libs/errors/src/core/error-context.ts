import { randomUUID } from 'node:crypto';
import type { ErrorContext, ErrorProtocol } from './api-error.interface.js';

/** An incoming request id is used only when it matches this (DESIGN § Security rules). */
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

/** The parts of an Express or Fastify request the context step reads. */
export interface RequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, string | string[] | undefined>;
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
  headers: Record<string, string | string[] | undefined> | undefined,
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
 * The id `RequestIdMiddleware` (or the Fastify hook) already put on this response, so an error
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
  // A Fastify request with no reply at hand (a GraphQL context): ErrorsModule made Fastify's
  // own request id the request id.
  const fastifyId = request?.raw !== undefined ? request.id : undefined;
  return typeof fastifyId === 'string' && REQUEST_ID_PATTERN.test(fastifyId)
    ? fastifyId
    : undefined;
}

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * `Date#toISOString()` for `now`, with milliseconds. Formatting a date costs far more than reading
 * the clock, so the part up to the seconds is formatted once per second and reused.
 */
export function isoTimestamp(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const millis = now - second * 1000;
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/**
 * Step 2 for a message that did not come over HTTP (a microservice request, a WebSocket event):
 * a new request id, and the message pattern in place of a path.
 */
export function createMessageErrorContext(
  protocol: ErrorProtocol,
  pattern: unknown,
  settings: RequestIdSettings,
  docsBaseUrl: string | undefined,
): ErrorContext {
  let path: string;
  try {
    path = typeof pattern === 'string' ? pattern : (JSON.stringify(pattern) ?? '');
  } catch {
    path = '';
  }
  return {
    requestId: resolveRequestId(undefined, settings),
    method: protocol.toUpperCase(),
    path,
    timestamp: isoTimestamp(),
    protocol,
    docsBaseUrl,
  };
}

/** `/api/v1/files?token=…` → `/api/v1/files`: query strings never reach a body. */
export function pathWithoutQuery(url: string | undefined): string {
  if (typeof url !== 'string' || url === '') {
    return '/';
  }
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * Step 2 of the pipeline for an HTTP request: request id, method, path and time. Reads the
 * request (Express or Fastify alike: both expose `method`, `url` and `headers`) and the id header
 * already on the response; writes nothing.
 */
export function createHttpErrorContext(
  request: RequestLike | undefined,
  response: ResponseLike | undefined,
  settings: RequestIdSettings,
  docsBaseUrl: string | undefined,
  protocol: ErrorProtocol = 'http',
): ErrorContext {
  return {
    requestId:
      (settings.enabled ? assignedRequestId(request, response, settings.header) : undefined) ??
      resolveRequestId(request?.headers, settings),
    method: typeof request?.method === 'string' ? request.method : 'GET',
    // Express rewrites `url` inside mounted routers; `originalUrl` is what the client sent.
    path: pathWithoutQuery(request?.originalUrl ?? request?.url),
    timestamp: isoTimestamp(),
    protocol,
    docsBaseUrl,
  };
}
