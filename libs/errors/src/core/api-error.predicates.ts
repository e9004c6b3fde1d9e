import type { ApiError, ErrorContext } from './api-error.interface.js';

/** Code of every validation failure (`ValidationFailedException`, and 400s of formats that need a code). */
export const VALIDATION_ERROR_CODE = 'VALIDATION_ERROR';

/**
 * True for a failed validation: formats show such an error by its violations (`details`) rather
 * than by its message, and some give it a message of their own (`Request validation failed`).
 */
export function isValidationFailure(error: Pick<ApiError, 'code'>): boolean {
  return error.code === VALIDATION_ERROR_CODE;
}

/**
 * True for an error the application itself must hear of: a 5xx, or any error outside a request
 * (`protocol: 'background'`: an event listener's, a scheduled job's, the process's), which no
 * client caused and no client is told of. Such an error is logged with its stack at the
 * `serverErrors` level and told to every reporter, whatever its status.
 */
export function isServerSideError(
  error: Pick<ApiError, 'status'>,
  context: Pick<ErrorContext, 'protocol'>,
): boolean {
  return error.status >= 500 || context.protocol === 'background';
}
