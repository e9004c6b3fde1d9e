import type { HttpServer } from '@nestjs/common';

/** Everything a platform writer sends (pipeline step 5 on HTTP). */
export interface HttpErrorResponse {
  status: number;
  /** Full header value: `application/json; charset=utf-8`. */
  contentType: string;
  /** The serialized body. */
  body: string;
  /** `X-Request-Id` (or the configured header) and its value; absent when ids are disabled. */
  requestIdHeader: string | undefined;
  requestId: string;
  /** Seconds for `Retry-After`; when absent, a value set earlier (by a guard) is left alone. */
  retryAfterSeconds: number | undefined;
  /** Headers the format asked for. */
  headers: Readonly<Record<string, string>> | undefined;
  /** Added to the response's `Vary` (`Accept`), after what is already there. */
  vary?: string | undefined;
  /** `WWW-Authenticate`, unless the response already carries one (a guard's own challenge). */
  challenge?: string | undefined;
}

/**
 * What a writer did: `sent` a body, `ended` a response whose headers were already out, or
 * nothing, the client being `gone` (its connection is closed: nothing can be written to it).
 */
export type HttpWriteOutcome = 'sent' | 'ended' | 'gone';

/** Writes an error response on one platform's response object. */
export type HttpPlatformWriter = (response: unknown, error: HttpErrorResponse) => HttpWriteOutcome;

/** `Origin` + `Accept` → `Origin, Accept`: a `Vary` header lists every request header that counts. */
function varyWith(existing: unknown, added: string): string {
  if (typeof existing !== 'string' || existing === '') {
    return added;
  }
  const present = new Set(existing.split(',').map((name) => name.trim().toLowerCase()));
  const missing = added.split(', ').filter((name) => !present.has(name.toLowerCase()));
  return missing.length === 0 ? existing : `${existing}, ${missing.join(', ')}`;
}

/**
 * The headers of every error response, in the order they are set, on any platform: the content
 * type, `Cache-Control: no-store`, the request id, `Retry-After`, the format's own, `Vary`, and a
 * 401's challenge. `get` reads what the response already carries (a guard's `Vary` or challenge).
 */
export function standardHeaders(
  error: HttpErrorResponse,
  set: (name: string, value: string) => void,
  get?: (name: string) => unknown,
): void {
  set('Content-Type', error.contentType);
  set('Cache-Control', 'no-store');
  if (error.requestIdHeader !== undefined) {
    set(error.requestIdHeader, error.requestId);
  }
  occasionalHeaders(error, set, get);
}

/** Whether an error response carries more than the content type, `Cache-Control` and the id. */
export function hasOccasionalHeaders(error: HttpErrorResponse): boolean {
  return (
    error.retryAfterSeconds !== undefined ||
    error.headers !== undefined ||
    error.vary !== undefined ||
    error.challenge !== undefined
  );
}

/** `Retry-After`, the format's own headers, `Vary` and a 401's challenge, when the error has them. */
export function occasionalHeaders(
  error: HttpErrorResponse,
  set: (name: string, value: string) => void,
  get?: (name: string) => unknown,
): void {
  if (error.retryAfterSeconds !== undefined && Number.isFinite(error.retryAfterSeconds)) {
    set('Retry-After', String(Math.max(0, Math.ceil(error.retryAfterSeconds))));
  }
  if (error.headers !== undefined) {
    for (const name of Object.keys(error.headers)) {
      set(name, error.headers[name]!);
    }
  }
  if (error.vary !== undefined) {
    set('Vary', varyWith(get?.('vary'), error.vary));
  }
  if (error.challenge !== undefined && get?.('www-authenticate') === undefined) {
    set('WWW-Authenticate', error.challenge);
  }
}

/** Headers that describe a body: the error replaces the body, so they go (others, like Retry-After, stay). */
export const BODY_HEADERS: readonly string[] = [
  'content-length',
  'content-encoding',
  'content-range',
  'content-disposition',
  'etag',
  'last-modified',
];

/**
 * Any platform other than Express and Fastify: only what Nest's `HttpServer` interface promises.
 * Also the fallback writer of every platform, the usual path being what may have failed.
 */
export function createGenericHttpErrorWriter(adapter: HttpServer): HttpPlatformWriter {
  return (response, error) => {
    if (adapter.isHeadersSent(response)) {
      adapter.end(response);
      return 'ended';
    }
    standardHeaders(error, (name, value) => adapter.setHeader(response, name, value));
    adapter.status(response, error.status);
    adapter.end(response, error.body);
    return 'sent';
  };
}

/** The response's headers are out: Express's response, or the Node response of a Fastify reply. */
export function responseStarted(response: unknown): boolean {
  const { raw } = (response ?? {}) as { raw?: unknown };
  return ((raw ?? response) as { headersSent?: unknown } | undefined)?.headersSent === true;
}
