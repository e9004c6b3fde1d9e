import type { ArgumentsHost } from '@nestjs/common';
import type { ErrorContext } from '../core/api-error.interface.js';
import { createHttpErrorContext } from '../core/error-context.factory.js';
import {
  categoryForStatus,
  genericCodeForStatus,
  INTERNAL_SERVER_ERROR_MESSAGE,
} from '../core/http-status.mapping.js';
import type { RequestLike } from '../core/request-id.resolver.js';
import {
  type GraphQLErrorBody,
  type GraphQLErrorExtensions,
  graphqlExtensions,
  graphqlFormat,
} from '../formats/graphql.format.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';

/**
 * What a resolver's error becomes: graphql-js copies an error's `extensions` into the GraphQL
 * error it builds, so no `graphql` import is needed here (it stays an optional peer).
 */
export class ApiGraphQLError extends Error {
  override readonly name = 'ApiGraphQLError';

  constructor(
    message: string,
    readonly extensions: GraphQLErrorExtensions,
    /** `exposeInternalErrors`: let `formatGraphQLError` keep Apollo's stack trace. */
    readonly exposeStack: boolean,
  ) {
    super(message);
  }
}

/**
 * Resolver errors: the context comes from the GraphQL context's request, and the error is
 * returned (not thrown) so graphql-js reports it for the failed field only and HTTP stays 200.
 */
export class GraphQLErrorWriter implements ErrorWriter {
  readonly protocol = 'graphql';

  constructor(private readonly exposeStack: boolean) {}

  requestHeader(host: ArgumentsHost, name: string): string | undefined {
    const value = host.getArgByIndex<{ req?: RequestLike } | undefined>(2)?.req?.headers?.[name];
    return typeof value === 'string' ? value : undefined;
  }

  context(host: ArgumentsHost, settings: ContextSettings): ErrorContext {
    const graphqlContext = host.getArgByIndex<{ req?: RequestLike } | undefined>(2);
    return createHttpErrorContext(
      graphqlContext?.req,
      undefined,
      settings.requestId,
      settings.docsBaseUrl,
      'graphql',
    );
  }

  write(_host: ArgumentsHost, output: ErrorOutput): ApiGraphQLError {
    if (output.format === graphqlFormat) {
      const [entry] = (output.body as GraphQLErrorBody).errors;
      return new ApiGraphQLError(entry.message, entry.extensions, this.exposeStack);
    }
    return this.writeFallback(_host, output);
  }

  writeFallback(_host: ArgumentsHost, output: ErrorOutput): ApiGraphQLError {
    return new ApiGraphQLError(
      output.error.message,
      graphqlExtensions(output.error, output.context.requestId),
      false,
    );
  }
}

/** The shape Apollo hands `formatError` (graphql-js `GraphQLFormattedError`). */
export interface GraphQLFormattedErrorLike {
  readonly message: string;
  readonly locations?: readonly { line: number; column: number }[];
  readonly path?: readonly (string | number)[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** Status of the errors the GraphQL layer raises before any resolver runs. */
const GRAPHQL_LAYER_STATUS: Readonly<Record<string, number>> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
  PERSISTED_QUERY_NOT_SUPPORTED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

function unwrap(error: unknown): unknown {
  let current = error;
  // Apollo wraps resolver errors (unwrapResolverError); graphql-js keeps the thrown one as originalError.
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof ApiGraphQLError) {
      return current;
    }
    current = (current as { originalError?: unknown }).originalError;
  }
  return current;
}

/**
 * For `GraphQLModule.forRoot({ formatError: formatGraphQLError })`: every error in the response
 * gets `{message, path, locations, extensions: {code, statusCode, category, details?, requestId?}}`.
 * Resolver errors arrive already shaped by `ErrorsFilter`; errors of the GraphQL layer itself
 * (syntax, unknown field, bad variables) get a status and category from their Apollo code; and
 * anything unexpected is a redacted 500. Apollo's `stacktrace` is removed unless the module has
 * `exposeInternalErrors`.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedErrorLike,
  error?: unknown,
): GraphQLFormattedErrorLike {
  const original = unwrap(error);
  const extensions = formatted.extensions ?? {};
  let message = formatted.message;
  let shaped: Record<string, unknown>;
  if (original instanceof ApiGraphQLError) {
    shaped = { ...original.extensions };
    if (original.exposeStack && extensions.stacktrace !== undefined) {
      shaped.stacktrace = extensions.stacktrace;
    }
    message = original.message;
  } else {
    const layerCode = typeof extensions.code === 'string' ? extensions.code : undefined;
    const statusCode =
      (layerCode === undefined ? undefined : GRAPHQL_LAYER_STATUS[layerCode]) ?? 500;
    if (statusCode >= 500) {
      message = INTERNAL_SERVER_ERROR_MESSAGE;
    }
    shaped = {
      code: statusCode >= 500 ? genericCodeForStatus(statusCode) : layerCode!,
      statusCode,
      category: categoryForStatus(statusCode),
    };
  }
  // DESIGN § Wire formats key order: message, path, locations, extensions.
  const result: { -readonly [K in keyof GraphQLFormattedErrorLike]: GraphQLFormattedErrorLike[K] } =
    { message };
  if (formatted.path !== undefined) {
    result.path = formatted.path;
  }
  if (formatted.locations !== undefined) {
    result.locations = formatted.locations;
  }
  result.extensions = shaped;
  return result;
}
