import type { ApiError, ErrorContext } from '../core/api-error.interface.js';

/** The request every format spec renders for. */
export const CONTEXT: ErrorContext = {
  requestId: 'req-7',
  method: 'POST',
  path: '/api/sdk/events',
  timestamp: '2026-02-17T09:18:05.040Z',
  protocol: 'http',
  docsBaseUrl: undefined,
};

/** An ApiError with every field set: a generic 404 unless overridden. */
export function apiError(overrides: Partial<ApiError>): ApiError {
  return {
    status: 404,
    code: undefined,
    message: 'Not Found',
    category: 'NOT_FOUND',
    details: undefined,
    retryable: false,
    retryAfterSeconds: undefined,
    cause: undefined,
    ...overrides,
  };
}

/** One error of each kind the formats treat differently. */
export const ERRORS = {
  domain: apiError({ code: 'VAULT_ENTRY_NOT_FOUND', message: 'Referenced file does not exist' }),
  generic: apiError({ message: 'Cannot GET /nope' }),
  validation: apiError({
    status: 400,
    code: 'VALIDATION_ERROR',
    category: 'VALIDATION',
    message:
      'Validation failed: events.0.type: Invalid enum value, events.0.type: type is required, user/id: bad',
    details: [
      { path: 'events.0.type', message: 'Invalid enum value', location: 'body' },
      { path: 'events.0.type', message: 'type is required', location: 'body' },
      { path: 'user/id', message: 'bad', location: 'body' },
    ],
  }),
  queryValidation: apiError({
    status: 400,
    code: 'VALIDATION_ERROR',
    category: 'VALIDATION',
    message: 'Validation failed: limit: limit must be an integer number',
    details: [{ path: 'limit', message: 'limit must be an integer number', location: 'query' }],
  }),
  internal: apiError({
    status: 500,
    message: 'Internal server error',
    category: 'INTERNAL',
    retryable: true,
  }),
  rateLimited: apiError({
    status: 429,
    code: 'RATE_LIMITED',
    message: 'Too many requests',
    category: 'RATE_LIMIT',
    retryable: true,
    retryAfterSeconds: 30,
  }),
} satisfies Record<string, ApiError>;
