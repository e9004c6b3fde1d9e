import {
  ConflictException,
  type HttpException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FieldViolation } from '../core/api-error.interface.js';
import { noteMappedError } from '../core/error.mapping.js';
import {
  ExternalServiceException,
  ValidationFailedException,
} from '../domains/common.exceptions.js';

// The replacements the shipped mappers return. Generic HTTP errors are Nest's own exceptions
// with Nest's message for the status (`Conflict`, `Not Found`, `Service Unavailable`), as if the
// app had thrown them; what they cannot carry (details, retryability) and the original's
// description for the log travel in the mapping note.

/** A generic 404: the record asked for does not exist. */
export function notFound(original: unknown, origin: string): HttpException {
  return noteMappedError(new NotFoundException(undefined, { cause: original }), original, {
    origin,
  });
}

/**
 * A generic 409: a unique, foreign key or write conflict. A unique violation names each field
 * of the constraint (`email must be unique`); never the value.
 */
export function conflict(
  original: unknown,
  origin: string,
  options: { uniqueFields?: readonly string[]; retryable?: boolean } = {},
): HttpException {
  const details =
    options.uniqueFields === undefined || options.uniqueFields.length === 0
      ? undefined
      : options.uniqueFields.map((field): FieldViolation => ({
          path: field,
          message: `${field} must be unique`,
          rule: 'unique',
        }));
  return noteMappedError(new ConflictException(undefined, { cause: original }), original, {
    origin,
    details,
    retryable: options.retryable,
  });
}

/** A generic 503 (retryable, as every 5xx): the database cannot be reached right now. */
export function unavailable(original: unknown, origin: string): HttpException {
  return noteMappedError(
    new ServiceUnavailableException(undefined, { cause: original }),
    original,
    { origin },
  );
}

/** What a field violation says, by the rule the database or ORM enforced. */
export type FieldRule = 'required' | 'invalid' | 'tooLong';

const RULE_MESSAGES: Readonly<Record<FieldRule, string>> = {
  required: 'is required',
  invalid: 'is invalid',
  tooLong: 'is too long',
};

/** `{path: 'name', message: 'name is required', rule: 'required'}`. */
export function fieldViolation(field: string, rule: FieldRule): FieldViolation {
  return { path: field, message: `${field} ${RULE_MESSAGES[rule]}`, rule };
}

/**
 * 400 `VALIDATION_ERROR`: a value the database refused (not null, check, too long, a cast), one
 * violation per field where the error names one.
 */
export function invalidInput(
  original: unknown,
  origin: string,
  details: readonly FieldViolation[],
): ValidationFailedException {
  return noteMappedError(
    new ValidationFailedException({
      cause: original,
      details: details.length === 0 ? undefined : details,
    }),
    original,
    { origin },
  );
}

/**
 * 500 `EXTERNAL_SERVICE_ERROR` (category `EXTERNAL_SERVICE`, retryable): a call to another
 * service failed. Its `Retry-After`, when the upstream sent one with a 429 or 503, is passed on.
 */
export function externalServiceFailure(
  original: unknown,
  origin: string,
  retryAfterSeconds: number | undefined,
): ExternalServiceException {
  return noteMappedError(
    new ExternalServiceException({ cause: original, retryAfterSeconds }),
    original,
    { origin },
  );
}
