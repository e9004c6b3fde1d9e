import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Inject,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { FILTER_CATCH_EXCEPTIONS } from '@nestjs/common/constants.js';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { describeThrown, logApiError } from '../core/error.logger.js';
import { acceptsInstead } from '../core/content-negotiation.js';
import { normalizeError } from '../core/error.normalizer.js';
import { reportError } from '../core/error.reporters.js';
import { recordOnActiveSpan } from '../core/error.telemetry.js';
import { translateError } from '../core/error.translator.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { contentTypeOf } from '../formats/format.registry.js';
import { graphqlContentType, graphqlFormat } from '../formats/graphql.format.js';
import { problemFormat } from '../formats/problem.format.js';
import { fallbackOutput } from '../protocols/error-output.js';
import type { ErrorOutput, ErrorWriter } from '../protocols/error-writer.interface.js';
import { GraphQLErrorWriter } from '../protocols/graphql.writer.js';
import { HttpErrorWriter } from '../protocols/http.writer.js';
import { RpcErrorWriter } from '../protocols/rpc.writer.js';
import { SseErrorWriter } from '../protocols/sse.writer.js';
import { WsErrorWriter } from '../protocols/ws.writer.js';
import { ERRORS_SETTINGS, type ErrorsSettings, httpFormatFor } from './errors.settings.js';

/** `sse`: an `@Sse()` route's error after its headers (see sse-errors.interceptor.ts). */
type Transport = 'http' | 'graphql' | 'rpc' | 'ws' | 'sse';

/**
 * How `UseErrorFormat`'s route filters hand an error to the app's effective `ErrorsFilter` with
 * their format: a symbol, so it stays out of the public API.
 */
export const CATCH_WITH_FORMAT = Symbol('ErrorsFilter.catchWithFormat');

/** Marks the classes `UseErrorFormat` makes, which are not an app's own subclass. */
export const ROUTE_FILTER = Symbol('ErrorsFilter.routeFilter');

/** A subclass of `ErrorsFilter` the app wrote itself (not the module's, not a route's). */
function isAppSubclass(filter: object): boolean {
  const type = filter.constructor as { [ROUTE_FILTER]?: boolean };
  return type !== ErrorsFilter && type[ROUTE_FILTER] !== true;
}

/** Another global filter of the app, and the exception types its `@Catch()` names. */
interface GlobalFilter {
  filter: ExceptionFilter;
  types: readonly Function[];
}

/**
 * The global filter `ErrorsModule.forRoot()` installs as `APP_FILTER`. It catches everything and
 * runs one sequence for every transport: normalize → context → format → log → write. It never
 * throws, never writes twice, and never leaves a request hanging.
 *
 * Each step is a `protected` method: subclass the filter to change one, and register the
 * subclass as `APP_FILTER` in your own module; it then handles every error in place of this one,
 * `UseErrorFormat` routes included. Other global filters of the app whose `@Catch()` names
 * exception types get those exceptions first, whatever order Nest registered them in.
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
  /** The app's other global filters, looked up at the first error (the app is running by then). */
  private globals: { replacement: ErrorsFilter | undefined; typed: GlobalFilter[] } | undefined;

  constructor(
    @Inject(ERRORS_SETTINGS) protected readonly settings: ErrorsSettings,
    adapterHost: HttpAdapterHost,
    @Optional() private readonly config?: ApplicationConfig,
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
      rpc: new RpcErrorWriter(settings),
      ws: new WsErrorWriter(),
      sse: new SseErrorWriter(http),
    };
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    return this[CATCH_WITH_FORMAT](exception, host, undefined);
  }

  /** The sequence; `routeFormat` is a `UseErrorFormat`'s, which wins over `formatFor` but GraphQL's. */
  [CATCH_WITH_FORMAT](
    exception: unknown,
    host: ArgumentsHost,
    routeFormat: ErrorFormat | undefined,
  ): unknown {
    const writer = this.writers[host.getType<Transport>()] as ErrorWriter | undefined;
    if (writer === undefined) {
      // A transport this library does not know: hand the error back to it unchanged.
      return exception;
    }
    let context: ErrorContext | undefined;
    try {
      const { replacement, typed } = (this.globals ??= this.lookUpGlobalFilters());
      if (replacement !== undefined) {
        return replacement[CATCH_WITH_FORMAT](exception, host, routeFormat);
      }
      for (const { filter, types } of typed) {
        if (types.some((type) => exception instanceof type)) {
          return filter.catch(exception, host);
        }
      }
      const error = writer.clientGone?.(host, exception) ?? this.normalize(exception);
      context = this.context(host, writer);
      const output = this.format(
        error,
        context,
        host,
        routeFormat !== undefined && host.getType<Transport>() !== 'graphql'
          ? routeFormat
          : undefined,
      );
      this.log(error, context);
      const result = this.write(host, writer, output);
      this.report(error, context, exception);
      return result;
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
    switch (host.getType<Transport>()) {
      case 'graphql':
        return graphqlFormat;
      case 'http':
      case 'sse':
        return httpFormatFor(this.settings, context.path);
      default:
        return this.settings.format;
    }
  }

  /**
   * Step 3 and the one serialization: what the format renders, ready for any transport. A format
   * that throws, or a body that cannot be serialized, gives the minimal 500 instead.
   */
  protected format(
    error: ApiError,
    context: ErrorContext,
    host: ArgumentsHost,
    chosen?: ErrorFormat,
  ): ErrorOutput {
    const { negotiate, translations, wwwAuthenticate } = this.settings;
    let format = chosen ?? this.formatFor(host, context);
    let vary: string | undefined;
    let shown = error;
    let language: string | undefined;
    // Only when asked for: an app without negotiation or translations reads no request header.
    const writer =
      negotiate || translations !== undefined
        ? (this.writers[host.getType<Transport>()] as ErrorWriter | undefined)
        : undefined;
    if (writer?.requestHeader !== undefined) {
      if (negotiate && format !== graphqlFormat) {
        vary = 'Accept';
        const accept = writer.requestHeader(host, 'accept');
        if (acceptsInstead(accept, problemFormat.contentType, format.contentType)) {
          format = problemFormat;
        }
      }
      if (translations !== undefined) {
        vary = vary === undefined ? 'Accept-Language' : `${vary}, Accept-Language`;
        ({ error: shown, language } = translateError(
          error,
          translations,
          writer.requestHeader(host, 'accept-language'),
        ));
      }
    }
    try {
      const rendered = format.render(shown, context);
      return {
        error,
        context,
        format,
        status: rendered.status,
        contentType:
          (format === graphqlFormat && host.getType<Transport>() === 'http'
            ? graphqlContentType(this.writers.http.requestHeader?.(host, 'accept'))
            : undefined) ?? contentTypeOf(format),
        body: rendered.body,
        text: JSON.stringify(rendered.body),
        headers:
          language === undefined
            ? rendered.headers
            : { ...rendered.headers, 'Content-Language': language },
        vary,
        challenge: error.status === 401 ? wwwAuthenticate : undefined,
        translation: language === undefined ? undefined : { language, message: shown.message },
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

  /**
   * After the error left: the active OpenTelemetry span learns of it, and `reporters` are told
   * (5xx, and 4xx for those that ask). Never affects the response.
   */
  protected report(error: ApiError, context: ErrorContext, thrown: unknown): void {
    const { telemetry, reporters } = this.settings;
    if (telemetry !== undefined) {
      try {
        recordOnActiveSpan(telemetry, error, thrown);
      } catch (failure) {
        this.safeLog('warn', 'Recording an error on the active span failed', failure);
      }
    }
    if (reporters !== undefined) {
      reportError(reporters, error, context, thrown, (failure) =>
        this.safeLog(
          'error',
          `An error reporter failed (requestId=${context.requestId}); it is not logged again`,
          failure,
        ),
      );
    }
  }

  /**
   * The app's other global filters (`APP_FILTER`, `useGlobalFilters`): a subclass of this filter
   * replaces it; a filter whose `@Catch()` names types gets those first. Nest asks global filters
   * in the reverse of their registration order, which puts the one a module like this registers
   * before the app's own: without this, they would never be called.
   */
  private lookUpGlobalFilters(): { replacement: ErrorsFilter | undefined; typed: GlobalFilter[] } {
    let replacement: ErrorsFilter | undefined;
    const typed: GlobalFilter[] = [];
    for (const filter of this.config?.getGlobalFilters() ?? []) {
      if (filter === this) {
        continue;
      }
      if (filter instanceof ErrorsFilter) {
        // The app's own subclass replaces the module's filter and the route ones (and is not
        // replaced in turn).
        if (isAppSubclass(filter) && !isAppSubclass(this)) {
          replacement ??= filter;
        }
        continue;
      }
      const types: Function[] =
        Reflect.getMetadata(FILTER_CATCH_EXCEPTIONS, filter.constructor) ?? [];
      if (types.length > 0) {
        typed.push({ filter, types });
      }
    }
    return { replacement, typed };
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
