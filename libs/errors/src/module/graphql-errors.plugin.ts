import { Injectable, Logger, type LoggerService, SetMetadata } from '@nestjs/common';
import type { ErrorContext } from '../core/api-error.interface.js';
import { describeThrown } from '../core/error.logger.js';
import type { RequestLike } from '../core/request-id.resolver.js';
import {
  type DescribedGraphQLError,
  type GraphQLFormattedErrorLike,
  describeGraphQLError,
  rememberGraphQLError,
} from '../protocols/graphql.writer.js';
import { ErrorPipeline } from './error.pipeline.js';

/**
 * The metadata key of `@nestjs/apollo`'s `@Plugin()`: its driver adds every provider of the app
 * whose class carries it to Apollo's plugins. Written out so that the library does not import
 * `@nestjs/apollo` (an optional peer).
 */
const APOLLO_PLUGIN_METADATA = 'graphql:plugin';

/** Thrown by the plugin to refuse an operation before it runs: Apollo sends it with `http.status`. */
class OperationRefusedError extends Error {
  readonly extensions = { code: 'BAD_REQUEST', http: { status: 400 } };
}

type FormattedError = GraphQLFormattedErrorLike & {
  extensions?: Readonly<Record<string, unknown>>;
};

/** The parts of Apollo's request context the plugin reads (no `@apollo/server` import). */
interface RequestContextLike {
  readonly contextValue?: { req?: RequestLike } | null;
  readonly operation?: { operation?: string } | null;
  readonly schema?: { getRootType?(operation: string): unknown };
  readonly errors?: readonly unknown[];
  readonly response?: {
    http?: { status?: number; headers?: Map<string, string> };
    body?: {
      kind?: string;
      singleResult?: { data?: unknown; errors?: readonly FormattedError[] };
    };
  };
}

/** A raw error as `formatError` would see it, for `describeGraphQLError`. */
function formattedLike(error: unknown): GraphQLFormattedErrorLike {
  const raw = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    extensions?: Record<string, unknown>;
  };
  return {
    message: typeof raw.message === 'string' ? raw.message : '',
    extensions: raw.extensions,
  };
}

/**
 * The Apollo plugin `ErrorsModule` registers (found by `@nestjs/apollo`'s driver like any
 * `@Plugin()` provider): what `formatGraphQLError` cannot do without the request.
 *
 * - Errors raised before resolvers run (parse, validation, variable coercion, persisted queries,
 *   a mutation over GET) are described with the module's redaction and the request's
 *   `requestId` before Apollo formats them (`formatGraphQLError` reads that description), and
 *   each is logged through the error pipeline like any other error: a 4xx one line at
 *   `logging.clientErrors`, a 5xx with its stack; and counted on `api.errors`.
 * - A response without `data` (the operation never ran) is sent with the status of its first
 *   error (`statusCode`), and `Cache-Control: no-store`.
 * - A subscription over HTTP is refused before execution (400 `BAD_REQUEST`) instead of failing
 *   inside graphql-js as a 500.
 * - A Nest exception thrown by the GraphQL `context` function is sent with its own status.
 */
@SetMetadata(APOLLO_PLUGIN_METADATA, true)
@Injectable()
export class GraphQLErrorsPlugin {
  protected readonly logger: LoggerService = new Logger('ErrorsFilter');

  constructor(private readonly pipeline: ErrorPipeline) {}

  // Apollo calls plugin hooks as methods and awaits them: `async` keeps the contract.
  async requestDidStart(started: RequestContextLike) {
    let context: ErrorContext | undefined;
    const exchange = {
      transport: 'graphql',
      request: started.contextValue?.req ?? undefined,
    } as const;
    const contextOf = (): ErrorContext => (context ??= this.pipeline.context(exchange));
    return {
      didResolveOperation: async (request: RequestContextLike): Promise<void> => {
        const operation = request.operation?.operation;
        if (operation === 'subscription') {
          throw new OperationRefusedError('Subscriptions are not supported over HTTP');
        }
        if (
          operation !== undefined &&
          request.schema?.getRootType !== undefined &&
          request.schema.getRootType(operation) === undefined
        ) {
          throw new OperationRefusedError(
            `Schema is not configured to execute ${operation} operation.`,
          );
        }
      },
      didEncounterErrors: async (request: RequestContextLike): Promise<void> => {
        for (const error of request.errors ?? []) {
          try {
            const context = contextOf();
            const described = this.describe(error, context.requestId);
            if (described.error !== undefined) {
              // Resolver errors went through the pipeline already.
              this.pipeline.steps.log(described.error, context);
              this.pipeline.account(described.error, context, exchange);
            }
          } catch (failure) {
            // A hook that rejects would fail Apollo's request: the error still goes out as Apollo
            // formats it (`formatGraphQLError` describes it again, without the request id).
            this.pipeline.safeLog('error', 'Describing a GraphQL error failed', failure);
          }
        }
      },
      willSendResponse: async (request: RequestContextLike): Promise<void> => {
        const result = request.response?.body?.singleResult;
        const errors = result?.errors;
        if (result === undefined || errors === undefined || errors.length === 0) {
          return;
        }
        const http = request.response?.http;
        const status = errors[0]!.extensions?.statusCode;
        if (result.data === undefined && http !== undefined && typeof status === 'number') {
          http.status = status;
          http.headers?.set('cache-control', 'no-store');
        }
      },
    };
  }

  /**
   * A Nest exception thrown by the `context` function: Apollo answers it before its request
   * pipeline, with the status in the error's `extensions.http` (500 without one).
   */
  async contextCreationDidFail({ error }: { error: Error }): Promise<void> {
    const described = this.describe(error);
    const status = described.error?.status;
    if (status !== undefined && status < 500 && !('extensions' in error)) {
      Object.defineProperty(error, 'extensions', {
        value: { http: { status } },
        configurable: true,
      });
    }
    this.logRefused(described, error);
  }

  /** A request Apollo refused before its pipeline (CSRF, malformed parameters, wrong method). */
  async invalidRequestWasReceived({ error }: { error: Error }): Promise<void> {
    this.logRefused(this.describe(error), error);
  }

  /** One error as the response will show it, kept for `formatGraphQLError`. */
  private describe(error: unknown, requestId?: string): DescribedGraphQLError {
    const described = describeGraphQLError(
      formattedLike(error),
      error,
      this.pipeline.settings.normalize,
      requestId,
    );
    rememberGraphQLError(error, described);
    return described;
  }

  /** Apollo gives these hooks no request: the line says what was refused, without an id. */
  private logRefused(described: DescribedGraphQLError, thrown: unknown): void {
    const error = described.error;
    if (error === undefined) {
      return;
    }
    const serverError = error.status >= 500;
    const { logging } = this.pipeline.settings;
    const level = serverError ? logging.serverErrors : logging.clientErrors;
    if (level === false) {
      return;
    }
    try {
      const code = String(described.extensions.code);
      const line = `GraphQL request refused before execution: ${error.status} ${code}: ${error.message}`;
      const log = this.logger[level]?.bind(this.logger) ?? this.logger.log.bind(this.logger);
      log(serverError ? `${line}\n${describeThrown(thrown)}` : line);
    } catch {
      // A logger that throws must not cost the client its response.
    }
  }
}
