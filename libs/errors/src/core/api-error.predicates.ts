import type { ApiError } from './api-error.interface.js';

/** Code of every validation failure (`ValidationFailedException`, and 400s of formats that need a code). */
export const VALIDATION_ERROR_CODE = 'VALIDATION_ERROR';

/**
 * True for a failed validation: formats show such an error by its violations (`details`) rather
 * than by its message, and some give it a message of their own (`Request validation failed`).
 */
export function isValidationFailure(error: Pick<ApiError, 'code'>): boolean {
  return error.code === VALIDATION_ERROR_CODE;
}
