import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { ERROR_CATEGORIES } from '../core/api-error.interface.js';
import { prefersOver } from '../core/content-negotiation.js';
import { errorCode } from '../core/http-status.mapping.js';
import type { ErrorFormat, RenderedError } from './error-format.interface.js';
import { PATH_MESSAGE_LIST_SCHEMA, STATUS_SCHEMA, closedObject } from './format.schemas.js';

/**
 * `extensions` of every GraphQL error this library shapes (README § Formats, `graphql`): the
 * code, the HTTP status the error stands for, its category, the violations of a validation
 * failure, and the request id.
 */
export interface GraphQLErrorExtensions {
  code: string;
  statusCode: number;
  category: string;
  details?: { path: string; message: string }[];
  requestId?: string;
  [key: string]: unknown;
}

/** Body of the `graphql` format: GraphQL's `errors` list with one error. */
export interface GraphQLErrorBody {
  errors: [{ message: string; extensions: GraphQLErrorExtensions }];
}

/**
 * `extensions` for one error, in the documented key order. Without a `requestId` (an error
 * `formatError` describes, before the Apollo plugin adds the request's) the key is left out.
 */
export function graphqlExtensions(error: ApiError, requestId?: string): GraphQLErrorExtensions {
  const extensions: GraphQLErrorExtensions = {
    code: errorCode(error),
    statusCode: error.status,
    category: error.category,
  };
  if (error.details !== undefined && error.details.length > 0) {
    extensions.details = error.details.map(({ path, message }) => ({ path, message }));
  }
  if (requestId !== undefined) {
    extensions.requestId = requestId;
  }
  return extensions;
}

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

/**
 * GraphQL over HTTP: a client that prefers `application/graphql-response+json` to
 * `application/json` gets it, as Apollo answers (a tie goes to `application/json`).
 */
export function graphqlContentType(accept: string | undefined): string | undefined {
  return prefersOver(accept, GRAPHQL_RESPONSE_JSON, 'application/json')
    ? `${GRAPHQL_RESPONSE_JSON}; charset=utf-8`
    : undefined;
}

/**
 * The documented GraphQL error shape, for errors that happen at a GraphQL endpoint before GraphQL
 * runs (body parser, middleware, HTTP guards, the throttler): `{errors: [{message, extensions:
 * {code, statusCode, category, details?, requestId}}]}`, sent with the error's HTTP status.
 * Resolver errors take the same `extensions` inside GraphQL's own response.
 */
export const graphqlFormat: ErrorFormat = {
  name: 'graphql',
  contentType: 'application/json',
  schema: closedObject(['errors'], {
    data: {
      description:
        'GraphQL data, when execution ran (resolver errors: partial, the failed fields null)',
    },
    errors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['message', 'extensions'],
        properties: {
          message: { type: 'string' },
          extensions: {
            type: 'object',
            required: ['code', 'statusCode', 'category', 'requestId'],
            properties: {
              code: { type: 'string' },
              statusCode: STATUS_SCHEMA,
              category: { type: 'string', enum: [...ERROR_CATEGORIES] },
              details: PATH_MESSAGE_LIST_SCHEMA,
              requestId: { type: 'string' },
            },
          },
        },
      },
    },
  }),
  alwaysCarriesCode: true,
  showsViolations: true,
  codePath: ['errors', 0, 'extensions', 'code'],
  carriesRequestId: true,
  render(error: ApiError, context: ErrorContext): RenderedError {
    const body: GraphQLErrorBody = {
      errors: [{ message: error.message, extensions: graphqlExtensions(error, context.requestId) }],
    };
    return { status: error.status, body };
  },
};
