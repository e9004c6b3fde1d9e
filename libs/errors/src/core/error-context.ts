import { randomUUID } from 'node:crypto';
import type { ErrorContext, ErrorProtocol } from './api-error.interface.js';

/** An incoming request id is used only when it matches this (DESIGN § Security rules). */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Where `RequestIdMiddleware` leaves the id on the (raw) request, so the error path answers with
 * the id the response already carries.
 */
export const REQUEST_ID_KEY: unique symbol = Symbol('nest-api-errors.requestId');

/** Request id handling after defaults are applied (see `RequestIdOptions`). */
export interface RequestIdSettings {
  /** False when `requestId: false`: nothing is read from or written to headers. */
  enabled: boolean;
  /** Lower-case header name. */
  header: string;
  generate: () => string;
  trustIncoming: boolean;
}

/** The parts of an Express or Fastify request the context step reads. */
export interface RequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, string | string[] | undefined>;
  /** Fastify's request wraps Node's. */
  raw?: RequestLike;
  [REQUEST_ID_KEY]?: unknown;
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
  try {
    const generated = settings.generate();
    if (typeof generated === 'string' && REQUEST_ID_PATTERN.test(generated)) {
      return generated;
    }
  } catch {
    // fall through to the built-in generator
  }
  return randomUUID();
}

/** The id already assigned to this request (Express request, or Fastify's `request.raw`). */
export function assignedRequestId(request: RequestLike | undefined): string | undefined {
  const id = request?.[REQUEST_ID_KEY] ?? request?.raw?.[REQUEST_ID_KEY];
  return typeof id === 'string' ? id : undefined;
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
 * request (Express or Fastify alike: both expose `method`, `url` and `headers`), writes nothing.
 */
export function createHttpErrorContext(
  request: RequestLike | undefined,
  settings: RequestIdSettings,
  docsBaseUrl: string | undefined,
  protocol: ErrorProtocol = 'http',
): ErrorContext {
  return {
    requestId: assignedRequestId(request) ?? resolveRequestId(request?.headers, settings),
    method: typeof request?.method === 'string' ? request.method : 'GET',
    // Express rewrites `url` inside mounted routers; `originalUrl` is what the client sent.
    path: pathWithoutQuery(request?.originalUrl ?? request?.url),
    timestamp: new Date().toISOString(),
    protocol,
    docsBaseUrl,
  };
}
