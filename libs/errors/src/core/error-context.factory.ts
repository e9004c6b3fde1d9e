import type { ErrorContext, ErrorProtocol } from './api-error.interface.js';
import {
  type RequestIdSettings,
  type RequestLike,
  type ResponseLike,
  assignedRequestId,
  resolveRequestId,
} from './request-id.resolver.js';

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
 * the message pattern in place of a path, and the request id its transport resolved. Outside a
 * request, the event, job or origin in place of a path, and the kind as the method.
 */
export function createMessageErrorContext(
  protocol: ErrorProtocol,
  pattern: unknown,
  requestId: string,
  docsBaseUrl: string | undefined,
  method: string = protocol.toUpperCase(),
): ErrorContext {
  let path: string;
  try {
    path = typeof pattern === 'string' ? pattern : (JSON.stringify(pattern) ?? '');
  } catch {
    path = '';
  }
  return {
    requestId,
    method,
    path,
    timestamp: isoTimestamp(),
    protocol,
    docsBaseUrl,
  };
}

/** `http://user:pw@host:8080` of an absolute-form target: its scheme and authority. */
const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * The path of a request target, the only part of it a body echoes: `/api/v1/files?token=…` →
 * `/api/v1/files`. Servers must accept an absolute-form target (`GET http://host/v2/x?token=…
 * HTTP/1.1`, RFC 9112 § 3.2.2), and Express and Fastify route it by its path: so its path decides
 * the format too, and the client's scheme, host, credentials and query never reach a body.
 * Asterisk-form (`OPTIONS *`) stays `*`; anything else is `/`.
 */
export function pathWithoutQuery(url: string | undefined): string {
  if (typeof url !== 'string' || url === '') {
    return '/';
  }
  let path = url;
  if (path.charCodeAt(0) !== 0x2f /* / */) {
    if (path === '*') {
      return path;
    }
    const prefix = SCHEME_AND_AUTHORITY.exec(path);
    path = prefix === null ? '' : path.slice(prefix[0].length);
    if (path.charCodeAt(0) !== 0x2f) {
      return '/';
    }
  }
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
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
