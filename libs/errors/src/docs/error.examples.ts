import type { ApiExceptionClass } from '../core/api.exception.js';
import type { ErrorContext, FieldViolation } from '../core/api-error.interface.js';
import { isValidationFailure } from '../core/api-error.predicates.js';
import {
  DEFAULT_NORMALIZE_OPTIONS,
  type NormalizeOptions,
  normalizeError,
} from '../core/error.normalizer.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';

/** The request every documented example pretends to answer. */
export const EXAMPLE_CONTEXT: ErrorContext = {
  requestId: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11',
  method: 'GET',
  path: '/api/v1/resource',
  timestamp: '2026-02-17T09:18:05.040Z',
  protocol: 'http',
  docsBaseUrl: undefined,
};

/** The violations shown in validation examples. */
const EXAMPLE_VIOLATIONS: readonly FieldViolation[] = [
  { path: 'items.0.name', message: 'name must be a string', rule: 'isString', location: 'body' },
  { path: 'age', message: 'age must be an integer number', rule: 'isInt', location: 'body' },
];

/**
 * An instance of a class as documentation shows it: each template field filled with its name in
 * angle brackets (`Flow <flowId> is locked`), which reads as "the value given when thrown".
 */
function exampleException(exceptionClass: ApiExceptionClass) {
  const { definition } = exceptionClass;
  const options: Record<string, unknown> = {};
  for (const field of definition.fields) {
    options[field] = `<${field}>`;
  }
  if (isValidationFailure(definition)) {
    options.details = EXAMPLE_VIOLATIONS.map((violation) => ({ ...violation }));
  }
  return new exceptionClass(options);
}

/** The exact body `format` renders for `exceptionClass`, for the example request. */
export function exampleBody(
  exceptionClass: ApiExceptionClass,
  format: ErrorFormat,
  docsBaseUrl?: string,
  path = EXAMPLE_CONTEXT.path,
  redaction?: NormalizeOptions,
): unknown {
  return thrownExampleBody(exampleException(exceptionClass), format, docsBaseUrl, path, redaction);
}

/** The exact body `format` renders for an error thrown as it is (a Nest built-in, say). */
export function thrownExampleBody(
  thrown: unknown,
  format: ErrorFormat,
  docsBaseUrl?: string,
  path = EXAMPLE_CONTEXT.path,
  redaction: NormalizeOptions = DEFAULT_NORMALIZE_OPTIONS,
): unknown {
  const error = normalizeError(thrown, redaction);
  return format.render(error, { ...EXAMPLE_CONTEXT, docsBaseUrl, path }).body;
}
