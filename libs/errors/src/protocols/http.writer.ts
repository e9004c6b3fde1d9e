import type { HttpServer } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

/** Everything the HTTP writer sends, prepared by the filter (pipeline step 5). */
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
}

/** What the writer did: `sent` a body, or `ended` a response whose headers were already out. */
export type HttpWriteOutcome = 'sent' | 'ended';

/** Writes an error response on one platform's response object. */
export type HttpErrorWriter = (response: unknown, error: HttpErrorResponse) => HttpWriteOutcome;

interface FastifyReplyLike {
  sent: boolean;
  raw: ServerResponse;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  removeHeader(name: string): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
}

function standardHeaders(
  error: HttpErrorResponse,
  set: (name: string, value: string) => void,
): void {
  set('Content-Type', error.contentType);
  set('Cache-Control', 'no-store');
  if (error.requestIdHeader !== undefined) {
    set(error.requestIdHeader, error.requestId);
  }
  if (error.retryAfterSeconds !== undefined && Number.isFinite(error.retryAfterSeconds)) {
    set('Retry-After', String(Math.max(0, Math.ceil(error.retryAfterSeconds))));
  }
  if (error.headers !== undefined) {
    for (const name of Object.keys(error.headers)) {
      set(name, error.headers[name]!);
    }
  }
}

/** Headers that describe a body: the error replaces the body, so they go (others, like Retry-After, stay). */
const BODY_HEADERS = [
  'content-length',
  'content-encoding',
  'content-range',
  'content-disposition',
  'etag',
  'last-modified',
];

/** An already-started response can only be ended: a second status line would corrupt it. */
function endStarted(raw: ServerResponse): HttpWriteOutcome {
  if (!raw.writableEnded && !raw.destroyed) {
    raw.end();
  }
  return 'ended';
}

/**
 * Express: the response is Node's `ServerResponse`. Written directly rather than through
 * `res.send()`, which would compute an ETag and re-derive the content type on every error.
 * Headers already set (a guard's `Retry-After`) are kept.
 */
export const writeExpressError: HttpErrorWriter = (response, error) => {
  const res = response as ServerResponse;
  if (res.headersSent) {
    return endStarted(res);
  }
  res.statusCode = error.status;
  // Headers a handler set for the body it meant to send would now describe the error body wrongly.
  for (const name of BODY_HEADERS) {
    res.removeHeader(name);
  }
  standardHeaders(error, (name, value) => res.setHeader(name, value));
  res.end(error.body);
  return 'sent';
};

/**
 * Fastify: through the reply, so `onSend`/`onResponse` hooks and Fastify's logging still run. A
 * string body with a JSON content type is sent as it is, not serialized again.
 */
export const writeFastifyError: HttpErrorWriter = (response, error) => {
  const reply = response as FastifyReplyLike;
  if (reply.sent || reply.raw.headersSent) {
    return endStarted(reply.raw);
  }
  reply.code(error.status);
  for (const name of BODY_HEADERS) {
    reply.removeHeader(name);
  }
  standardHeaders(error, (name, value) => reply.header(name, value));
  reply.send(error.body);
  return 'sent';
};

/** Any other platform: only what Nest's `HttpServer` interface promises. */
export function createGenericHttpErrorWriter(adapter: HttpServer): HttpErrorWriter {
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

/** The writer for the platform `HttpAdapterHost` reports, chosen once. */
export function createHttpErrorWriter(
  adapter: HttpServer & { getType?(): string },
): HttpErrorWriter {
  switch (adapter.getType?.()) {
    case 'express':
      return writeExpressError;
    case 'fastify':
      return writeFastifyError;
    default:
      return createGenericHttpErrorWriter(adapter);
  }
}
