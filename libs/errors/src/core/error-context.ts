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
  generate: () => string;
  trustIncoming: boolean;
}

/** The parts of an Express or Fastify request the context step reads. */
export interface RequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * The incoming id when it is trusted and well-formed, otherwise a new one. A generator that
 * fails or returns something unsafe for a header falls back to a UUID: the id is echoed in a
 * response header, so it must never carry CR, LF or non-ASCII.
 */
export function resolveRequestId(incoming: unknown, settings: RequestIdSettings): string {
  if (settings.trustIncoming && typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)) {
    return incoming;
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
  const incoming = settings.enabled ? request?.headers?.[settings.header] : undefined;
  return {
    requestId: resolveRequestId(incoming, settings),
    method: typeof request?.method === 'string' ? request.method : 'GET',
    // Express rewrites `url` inside mounted routers; `originalUrl` is what the client sent.
    path: pathWithoutQuery(request?.originalUrl ?? request?.url),
    timestamp: new Date().toISOString(),
    protocol,
    docsBaseUrl,
  };
}
