import type { ArgumentsHost, HttpServer } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { ErrorContext } from '../core/api-error.interface.js';
import { createHttpErrorContext } from '../core/error-context.factory.js';
import type { RequestLike, ResponseLike } from '../core/request-id.resolver.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';

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
 * What the writer did: `sent` a body, `ended` a response whose headers were already out, or
 * nothing, the client being `gone` (its connection is closed: nothing can be written to it).
 */
export type HttpWriteOutcome = 'sent' | 'ended' | 'gone';

/** Writes an error response on one platform's response object. */
export type HttpPlatformWriter = (response: unknown, error: HttpErrorResponse) => HttpWriteOutcome;

interface FastifyReplyLike {
  sent: boolean;
  raw: ServerResponse;
  code(status: number): FastifyReplyLike;
  getHeader(name: string): unknown;
  header(name: string, value: string): FastifyReplyLike;
  removeHeader(name: string): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
}

/** `Origin` + `Accept` → `Origin, Accept`: a `Vary` header lists every request header that counts. */
function varyWith(existing: unknown, added: string): string {
  if (typeof existing !== 'string' || existing === '') {
    return added;
  }
  const present = new Set(existing.split(',').map((name) => name.trim().toLowerCase()));
  const missing = added.split(', ').filter((name) => !present.has(name.toLowerCase()));
  return missing.length === 0 ? existing : `${existing}, ${missing.join(', ')}`;
}

function standardHeaders(
  error: HttpErrorResponse,
  set: (name: string, value: string) => void,
  get?: (name: string) => unknown,
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
  if (error.vary !== undefined) {
    set('Vary', varyWith(get?.('vary'), error.vary));
  }
  if (error.challenge !== undefined && get?.('www-authenticate') === undefined) {
    set('WWW-Authenticate', error.challenge);
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
export const writeExpressError: HttpPlatformWriter = (response, error) => {
  const res = response as ServerResponse;
  if (res.destroyed) {
    return 'gone';
  }
  if (res.headersSent) {
    return endStarted(res);
  }
  res.statusCode = error.status;
  // Headers a handler set for the body it meant to send would now describe the error body wrongly.
  for (const name of BODY_HEADERS) {
    res.removeHeader(name);
  }
  standardHeaders(
    error,
    (name, value) => res.setHeader(name, value),
    (name) => res.getHeader(name),
  );
  // Explicit: a removed Content-Length turns Node's own off, and the body would go out chunked.
  res.setHeader('Content-Length', Buffer.byteLength(error.body));
  res.end(error.body);
  return 'sent';
};

/**
 * Fastify: through the reply, so `onSend`/`onResponse` hooks and Fastify's logging still run. A
 * string body with a JSON content type is sent as it is, not serialized again. An error thrown in
 * a Nest middleware comes with Node's response instead (middie runs before Fastify has a reply):
 * that one is written as on Express.
 */
export const writeFastifyError: HttpPlatformWriter = (response, error) => {
  if ((response as Partial<FastifyReplyLike>).raw === undefined) {
    // Nest middleware on Fastify (through middie) get Node's own response, not a reply.
    return writeExpressError(response, error);
  }
  const reply = response as FastifyReplyLike;
  if (reply.raw.destroyed) {
    return 'gone';
  }
  if (reply.sent || reply.raw.headersSent) {
    return endStarted(reply.raw);
  }
  reply.code(error.status);
  for (const name of BODY_HEADERS) {
    reply.removeHeader(name);
  }
  standardHeaders(
    error,
    (name, value) => reply.header(name, value),
    (name) => reply.getHeader(name),
  );
  reply.send(error.body);
  return 'sent';
};

/** Any other platform: only what Nest's `HttpServer` interface promises. */
function createGenericHttpErrorWriter(adapter: HttpServer): HttpPlatformWriter {
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
): HttpPlatformWriter {
  switch (adapter.getType?.()) {
    case 'express':
      return writeExpressError;
    case 'fastify':
      return writeFastifyError;
    default:
      return createGenericHttpErrorWriter(adapter);
  }
}

/** The part of `HttpAdapterHost` the writer reads: filled in once the app is created. */
export interface HttpAdapterHostLike {
  readonly httpAdapter: (HttpServer & { getType?(): string }) | undefined;
}

/**
 * Errors of HTTP requests: the context comes from the request (and the id already on the
 * response), and the error is written on the platform's own response object.
 */
export class HttpErrorWriter implements ErrorWriter {
  private platformWriter: HttpPlatformWriter | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHostLike,
    /** The id header errors carry, or undefined with `requestId: false`; fixed at start-up. */
    private readonly requestIdHeader: string | undefined,
    /** Told when a response had already started and could only be ended. */
    private readonly onStarted: (output: ErrorOutput) => void,
  ) {}

  requestHeader(host: ArgumentsHost, name: string): string | undefined {
    const value = host.getArgByIndex<RequestLike | undefined>(0)?.headers?.[name];
    return typeof value === 'string' ? value : undefined;
  }

  context(host: ArgumentsHost, settings: ContextSettings): ErrorContext {
    return createHttpErrorContext(
      host.getArgByIndex<RequestLike | undefined>(0),
      host.getArgByIndex<ResponseLike | undefined>(1),
      settings.requestId,
      settings.docsBaseUrl,
    );
  }

  write(host: ArgumentsHost, output: ErrorOutput): undefined {
    // HttpAdapterHost is filled in after the module graph (and so the filter) is built.
    this.platformWriter ??= createHttpErrorWriter(this.adapterHost.httpAdapter!);
    const outcome = this.platformWriter(host.getArgByIndex(1), {
      status: output.status,
      contentType: output.contentType,
      body: output.text,
      requestIdHeader: this.requestIdHeader,
      requestId: output.context.requestId,
      retryAfterSeconds: output.error.retryAfterSeconds,
      headers: output.headers,
      vary: output.vary,
      challenge: output.challenge,
    });
    if (outcome === 'ended') {
      this.onStarted(output);
    }
    return undefined;
  }

  /** Only what Nest's `HttpServer` interface promises: the platform writer may be what failed. */
  writeFallback(host: ArgumentsHost, output: ErrorOutput): undefined {
    try {
      // The content type and Cache-Control only: nothing of the error that may have failed.
      createGenericHttpErrorWriter(this.adapterHost.httpAdapter!)(host.getArgByIndex(1), {
        status: output.status,
        contentType: output.contentType,
        body: output.text,
        requestIdHeader: undefined,
        requestId: output.context.requestId,
        retryAfterSeconds: undefined,
        headers: undefined,
      });
    } catch {
      // Nothing more can be done for this response; the filter has logged why.
    }
    return undefined;
  }
}
