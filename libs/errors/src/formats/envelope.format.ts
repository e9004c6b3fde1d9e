import {
  type ApiError,
  ERROR_CATEGORIES,
  type ErrorCategory,
  type FieldLocation,
} from '../core/api-error.interface.js';
import { isValidationFailure } from '../core/api-error.predicates.js';
import { errorCode } from '../core/http-status.mapping.js';
import type { ErrorFormat, RenderedError } from './error-format.interface.js';
import { PATH_MESSAGE_LIST_SCHEMA, STATUS_SCHEMA, errorMemberSchema } from './format.schemas.js';

/** Body of the `envelope` format (README § Formats). */
export interface EnvelopeErrorBody {
  error: {
    message: string;
    statusCode: number;
    /** Always present: a generic error gets the code of its status (`NOT_FOUND`). */
    code: string;
    category: ErrorCategory;
    details?: { path: string; message: string }[];
  };
}

const VALIDATION_MESSAGES: Readonly<Record<FieldLocation, string>> = {
  body: 'Invalid request body',
  query: 'Invalid query parameters',
  params: 'Invalid path parameters',
};

/**
 * The documented `{error: {message, statusCode, code, category, details?}}`. A validation
 * failure says where the input came from (`Invalid request body` / `Invalid query parameters` /
 * `Invalid path parameters`) and lists `{path, message}` per violation.
 */
export const envelopeFormat: ErrorFormat = {
  name: 'envelope',
  contentType: 'application/json',
  schema: errorMemberSchema(['message', 'statusCode', 'code', 'category'], {
    message: { type: 'string' },
    statusCode: STATUS_SCHEMA,
    code: { type: 'string' },
    category: { type: 'string', enum: [...ERROR_CATEGORIES] },
    details: PATH_MESSAGE_LIST_SCHEMA,
  }),
  alwaysCarriesCode: true,
  showsViolations: true,
  codePath: ['error', 'code'],
  render(error: ApiError): RenderedError {
    const code = errorCode(error);
    const { details } = error;
    const body: EnvelopeErrorBody =
      details === undefined || details.length === 0
        ? {
            error: {
              message: error.message,
              statusCode: error.status,
              code,
              category: error.category,
            },
          }
        : {
            error: {
              message: isValidationFailure({ code })
                ? VALIDATION_MESSAGES[details[0]!.location ?? 'body']
                : error.message,
              statusCode: error.status,
              code,
              category: error.category,
              details: details.map(({ path, message }) => ({ path, message })),
            },
          };
    return { status: error.status, body };
  },
};
