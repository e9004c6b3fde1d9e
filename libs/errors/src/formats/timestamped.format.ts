import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { isValidationFailure } from '../core/api-error.predicates.js';
import type { ErrorFormat, RenderedError } from './error-format.interface.js';
import { STATUS_SCHEMA, closedObject } from './format.schemas.js';

/** Body of the `timestamped` format (README § Formats), in its documented key order. */
export interface TimestampedErrorBody {
  statusCode: number;
  timestamp: string;
  path: string;
  message: string;
  /** Only on domain errors. */
  code?: string;
}

/**
 * The documented `{statusCode, timestamp, path, message, code}`. `code` appears only on
 * domain errors: a generic HTTP error has none, and neither has a validation failure, whose
 * message lists the violations instead (`Validation failed: items.0.name: …`).
 */
export const timestampedFormat: ErrorFormat = {
  name: 'timestamped',
  contentType: 'application/json',
  schema: closedObject(['statusCode', 'timestamp', 'path', 'message'], {
    statusCode: STATUS_SCHEMA,
    timestamp: { type: 'string', format: 'date-time' },
    path: { type: 'string' },
    message: { type: 'string' },
    code: { type: 'string', description: 'Only on domain errors' },
  }),
  codePath: ['code'],
  render(error: ApiError, context: ErrorContext): RenderedError {
    const body: TimestampedErrorBody =
      error.code === undefined || isValidationFailure(error)
        ? {
            statusCode: error.status,
            timestamp: context.timestamp,
            path: context.path,
            message: error.message,
          }
        : {
            statusCode: error.status,
            timestamp: context.timestamp,
            path: context.path,
            message: error.message,
            code: error.code,
          };
    return { status: error.status, body };
  },
};
