import { HttpException } from '@nestjs/common';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { createHttpErrorContext } from '../core/error-context.factory.js';
import {
  DEFAULT_NORMALIZE_OPTIONS,
  type NormalizeOptions,
  errorOfStatus,
  normalizeError,
} from '../core/error.normalizer.js';
import {
  genericCodeForStatus,
  INTERNAL_SERVER_ERROR_MESSAGE,
  isErrorStatus,
} from '../core/http-status.mapping.js';
import { type GraphQLErrorExtensions, graphqlExtensions } from '../formats/graphql.format.js';
import type { GraphQLExchange } from './error-exchange.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';
import { redactGraphQLMessage } from './graphql.messages.js';

/**
 * What a resolver's error becomes: it carries the normalized `ApiError` and the request id to
 * `formatGraphQLError`. graphql-js copies an error's `extensions` into the GraphQL error it
 * builds, so an app without `formatGraphQLError` still sends them (and no `graphql` import is
 * needed here: it stays an optional peer).
 */
export class ApiGraphQLError extends Error {
  override readonly name = 'ApiGraphQLError';
  readonly extensions: GraphQLErrorExtensions;

  constructor(
    /** The error as the client sees it (translated, when a translation was chosen). */
    readonly apiError: ApiError,
    readonly requestId: string,
    /** `exposeInternalErrors`: let `formatGraphQLError` keep Apollo's stack trace. */
    readonly exposeStack: boolean,
  ) {
    super(apiError.message);
    this.extensions = graphqlExtensions(apiError, requestId);
  }
}

/**
 * Resolver errors: the context comes from the GraphQL context's request, and the error is
 * returned (not thrown) so graphql-js reports it for the failed field only and HTTP stays 200.
 * GraphQL shapes the error itself: no body is rendered for it.
 */
export class GraphQLErrorWriter implements ErrorWriter<GraphQLExchange> {
  readonly rendersBody = false;

  constructor(private readonly exposeStack: boolean) {}

  requestHeader(exchange: GraphQLExchange, name: string): string | undefined {
    const value = exchange.request?.headers?.[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** The context of an error at a GraphQL endpoint: its HTTP request's id, method and path. */
  context(exchange: GraphQLExchange, settings: ContextSettings): ErrorContext {
    return createHttpErrorContext(
      exchange.request,
      undefined,
      settings.requestId,
      settings.docsBaseUrl,
      'graphql',
    );
  }

  write(_exchange: GraphQLExchange, output: ErrorOutput): ApiGraphQLError {
    return new ApiGraphQLError(
      output.shown ?? output.error,
      output.context.requestId,
      this.exposeStack,
    );
  }

  writeFallback(_exchange: GraphQLExchange, output: ErrorOutput): ApiGraphQLError {
    return new ApiGraphQLError(output.error, output.context.requestId, false);
  }
}

/** The shape Apollo hands `formatError` (graphql-js `GraphQLFormattedError`). */
export interface GraphQLFormattedErrorLike {
  readonly message: string;
  readonly locations?: readonly { line: number; column: number }[];
  readonly path?: readonly (string | number)[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/**
 * Status of the errors Apollo raises before any resolver runs, by their Apollo code. A persisted
 * query the server does not know is a 404, as Apollo Router answers it (Apollo Server sends 200).
 */
const GRAPHQL_LAYER_STATUS: Readonly<Record<string, number>> = {
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  PERSISTED_QUERY_NOT_FOUND: 404,
  PERSISTED_QUERY_NOT_SUPPORTED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
};

/** Apollo codes whose messages Apollo writes itself, with nothing of the request in them. */
const APOLLO_MESSAGE_CODES: ReadonlySet<string> = new Set([
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * graphql-js's own request errors, raised while it prepares to execute (no Apollo code): each is
 * a client mistake, a 400 `BAD_REQUEST`.
 */
const GRAPHQL_REQUEST_ERRORS: readonly RegExp[] = [
  /^Must provide an operation\.$/,
  /^Must provide operation name if query contains multiple operations\.$/,
  /^Unknown operation named "/,
  /^Schema is not configured to execute (query|mutation|subscription) operation\.$/,
];

interface RawGraphQLError {
  originalError?: unknown;
  message?: unknown;
  extensions?: { code?: unknown; http?: { status?: unknown } };
}

function rawOf(error: unknown): RawGraphQLError {
  return typeof error === 'object' && error !== null ? (error as RawGraphQLError) : {};
}

/** What a GraphQL error stands for: a resolver's error shaped by ErrorsFilter, or a Nest exception thrown elsewhere. */
function ownErrorOf(error: unknown): ApiGraphQLError | HttpException | undefined {
  let current = error;
  // Apollo wraps resolver errors (unwrapResolverError); graphql-js keeps the thrown one as originalError.
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof ApiGraphQLError || current instanceof HttpException) {
      return current;
    }
    current = (current as RawGraphQLError).originalError;
  }
  return undefined;
}

/** One GraphQL error as the response and the log see it. */
export interface DescribedGraphQLError {
  message: string;
  extensions: Record<string, unknown>;
  /** The error for the log; undefined for a resolver error, which ErrorsFilter has logged. */
  error: ApiError | undefined;
  /** The resolver error ErrorsFilter shaped, when it is one (its stack may be exposed). */
  shaped?: ApiGraphQLError;
}

/**
 * The status, code and safe message of one error of a GraphQL response: a resolver error keeps
 * what `ErrorsFilter` gave it; a Nest exception thrown outside a resolver (a context function, a
 * plugin) is normalized as the filter would; an error of the GraphQL layer gets the status Apollo
 * sends it with and its Apollo code (or the code a validation rule set), its message without
 * submitted values; anything else is a redacted 500.
 */
export function describeGraphQLError(
  formatted: GraphQLFormattedErrorLike,
  error: unknown,
  redaction: NormalizeOptions,
  requestId?: string,
): DescribedGraphQLError {
  const own = ownErrorOf(error);
  if (own instanceof ApiGraphQLError) {
    return {
      message: own.apiError.message,
      extensions: graphqlExtensions(own.apiError, own.requestId),
      error: undefined,
      shaped: own,
    };
  }
  let described: ApiError;
  if (own !== undefined) {
    described = normalizeError(own, redaction);
  } else {
    const raw = rawOf(error);
    const layerCode =
      typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    const httpStatus = isErrorStatus(raw.extensions?.http?.status)
      ? raw.extensions.http.status
      : undefined;
    const original = rawOf(raw.originalError);
    const ruleCode =
      layerCode === 'GRAPHQL_VALIDATION_FAILED' && typeof original.extensions?.code === 'string'
        ? original.extensions.code
        : undefined;
    const originalMessage = typeof original.message === 'string' ? original.message : undefined;
    const knownStatus = layerCode === undefined ? undefined : GRAPHQL_LAYER_STATUS[layerCode];
    // graphql-js writes request content into its messages; Apollo's own (BAD_REQUEST, persisted
    // queries) are fixed texts.
    const message = APOLLO_MESSAGE_CODES.has(layerCode ?? '')
      ? formatted.message.trim()
      : redactGraphQLMessage(formatted.message, originalMessage);
    if (knownStatus !== undefined) {
      // Apollo's BAD_REQUEST carries the status it is sent with (405 for a mutation over GET); a
      // validation rule of the app's own (a query limit) may name its code.
      const status = layerCode === 'BAD_REQUEST' ? (httpStatus ?? knownStatus) : knownStatus;
      const code = status === knownStatus ? (ruleCode ?? layerCode!) : genericCodeForStatus(status);
      described = errorOfStatus(status, message, error, code);
    } else if (
      (httpStatus !== undefined && httpStatus < 500) ||
      GRAPHQL_REQUEST_ERRORS.some((pattern) => pattern.test(formatted.message))
    ) {
      // Apollo's uncoded request errors (a persisted query whose hash does not match) and
      // graphql-js's (an unknown operation name): the client's mistake.
      const status = httpStatus ?? 400;
      const code = status === 400 ? 'BAD_REQUEST' : genericCodeForStatus(status);
      described = errorOfStatus(status, message, error, code);
    } else {
      described = errorOfStatus(
        500,
        INTERNAL_SERVER_ERROR_MESSAGE,
        error,
        genericCodeForStatus(500),
      );
    }
  }
  return {
    message: described.message,
    extensions: graphqlExtensions(described, requestId),
    error: described,
  };
}

/**
 * The errors of a response as the app's Apollo plugin described them (with the app's redaction
 * and the request's id), by error object: Apollo tells plugins of every error (`didEncounterErrors`,
 * `contextCreationDidFail`, `invalidRequestWasReceived`) before it formats the same objects.
 */
const descriptions = new WeakMap<object, DescribedGraphQLError>();

/** Keeps what the plugin made of `error` for `formatGraphQLError`. */
export function rememberGraphQLError(error: unknown, description: DescribedGraphQLError): void {
  if (typeof error === 'object' && error !== null) {
    descriptions.set(error, description);
  }
}

/**
 * For `GraphQLModule.forRoot({ formatError: formatGraphQLError })`: every error in the response
 * gets `{message, path, locations, extensions: {code, statusCode, category, details?, requestId}}`.
 * Resolver errors arrive already shaped by `ErrorsFilter`; errors of the GraphQL layer itself
 * (syntax, unknown field, bad variables, persisted queries, a mutation over GET) get the status
 * they are sent with, their Apollo code and a message that echoes nothing the request supplied
 * (no variable value, literal, unknown name or operation name); anything unexpected is a redacted
 * 500. Apollo's `stacktrace` is removed unless the module has `exposeInternalErrors`. Errors
 * raised before resolvers run get the request's `requestId` (and the module's redaction) from the
 * Apollo plugin `ErrorsModule` registers, which describes them before Apollo formats them
 * (`formatError` is given no request).
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedErrorLike,
  error?: unknown,
): GraphQLFormattedErrorLike {
  const remembered =
    typeof error === 'object' && error !== null ? descriptions.get(error) : undefined;
  const description =
    remembered ?? describeGraphQLError(formatted, error, DEFAULT_NORMALIZE_OPTIONS);
  const extensions = { ...description.extensions };
  if (description.shaped?.exposeStack === true && formatted.extensions?.stacktrace !== undefined) {
    extensions.stacktrace = formatted.extensions.stacktrace;
  }
  // The graphql format's key order: message, path, locations, extensions.
  const result: { -readonly [K in keyof GraphQLFormattedErrorLike]: GraphQLFormattedErrorLike[K] } =
    { message: description.message };
  if (formatted.path !== undefined) {
    result.path = formatted.path;
  }
  if (formatted.locations !== undefined) {
    result.locations = formatted.locations;
  }
  result.extensions = extensions;
  return result;
}
