import type { ApiError } from '../core/api-error.interface.js';
import { isValidationFailure } from '../core/api-error.predicates.js';
import type { ErrorFormat, RenderedError } from './error-format.interface.js';
import { closedObject } from './format.schemas.js';

/** Body of the `simple` format (README § Formats). */
export interface SimpleErrorBody {
  error: string;
}

/**
 * The documented `{"error": "message"}`, the message alone. A validation failure shows its first
 * violation's message, the way the documented API's own examples read.
 */
export const simpleFormat: ErrorFormat = {
  name: 'simple',
  contentType: 'application/json',
  schema: closedObject(['error'], { error: { type: 'string' } }),
  render(error: ApiError): RenderedError {
    const first = isValidationFailure(error) ? error.details?.[0] : undefined;
    const body: SimpleErrorBody = { error: first === undefined ? error.message : first.message };
    return { status: error.status, body };
  },
};
