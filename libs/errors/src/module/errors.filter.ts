import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { describeThrown, logApiError } from '../core/error.logger.js';
import { normalizeError } from '../core/error.normalizer.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { contentTypeOf } from '../formats/format.registry.js';
import { graphqlFormat } from '../formats/graphql.format.js';
import { fallbackOutput } from '../protocols/error-output.js';
import type { ErrorOutput, ErrorWriter } from '../protocols/error-writer.interface.js';
import { GraphQLErrorWriter } from '../protocols/graphql.writer.js';
import { HttpErrorWriter } from '../protocols/http.writer.js';
import { RpcErrorWriter } from '../protocols/rpc.writer.js';
import { SseErrorWriter } from '../protocols/sse.writer.js';
import { WsErrorWriter } from '../protocols/ws.writer.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/** `sse`: an `@Sse()` route's error after its headers (see sse-errors.interceptor.ts). */
type Transport = 'http' | 'graphql' | 'rpc' | 'ws' | 'sse';

/**
 * The global filter `ErrorsModule.forRoot()` installs as `APP_FILTER`. It catches everything and
 * runs one sequence for every transport: normalize → context → format → log → write. It never
 * throws, never writes twice, and never leaves a request hanging.
 *
 * Each step is a `protected` method: subclass the filter to change one, and register the
 * subclass as `APP_FILTER` in your own module (Nest runs the filter registered last first).
 *
 * @example
 * @Catch()
 * export class AuditedErrorsFilter extends ErrorsFilter {
 *   protected override log(error: ApiError, context: ErrorContext): void {
 *     super.log(error, context);
 *     audit.record(context.requestId, error.code);
 *   }
 * }
 */
@Catch()
@Injectable()
export class ErrorsFilter implements ExceptionFilter {
  protected readonly logger = new Logger('ErrorsFilter');
  /** One writer per transport, each the only reader of its `ArgumentsHost`. */
  private readonly writers: Readonly<Record<Transport, ErrorWriter>>;

  constructor(
    @Inject(ERRORS_SETTINGS) protected readonly settings: ErrorsSettings,
    adapterHost: HttpAdapterHost,
  ) {
    const { requestId, normalize } = settings;
    const http = new HttpErrorWriter(
      adapterHost,
      requestId.enabled ? requestId.header : undefined,
      (output) => this.responseStarted(output),
    );
    this.writers = {
      http,
      graphql: new GraphQLErrorWriter(normalize.exposeInternalErrors),
      rpc: new RpcErrorWriter(),
      ws: new WsErrorWriter(),
      sse: new SseErrorWriter(http),
    };
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    const writer = this.writers[host.getType<Transport>()] as ErrorWriter | undefined;
    if (writer === undefined) {
      // A transport this library does not know: hand the error back to it unchanged.
      return exception;
    }
    let context: ErrorContext | undefined;
    try {
      const error = this.normalize(exception);
      context = this.context(host, writer);
      const output = this.format(error, context, host);
      this.log(error, context);
      return this.write(host, writer, output);
    } catch (failure) {
      this.safeLog('error', 'ErrorsFilter failed while handling an error', failure);
      try {
        return writer.writeFallback(host, fallbackOutput(context));
      } catch {
        return undefined;
      }
    }
  }

  /** Step 1: any thrown value becomes an `ApiError` (5xx messages redacted here). */
  protected normalize(exception: unknown): ApiError {
    return normalizeError(exception, this.settings.normalize);
  }

  /** Step 2: request id, method, path and time, read by the transport's writer. */
  protected context(host: ArgumentsHost, writer: ErrorWriter): ErrorContext {
    return writer.context(host, this.settings);
  }

  /**
   * The format of this error: GraphQL's for resolver errors; for an HTTP request, the format of
   * the longest `routes` prefix of its path; else the module's. `UseErrorFormat` installs a
   * subclass that answers with its own (so it wins over `routes`).
   */
  protected formatFor(host: ArgumentsHost, context: ErrorContext): ErrorFormat {
    const { routeFormat, format } = this.settings;
    switch (host.getType<Transport>()) {
      case 'graphql':
        return graphqlFormat;
      case 'http':
      case 'sse':
        return routeFormat?.(context.path) ?? format;
      default:
        return format;
    }
  }

  /**
   * Step 3 and the one serialization: what the format renders, ready for any transport. A format
   * that throws, or a body that cannot be serialized, gives the minimal 500 instead.
   */
  protected format(error: ApiError, context: ErrorContext, host: ArgumentsHost): ErrorOutput {
    const format = this.formatFor(host, context);
    try {
      const rendered = format.render(error, context);
      return {
        error,
        context,
        format,
        status: rendered.status,
        contentType: contentTypeOf(format),
        body: rendered.body,
        text: JSON.stringify(rendered.body),
        headers: rendered.headers,
      };
    } catch (failure) {
      this.safeLog(
        'error',
        `The "${String(format.name)}" error format failed; sent a minimal 500 instead`,
        failure,
      );
      return fallbackOutput(context);
    }
  }

  /** Step 4: 5xx with the stack and request id, 4xx one line (levels from `logging`). */
  protected log(error: ApiError, context: ErrorContext): void {
    try {
      logApiError(this.logger, error, context, this.settings.logging);
    } catch {
      // A logger that throws must not cost the client its response.
    }
  }

  /** Step 5: the transport's writer delivers the output; its result is what `catch` returns. */
  protected write(host: ArgumentsHost, writer: ErrorWriter, output: ErrorOutput): unknown {
    return writer.write(host, output);
  }

  private responseStarted({ error, context }: ErrorOutput): void {
    this.safeLog(
      'warn',
      `${context.method} ${context.path} requestId=${context.requestId}: ` +
        `the response had already started when ${error.status} was thrown; it was ended without an error body`,
    );
  }

  private safeLog(level: 'warn' | 'error', message: string, failure?: unknown): void {
    try {
      if (failure === undefined) {
        this.logger[level](message);
      } else if (level === 'error') {
        // Nest's Logger takes the stack as error()'s second argument.
        this.logger.error(message, describeThrown(failure));
      } else {
        this.logger[level](`${message}\n${describeThrown(failure)}`);
      }
    } catch {
      // see log()
    }
  }
}
