import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { exchangeOf } from '../protocols/error-exchange.js';
import { ErrorPipeline, type ErrorSteps } from './error.pipeline.js';

/**
 * The filter through which Nest hands errors to the application's error pipeline
 * (normalize → context → format → log → write → report). `ErrorsModule.forRoot()` registers it as
 * a global filter when the module is created, before any filter of the app's own: Nest asks global
 * filters last-registered first, so every global filter of the app (`APP_FILTER` or
 * `useGlobalFilters`) whose `@Catch()` names exception types gets those first, and this one
 * answers everything else. Nest applies no global filter to WebSocket gateways: name it there with
 * `@UseFilters(ErrorsFilter)`.
 *
 * To change a step for every error, extend it, override a `protected` step and register the
 * subclass as `APP_FILTER`: Nest asks it before the module's, and its steps also answer the errors
 * Nest never routes (requests the HTTP parser or Node's server refuses, unknown microservice
 * patterns, SSE errors after the headers, the GraphQL layer's, and errors outside a request).
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
  /**
   * The steps the pipeline calls: a subclass's protected methods (overridable), else the
   * pipeline's own, which this class's methods only hand to (no indirection per error).
   */
  private readonly steps: ErrorSteps;

  constructor(protected readonly pipeline: ErrorPipeline) {
    if (new.target === ErrorsFilter) {
      this.steps = pipeline;
      return;
    }
    this.steps = {
      normalize: (exception) => this.normalize(exception),
      log: (error, context) => this.log(error, context),
      report: (error, context, thrown) => this.report(error, context, thrown),
    };
    pipeline.adopt(this.steps);
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    const exchange = exchangeOf(host);
    // A transport this library does not know: hand the error back to it unchanged.
    return exchange === undefined
      ? exception
      : this.pipeline.handle(exception, exchange, this.steps);
  }

  /** Step 1: any thrown value becomes an `ApiError` (5xx messages redacted here). */
  protected normalize(exception: unknown): ApiError {
    return this.pipeline.normalize(exception);
  }

  /** Step 4: 5xx with the stack and request id, 4xx one line (levels from `logging`). */
  protected log(error: ApiError, context: ErrorContext): void {
    this.pipeline.log(error, context);
  }

  /**
   * After the error left: the active OpenTelemetry span learns of it, and `reporters` are told
   * (5xx, and 4xx for those that ask). Never affects the response.
   */
  protected report(error: ApiError, context: ErrorContext, thrown: unknown): void {
    this.pipeline.report(error, context, thrown);
  }
}
