import type { HttpServer } from '@nestjs/common';
import type { ErrorContext } from '../core/api-error.interface.js';
import { createHttpErrorContext } from '../core/error-context.factory.js';
import type { RequestLike } from '../core/request-id.resolver.js';
import { writeExpressError } from '../platforms/express.platform.js';
import { writeFastifyError } from '../platforms/fastify.platform.js';
import {
  type HttpErrorResponse,
  type HttpPlatformWriter,
  createGenericHttpErrorWriter,
} from '../platforms/http-response.js';
import { writeRawHttpError } from '../platforms/node-http.platform.js';
import type { HttpExchange, RawHttpExchange } from './error-exchange.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';

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

/** What every HTTP answer of `output` sends, whatever it is written on. */
function httpErrorResponse(
  output: ErrorOutput,
  requestIdHeader: string | undefined,
): HttpErrorResponse {
  return {
    status: output.status,
    contentType: output.contentType,
    body: output.text,
    requestIdHeader,
    requestId: output.context.requestId,
    retryAfterSeconds: output.error.retryAfterSeconds,
    headers: output.headers,
    vary: output.vary,
    challenge: output.challenge,
  };
}

/** The fallback's: the content type and Cache-Control only, nothing of the error that may have failed. */
function fallbackResponse(output: ErrorOutput): HttpErrorResponse {
  return {
    status: output.status,
    contentType: output.contentType,
    body: output.text,
    requestIdHeader: undefined,
    requestId: output.context.requestId,
    retryAfterSeconds: undefined,
    headers: undefined,
  };
}

/**
 * Step 2 for an exchange with an HTTP request: its id (the one already on the response), method,
 * path and time. Shared by routed errors and `@Sse()` streams.
 */
export function httpExchangeContext(
  exchange: { readonly request: RequestLike | undefined; readonly response: unknown },
  settings: ContextSettings,
): ErrorContext {
  return createHttpErrorContext(
    exchange.request,
    exchange.response as RequestLike['res'],
    settings.requestId,
    settings.docsBaseUrl,
  );
}

function headerOf(request: RequestLike | undefined, name: string): string | undefined {
  const value = request?.headers?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Errors of HTTP requests: the context comes from the request (and the id already on the
 * response), and the error is written on the platform's own response object.
 */
export class HttpErrorWriter implements ErrorWriter<HttpExchange> {
  private platformWriter: HttpPlatformWriter | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHostLike,
    /** The id header errors carry, or undefined with `requestId: false`; fixed at start-up. */
    private readonly requestIdHeader: string | undefined,
    /** Told when a response had already started and could only be ended. */
    private readonly onStarted: (output: ErrorOutput) => void,
  ) {}

  requestHeader(exchange: HttpExchange, name: string): string | undefined {
    return headerOf(exchange.request, name);
  }

  context(exchange: HttpExchange, settings: ContextSettings): ErrorContext {
    return httpExchangeContext(exchange, settings);
  }

  write(exchange: HttpExchange, output: ErrorOutput): undefined {
    // HttpAdapterHost is filled in after the module graph (and so the pipeline) is built.
    this.platformWriter ??= createHttpErrorWriter(this.adapterHost.httpAdapter!);
    const outcome = this.platformWriter(
      exchange.response,
      httpErrorResponse(output, this.requestIdHeader),
    );
    if (outcome === 'ended') {
      this.onStarted(output);
    }
    return undefined;
  }

  /** Only what Nest's `HttpServer` interface promises: the platform writer may be what failed. */
  writeFallback(exchange: HttpExchange, output: ErrorOutput): undefined {
    try {
      createGenericHttpErrorWriter(this.adapterHost.httpAdapter!)(
        exchange.response,
        fallbackResponse(output),
      );
    } catch {
      // Nothing more can be done for this response; the pipeline has logged why.
    }
    return undefined;
  }
}

/**
 * Requests Node's HTTP parser refused: the context comes from the request line the parser had
 * read (and the id a hook had already given it), and the whole response goes out as raw bytes
 * on the socket, which is then closed.
 */
export class RawHttpErrorWriter implements ErrorWriter<RawHttpExchange> {
  constructor(private readonly requestIdHeader: string | undefined) {}

  requestHeader(exchange: RawHttpExchange, name: string): string | undefined {
    return headerOf(exchange.request, name);
  }

  context(exchange: RawHttpExchange, settings: ContextSettings): ErrorContext {
    const { request, requestId } = exchange;
    // The id a hook gave the request is read back as from a response that carries it.
    const assigned = requestId === undefined ? undefined : { getHeader: () => requestId };
    return createHttpErrorContext(request, assigned, settings.requestId, settings.docsBaseUrl);
  }

  write(exchange: RawHttpExchange, output: ErrorOutput): undefined {
    writeRawHttpError(exchange.socket, httpErrorResponse(output, this.requestIdHeader), {
      assignedRequestId: exchange.requestId,
      bodyless: exchange.request.method === 'HEAD',
    });
    return undefined;
  }

  writeFallback(exchange: RawHttpExchange, output: ErrorOutput): undefined {
    try {
      writeRawHttpError(exchange.socket, fallbackResponse(output), {
        assignedRequestId: undefined,
        bodyless: exchange.request.method === 'HEAD',
      });
    } catch {
      // The socket is gone; the pipeline has logged why.
    }
    return undefined;
  }
}
