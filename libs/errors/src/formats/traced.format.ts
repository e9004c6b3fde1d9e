import type { ApiError, ErrorContext, FieldViolation } from '../core/api-error.interface.js';
import { isValidationFailure } from '../core/api-error.predicates.js';
import { errorCode } from '../core/http-status.mapping.js';
import type { ErrorFormat, RenderedError } from './error-format.interface.js';
import { errorMemberSchema } from './format.schemas.js';

/** Body of the `traced` format (README § Formats). */
export interface TracedErrorBody {
  error: {
    /** Lower-case: `vault_entry_not_found`, `not_found`. */
    code: string;
    message: string;
    /** Equals the `X-Request-Id` response header. */
    trace_id: string;
    /** Dot-path → message(s), on validation errors. */
    details?: Record<string, string>;
  };
}

/** Message of every validation failure in this format, as its documented API words it. */
const TRACED_VALIDATION_MESSAGE = 'Request validation failed';

/**
 * `details` maps each dot-path to its message; several violations of one path are joined with
 * `, `. A violation of the whole input (empty path) is keyed by where the input came from.
 */
function detailsByPath(details: readonly FieldViolation[]): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const { path, message, location } of details) {
    const key = path === '' ? (location ?? 'body') : path;
    byPath[key] = byPath[key] === undefined ? message : `${byPath[key]}, ${message}`;
  }
  return byPath;
}

/**
 * The documented `{error: {code, message, trace_id, details?}}`. Codes are lower-case and
 * always present (a generic error gets the code of its status); `trace_id` is the request id.
 */
export const tracedFormat: ErrorFormat = {
  name: 'traced',
  contentType: 'application/json',
  schema: errorMemberSchema(['code', 'message', 'trace_id'], {
    code: { type: 'string', pattern: '^[a-z0-9_]+$' },
    message: { type: 'string' },
    trace_id: { type: 'string', description: 'Equals the X-Request-Id response header' },
    details: { type: 'object', additionalProperties: { type: 'string' } },
  }),
  alwaysCarriesCode: true,
  showsViolations: true,
  carriesRequestId: true,
  wireCode: (code) => code.toLowerCase(),
  codePath: ['error', 'code'],
  render(error: ApiError, context: ErrorContext): RenderedError {
    const code = errorCode(error).toLowerCase();
    const message = isValidationFailure(error) ? TRACED_VALIDATION_MESSAGE : error.message;
    const { details } = error;
    const body: TracedErrorBody = {
      error:
        details === undefined || details.length === 0
          ? { code, message, trace_id: context.requestId }
          : { code, message, trace_id: context.requestId, details: detailsByPath(details) },
    };
    return { status: error.status, body };
  },
};
