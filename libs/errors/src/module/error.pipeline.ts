import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { acceptsInstead } from '../core/content-negotiation.js';
import { describeThrown, logApiError } from '../core/error.logger.js';
import {
  type ErrorCounter,
  createErrorCounter,
  errorMetricAttributes,
} from '../core/error.metrics.js';
import { normalizeError } from '../core/error.normalizer.js';
import { reportError } from '../core/error.reporters.js';
import { recordOnActiveSpan } from '../core/error.telemetry.js';
import { translateError } from '../core/error.translator.js';
import { undeclaredErrorWarning } from '../docs/declared-errors.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { contentTypeOf } from '../formats/format.registry.js';
import { graphqlContentType, graphqlFormat } from '../formats/graphql.format.js';
import { problemFormat } from '../formats/problem.format.js';
import type { ErrorExchange } from '../protocols/error-exchange.js';
import { fallbackOutput } from '../protocols/error-output.js';
import type {
  ErrorOutput,
  ErrorWriter,
  ErrorWriters,
} from '../protocols/error-writer.interface.js';
import { ErrorFormatResolver } from './error-format.resolver.js';
import { ERROR_WRITERS } from './error.writers.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/**
 * The steps of the pipeline an app may change by extending `ErrorsFilter` (its protected methods
 * of the same names).
 */
export interface ErrorSteps {
  /** Step 1: any thrown value becomes an `ApiError` (5xx messages redacted here). */
  normalize(exception: unknown): ApiError;
  /** Step 4: 5xx with the stack and request id, 4xx one line (levels from `logging`). */
  log(error: ApiError, context: ErrorContext): void;
  /** After the error left: telemetry and `reporters`. Never affects the response. */
  report(error: ApiError, context: ErrorContext, thrown: unknown): void;
}

/**
 * The one error pipeline of an application: normalize → context → format → log → write → report
 * (then the `api.errors` count and the declared-errors check, when on).
 * Every entry point calls it — the global filter and `@UseFilters(ErrorsFilter)` on gateways, and
 * the errors Nest never routes (requests the HTTP parser refuses, unknown microservice patterns,
 * SSE streams that fail after their headers, the GraphQL layer). It never throws, never writes
 * twice and never leaves a request hanging: a step that fails gives the minimal 500.
 *
 * Its collaborators are injected (settings, the format resolver, one writer per kind of exchange);
 * the steps an app changes come from its own `ErrorsFilter` subclass (`adopt`).
 */
@Injectable()
export class ErrorPipeline implements ErrorSteps, OnApplicationBootstrap {
  private readonly logger = new Logger('ErrorsFilter');
  /** The steps of the app's own `ErrorsFilter` subclass, for the errors Nest does not route. */
  private appSteps: ErrorSteps | undefined;
  /** `api.errors`, once the app has started with a MeterProvider registered; else undefined. */
  private errorCounter: ErrorCounter | undefined;

  constructor(
    @Inject(ERRORS_SETTINGS) readonly settings: ErrorsSettings,
    readonly formats: ErrorFormatResolver,
    @Inject(ERROR_WRITERS) private readonly writers: ErrorWriters,
  ) {}

  /**
   * An app's `ErrorsFilter` subclass, once Nest builds it: Nest asks it for the errors it routes,
   * and its steps also answer those Nest never routes.
   */
  adopt(steps: ErrorSteps): void {
    this.appSteps = steps;
  }

  /**
   * The `api.errors` counter is obtained when the application starts: a MeterProvider is usually
   * registered after the library is imported, and the metrics API has no proxy provider to defer
   * to it. Without one (or with `metrics: false`) counting costs a check per error.
   */
  onApplicationBootstrap(): void {
    const { metrics } = this.settings;
    try {
      this.errorCounter = metrics === undefined ? undefined : createErrorCounter(metrics);
    } catch (failure) {
      this.safeLog(
        'warn',
        'The api.errors counter could not be created; errors are not counted',
        failure,
      );
    }
  }

  /** The steps for an error Nest did not route: the app's own filter's, else the defaults. */
  get steps(): ErrorSteps {
    return this.appSteps ?? this;
  }

  /** Runs the pipeline for one error; returns what the exchange's writer gives back. */
  handle(exception: unknown, exchange: ErrorExchange, steps: ErrorSteps = this.steps): unknown {
    const writer = this.writers[exchange.transport] as ErrorWriter;
    let error: ApiError;
    let context: ErrorContext | undefined;
    let result: unknown;
    try {
      error = writer.clientGone?.(exchange, exception) ?? steps.normalize(exception);
      context = this.context(exchange, writer);
      const output = this.render(error, context, exchange, writer);
      try {
        steps.log(error, context);
      } catch (failure) {
        this.stepFailed('log', failure);
      }
      result = writer.write(exchange, output);
    } catch (failure) {
      this.safeLog('error', 'ErrorsFilter failed while handling an error', failure);
      try {
        return writer.writeFallback(exchange, fallbackOutput(context));
      } catch {
        return undefined;
      }
    }
    // The answer is out: what follows can fail without changing it (an app's `report` override,
    // a counter), and never leads to a second answer.
    try {
      steps.report(error, context, exception);
    } catch (failure) {
      this.stepFailed('report', failure);
    }
    this.account(error, context, exchange);
    return result;
  }

  /** A step an app may override failed: the error was answered all the same. */
  private stepFailed(step: 'log' | 'report', failure: unknown): void {
    this.safeLog('error', `ErrorsFilter's ${step} step failed; the error was answered`, failure);
  }

  /** Step 2 on its own: the request id, method, path and time of an exchange. */
  context(exchange: ErrorExchange, writer = this.writers[exchange.transport] as ErrorWriter) {
    return writer.context(exchange, this.settings);
  }

  normalize(exception: unknown): ApiError {
    return normalizeError(exception, this.settings.normalize);
  }

  log(error: ApiError, context: ErrorContext): void {
    try {
      logApiError(this.logger, error, context, this.settings.logging);
    } catch {
      // A logger that throws must not cost the client its response.
    }
  }

  report(error: ApiError, context: ErrorContext, thrown: unknown): void {
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
   * After `report`, whatever a subclass makes of it: the error counted on `api.errors`, and logged
   * once per route and code when its route's `@ApiErrors` does not declare it. Neither reads the
   * route unless it is on; neither affects the response. Also called by the GraphQL plugin for
   * the errors GraphQL answers before resolvers, which are logged but never reported.
   */
  account(error: ApiError, context: ErrorContext, exchange: ErrorExchange): void {
    const counter = this.errorCounter;
    const warn = this.settings.warnUndeclaredErrors;
    if (counter === undefined && !warn) {
      return;
    }
    try {
      const route = this.formats.routeOf(exchange);
      counter?.add(1, errorMetricAttributes(error, route));
      const declared = warn ? this.formats.declaredErrorsOf(exchange) : undefined;
      const warning =
        declared === undefined
          ? undefined
          : undeclaredErrorWarning(declared, error, `${context.method} ${route ?? context.path}`);
      if (warning !== undefined) {
        this.safeLog('warn', warning);
      }
    } catch (failure) {
      this.safeLog('warn', 'Counting an error, or checking it against @ApiErrors, failed', failure);
    }
  }

  /**
   * Step 3 and the one serialization: the format the resolver chooses (or `problem`, when
   * negotiated), the message translated when asked for, rendered once for any transport. A
   * format that throws, or a body that cannot be serialized, gives the minimal 500 instead.
   */
  render(
    error: ApiError,
    context: ErrorContext,
    exchange: ErrorExchange,
    writer = this.writers[exchange.transport] as ErrorWriter,
  ): ErrorOutput {
    const { negotiate, translations, wwwAuthenticate } = this.settings;
    let format = this.formats.formatOf(exchange, context);
    let vary: string | undefined;
    let shown = error;
    let language: string | undefined;
    // Only when asked for: an app without negotiation or translations reads no request header.
    if ((negotiate || translations !== undefined) && writer.requestHeader !== undefined) {
      if (negotiate && format !== graphqlFormat) {
        vary = 'Accept';
        if (
          acceptsInstead(
            writer.requestHeader(exchange, 'accept'),
            problemFormat.contentType,
            format.contentType,
          )
        ) {
          format = problemFormat;
        }
      }
      if (translations !== undefined) {
        vary = vary === undefined ? 'Accept-Language' : `${vary}, Accept-Language`;
        ({ error: shown, language } = translateError(
          error,
          translations,
          writer.requestHeader(exchange, 'accept-language'),
        ));
      }
    }
    try {
      // A transport that shapes the error itself (GraphQL) gets nothing rendered.
      const rendered = writer.rendersBody === false ? undefined : format.render(shown, context);
      return {
        error,
        shown,
        language,
        context,
        format,
        status: rendered?.status ?? error.status,
        contentType: this.contentType(format, exchange, writer),
        body: rendered?.body,
        text: rendered === undefined ? '' : JSON.stringify(rendered.body),
        headers:
          language === undefined
            ? rendered?.headers
            : { ...rendered?.headers, 'Content-Language': language },
        vary,
        challenge: error.status === 401 ? wwwAuthenticate : undefined,
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

  /** The format's media type; at a GraphQL endpoint, the GraphQL-over-HTTP one when preferred. */
  private contentType(format: ErrorFormat, exchange: ErrorExchange, writer: ErrorWriter): string {
    return (
      (format === graphqlFormat && exchange.transport === 'http'
        ? graphqlContentType(writer.requestHeader?.(exchange, 'accept'))
        : undefined) ?? contentTypeOf(format)
    );
  }

  /** A line about the pipeline itself; a logger that throws changes nothing. */
  safeLog(level: 'warn' | 'error', message: string, failure?: unknown): void {
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
