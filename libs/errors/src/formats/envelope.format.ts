import type { ApiError, ErrorCategory, FieldLocation } from '../core/api-error.interface.js';
import { genericCodeForStatus } from '../core/http-status.js';
import type { ErrorFormat, RenderedError } from './error-format.interface.js';

/** Body of the `envelope` format (reference-docs/004). */
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
 * reference-docs/004: `{error: {message, statusCode, code, category, details?}}`. A validation
 * failure says where the input came from (`Invalid request body` / `Invalid query parameters` /
 * `Invalid path parameters`) and lists `{path, message}` per violation.
 */
export const envelopeFormat: ErrorFormat = {
  name: 'envelope',
  contentType: 'application/json',
  render(error: ApiError): RenderedError {
    const code = error.code ?? genericCodeForStatus(error.status);
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
              message:
                code === 'VALIDATION_ERROR'
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
