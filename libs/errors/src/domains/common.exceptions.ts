import { ApiException, type ApiExceptionOptions } from '../core/api.exception.js';
import type { FieldViolation } from '../core/api-error.interface.js';

/**
 * `Validation failed: items.0.name: name must be a string, age: age must be an integer number`:
 * the message the `timestamped` format's documented API gives, built from the violations in order.
 */
export function validationMessage(details: readonly FieldViolation[]): string {
  let message = 'Validation failed: ';
  for (let index = 0; index < details.length; index++) {
    const { path, message: text } = details[index]!;
    message += (index === 0 ? '' : ', ') + (path === '' ? text : `${path}: ${text}`);
  }
  return message;
}

/**
 * `VALIDATION_ERROR` 400: input failed validation, one `FieldViolation` per failed rule.
 * `createValidationPipe()` throws it; throw it yourself for checks a DTO cannot express.
 *
 * @example
 * throw new ValidationFailedException({
 *   details: [{ path: 'items.0.name', message: 'name must be a string', location: 'body' }],
 * });
 */
export class ValidationFailedException extends ApiException.define({
  code: 'VALIDATION_ERROR',
  status: 400,
  message: 'Validation failed',
}) {
  constructor(options: ApiExceptionOptions = {}) {
    const details = options.details === undefined ? undefined : capViolations(options.details);
    super(
      details === undefined || details.length === 0
        ? options
        : { ...options, details, message: options.message ?? validationMessage(details) },
    );
  }
}

/**
 * At most this many violations are kept on a validation failure; the rest are summarized in one
 * last violation (`…and 9,900 more violations`). A 10,000-element array that fails validation
 * must not become a megabyte error body.
 */
export const MAX_FIELD_VIOLATIONS = 100;

/** The rule of the violation that counts those left out. */
const TRUNCATED_RULE = 'truncated';

/**
 * The first `MAX_FIELD_VIOLATIONS` violations, and one that counts the others. A list capped
 * already (its last violation is that count) is kept as it is: capping it again would count the
 * summary as the one violation left over.
 */
export function capViolations(details: readonly FieldViolation[]): readonly FieldViolation[] {
  if (
    details.length <= MAX_FIELD_VIOLATIONS ||
    (details.length === MAX_FIELD_VIOLATIONS + 1 && details.at(-1)!.rule === TRUNCATED_RULE)
  ) {
    return details;
  }
  const rest = details.length - MAX_FIELD_VIOLATIONS;
  return [
    ...details.slice(0, MAX_FIELD_VIOLATIONS),
    {
      path: '',
      message: `…and ${rest.toLocaleString('en-US')} more violation${rest === 1 ? '' : 's'}`,
      rule: TRUNCATED_RULE,
      location: details[0]!.location,
    },
  ];
}

/**
 * `RATE_LIMITED` 429: too many requests. Always carries `Retry-After`: the thrower's
 * `retryAfterSeconds`, or 60 (the one-minute rate-limit window of the documented API the `envelope`
 * format reproduces) when it gives none.
 */
export class RateLimitedException extends ApiException.define({
  code: 'RATE_LIMITED',
  status: 429,
  message: 'Too many requests',
  retryAfterSeconds: 60,
}) {}

/** `EXTERNAL_SERVICE_ERROR` 500 (EXTERNAL_SERVICE, retryable): a third-party call failed. */
export class ExternalServiceException extends ApiException.define({
  code: 'EXTERNAL_SERVICE_ERROR',
  status: 500,
  message: 'Third-party service call failed',
  category: 'EXTERNAL_SERVICE',
}) {}

/** Every common class, in catalog order. */
export const COMMON_EXCEPTIONS = [
  ValidationFailedException,
  RateLimitedException,
  ExternalServiceException,
] as const;
