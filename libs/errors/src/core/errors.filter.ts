import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { toGraphQLError } from '../protocols/graphql.js';
import { emitWsException, rpcError, rpcErrorPayload } from '../protocols/rpc-ws.js';
import {
  type HttpErrorResponse,
  type HttpErrorWriter,
  createHttpErrorWriter,
} from '../protocols/http.writer.js';
import type { ApiError, ErrorContext } from './api-error.interface.js';
import {
  type RequestLike,
  type ResponseLike,
  createHttpErrorContext,
  createMessageErrorContext,
} from './error-context.js';
import { describeThrown, logApiError } from './error-logger.js';
import { ERRORS_MODULE_OPTIONS } from './errors.constants.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';
import { type ErrorsSettings, contentTypeOf, resolveErrorsSettings } from './errors-settings.js';
import { INTERNAL_SERVER_ERROR_MESSAGE } from './http-status.js';
import { normalizeError } from './normalize.js';

/** The body sent when the format itself fails: nothing of the error, just the status. */
const FALLBACK_BODY = JSON.stringify({ statusCode: 500, message: INTERNAL_SERVER_ERROR_MESSAGE });
const FALLBACK_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The global filter `ErrorsModule.forRoot()` installs as `APP_FILTER`. It catches everything and
 * only wires the pipeline: normalize → context → format → log → write. It never throws, never
 * writes twice, and never leaves a request hanging.
 *
 * Subclass it to change one step (`protected` members), and register your subclass as
 * `APP_FILTER` instead of importing the module's.
 */
@Catch()
@Injectable()
export class ErrorsFilter implements ExceptionFilter {
  protected readonly logger = new Logger('ErrorsFilter');
  protected readonly settings: ErrorsSettings;
  /** The id header errors carry, or undefined with `requestId: false`; fixed at start-up. */
  private readonly requestIdHeader: string | undefined;
  private httpWriter: HttpErrorWriter | undefined;

  constructor(
    @Inject(ERRORS_MODULE_OPTIONS) options: ErrorsModuleOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.settings = resolveErrorsSettings(options);
    this.requestIdHeader = this.settings.requestId.enabled
      ? this.settings.requestId.header
      : undefined;
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    try {
      if (host.getType() === 'http') {
        this.catchHttp(exception, host);
        return undefined;
      }
      return this.catchOutsideHttp(exception, host);
    } catch (failure) {
      this.lastResort(failure, host);
      return undefined;
    }
  }

  protected catchHttp(exception: unknown, host: ArgumentsHost): void {
    const request = host.getArgByIndex<RequestLike | undefined>(0);
    const response: unknown = host.getArgByIndex(1);
    const { settings } = this;
    const error = normalizeError(exception, settings.normalize);
    const context = createHttpErrorContext(
      request,
      response as ResponseLike,
      settings.requestId,
      settings.docsBaseUrl,
    );
    const prepared = this.prepare(this.formatFor(host), error, context);
    this.log(error, context);
    const outcome = this.writer()(response, prepared);
    if (outcome === 'ended') {
      this.safeLog(
        'warn',
        `${context.method} ${context.path} requestId=${context.requestId}: ` +
          `the response had already started when ${error.status} was thrown; it was ended without an error body`,
      );
    }
  }

  /**
   * The format for this request. One per application until per-route formats exist, so no
   * metadata is read per error.
   */
  protected formatFor(_host: ArgumentsHost): ErrorFormat {
    return this.settings.format;
  }

  /** Steps 3 and the serialization: a format that throws gets a minimal 500 instead. */
  protected prepare(
    format: ErrorFormat,
    error: ApiError,
    context: ErrorContext,
  ): HttpErrorResponse {
    // Step 3 and the one JSON.stringify; a format that throws (or a body that cannot be
    // serialized) leaves the minimal 500 in place.
    const response: HttpErrorResponse = {
      status: 500,
      contentType: FALLBACK_CONTENT_TYPE,
      body: FALLBACK_BODY,
      requestIdHeader: this.requestIdHeader,
      requestId: context.requestId,
      retryAfterSeconds: undefined,
      headers: undefined,
    };
    try {
      const rendered = format.render(error, context);
      response.body = JSON.stringify(rendered.body);
      response.status = rendered.status;
      response.contentType = contentTypeOf(format);
      response.retryAfterSeconds = error.retryAfterSeconds;
      response.headers = rendered.headers;
    } catch (failure) {
      this.formatFailed(format, failure);
    }
    return response;
  }

  private formatFailed(format: ErrorFormat, failure: unknown): void {
    this.safeLog(
      'error',
      `The "${String(format.name)}" error format failed; sent a minimal 500 instead`,
      failure,
    );
  }

  protected log(error: ApiError, context: ErrorContext): void {
    try {
      logApiError(this.logger, error, context, this.settings.logging);
    } catch {
      // A logger that throws must not cost the client its response.
    }
  }

  /**
   * GraphQL, microservices and WebSockets: the same normalization, logging and (for RPC and WS)
   * format, delivered the way each transport expects.
   * - GraphQL: an error carrying `extensions {code, statusCode, category, details?, requestId}`;
   *   returned, so graphql-js reports it for the failed field only and HTTP stays 200.
   * - RPC: an observable that errors with the format's body plus `statusCode`.
   * - WebSockets: an `exception` event with the format's body.
   */
  protected catchOutsideHttp(exception: unknown, host: ArgumentsHost): unknown {
    const { settings } = this;
    const type = host.getType<string>();
    const error = normalizeError(exception, settings.normalize);
    if (type === 'graphql') {
      const graphqlContext = host.getArgByIndex<{ req?: RequestLike } | undefined>(2);
      const context = createHttpErrorContext(
        graphqlContext?.req,
        undefined,
        settings.requestId,
        settings.docsBaseUrl,
        'graphql',
      );
      this.log(error, context);
      return toGraphQLError(error, context, settings.normalize.exposeInternalErrors);
    }
    if (type === 'rpc') {
      const rpc = host.switchToRpc().getContext<{ getPattern?(): unknown } | undefined>();
      const context = createMessageErrorContext(
        'rpc',
        rpc?.getPattern?.(),
        settings.requestId,
        settings.docsBaseUrl,
      );
      this.log(error, context);
      return rpcError(
        rpcErrorPayload(error, this.renderBody(this.formatFor(host), error, context)),
      );
    }
    if (type === 'ws') {
      const ws = host.switchToWs();
      const pattern = (ws as { getPattern?(): unknown }).getPattern?.();
      const context = createMessageErrorContext(
        'ws',
        pattern,
        settings.requestId,
        settings.docsBaseUrl,
      );
      this.log(error, context);
      emitWsException(ws.getClient(), this.renderBody(this.formatFor(host), error, context));
      return undefined;
    }
    // A transport this library does not know: hand the error back to it unchanged.
    return exception;
  }

  /** The format's body for a transport that sends objects, not text; the minimal 500 if it fails. */
  protected renderBody(format: ErrorFormat, error: ApiError, context: ErrorContext): unknown {
    try {
      return format.render(error, context).body;
    } catch (failure) {
      this.formatFailed(format, failure);
      return JSON.parse(FALLBACK_BODY) as unknown;
    }
  }

  private writer(): HttpErrorWriter {
    // HttpAdapterHost is filled in after the module graph (and so this filter) is built.
    this.httpWriter ??= createHttpErrorWriter(this.adapterHost.httpAdapter);
    return this.httpWriter;
  }

  /** When a step failed outside its own guard: end the response with the minimal 500, if still possible. */
  private lastResort(failure: unknown, host: ArgumentsHost): void {
    this.safeLog('error', 'ErrorsFilter failed while handling an error', failure);
    if (host.getType() !== 'http') {
      return;
    }
    try {
      const adapter = this.adapterHost.httpAdapter;
      const response: unknown = host.getArgByIndex(1);
      if (adapter.isHeadersSent(response)) {
        adapter.end(response);
      } else {
        adapter.setHeader(response, 'Content-Type', FALLBACK_CONTENT_TYPE);
        adapter.setHeader(response, 'Cache-Control', 'no-store');
        adapter.status(response, 500);
        adapter.end(response, FALLBACK_BODY);
      }
    } catch {
      // Nothing more can be done for this response; the log line above says why.
    }
  }

  private safeLog(level: 'warn' | 'error', message: string, failure?: unknown): void {
    try {
      if (failure === undefined) {
        this.logger[level](message);
      } else {
        this.logger.error(message, describeThrown(failure));
      }
    } catch {
      // see log()
    }
  }
}
