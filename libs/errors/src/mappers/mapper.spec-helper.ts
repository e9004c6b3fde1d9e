import type { ApiError } from '../core/api-error.interface.js';
import { type ErrorMapper, mappedErrorRecord } from '../core/error.mapping.js';
import { normalizeError } from '../core/error.normalizer.js';

/** What one mapper makes of a thrown value: the error the client gets and the log's origin. */
export interface MappedOutcome {
  error: Omit<ApiError, 'cause'>;
  /** `MappedErrorNote.origin`; undefined when the mapper passed. */
  origin: string | undefined;
}

/** `thrown` through `normalizeError` with `mapper` alone, as the filter would normalize it. */
export function mapWith(mapper: ErrorMapper, thrown: unknown): MappedOutcome {
  const { cause, ...error } = normalizeError(thrown, {
    exposeInternalErrors: false,
    mappers: [mapper],
  });
  return { error, origin: mappedErrorRecord(cause)?.origin };
}

/** A generic HTTP error of this status, as a mapper's Nest exception normalizes. */
export function generic(
  status: 404 | 409 | 503,
  overrides: Partial<Omit<ApiError, 'cause'>> = {},
): Omit<ApiError, 'cause'> {
  const facts = {
    404: { message: 'Not Found', category: 'NOT_FOUND', retryable: false },
    409: { message: 'Conflict', category: 'CONFLICT', retryable: false },
    503: { message: 'Service Unavailable', category: 'INTERNAL', retryable: true },
  } as const;
  return {
    status,
    code: undefined,
    ...facts[status],
    details: undefined,
    retryAfterSeconds: undefined,
    ...overrides,
  };
}

/** 400 `VALIDATION_ERROR` with these violations (`Validation failed` without any). */
export function invalid(details?: ApiError['details']): Omit<ApiError, 'cause'> {
  return {
    status: 400,
    code: 'VALIDATION_ERROR',
    message:
      details === undefined
        ? 'Validation failed'
        : `Validation failed: ${details.map(({ path, message }) => `${path}: ${message}`).join(', ')}`,
    category: 'VALIDATION',
    details,
    retryable: false,
    retryAfterSeconds: undefined,
  };
}

/** 500 `EXTERNAL_SERVICE_ERROR`, with the upstream's `Retry-After` when it gave one. */
export function external(retryAfterSeconds?: number): Omit<ApiError, 'cause'> {
  return {
    status: 500,
    code: 'EXTERNAL_SERVICE_ERROR',
    message: 'Third-party service call failed',
    category: 'EXTERNAL_SERVICE',
    details: undefined,
    retryable: true,
    retryAfterSeconds,
  };
}
