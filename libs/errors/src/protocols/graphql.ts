import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import {
  categoryForStatus,
  genericCodeForStatus,
  INTERNAL_SERVER_ERROR_MESSAGE,
} from '../core/http-status.js';

/** `extensions` of every GraphQL error this library shapes (reference-docs/001 and DESIGN). */
export interface GraphQLErrorExtensions {
  code: string;
  statusCode: number;
  category: string;
  details?: { path: string; message: string }[];
  requestId?: string;
  [key: string]: unknown;
}

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

/** A resolver error in the GraphQL contract: HTTP stays 200, the error carries the code. */
export function toGraphQLError(
  error: ApiError,
  context: ErrorContext,
  exposeStack: boolean,
): ApiGraphQLError {
  const extensions: GraphQLErrorExtensions = {
    code: error.code ?? genericCodeForStatus(error.status),
    statusCode: error.status,
    category: error.category,
  };
  if (error.details !== undefined && error.details.length > 0) {
    extensions.details = error.details.map(({ path, message }) => ({ path, message }));
  }
  extensions.requestId = context.requestId;
  return new ApiGraphQLError(error.message, extensions, exposeStack);
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
