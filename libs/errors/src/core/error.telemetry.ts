import { createRequire } from 'node:module';
import { mappedErrorRecord } from './error.mapping.js';
import type { ApiError } from './api-error.interface.js';
import { errorCode } from './http-status.mapping.js';

/** The part of `@opentelemetry/api` this library uses (an optional peer). */
export interface TelemetryApi {
  trace: { getActiveSpan(): SpanLike | undefined };
  SpanStatusCode: { ERROR: number };
}

interface SpanLike {
  setAttribute(key: string, value: string): unknown;
  recordException(exception: Error | string): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
}

/**
 * `@opentelemetry/api` when it is installed and the feature using it is not turned off; undefined
 * otherwise, so an app without it pays nothing. Loaded with `require`: the package ships
 * CommonJS, and the module options are resolved synchronously. Its globals (the registered
 * providers) are shared with the app's own copy, ES module or not.
 */
export function loadOpenTelemetry<Api>(enabled: boolean | undefined): Api | undefined {
  if (enabled === false) {
    return undefined;
  }
  try {
    return createRequire(import.meta.url)('@opentelemetry/api') as Api;
  } catch {
    return undefined;
  }
}

/**
 * The error on the active span, as OpenTelemetry's semantic conventions for server spans say:
 * `error.type` is the code; a 5xx also records the exception and sets the span's status to ERROR;
 * a 4xx leaves the status unset (the server did its job).
 */
export function recordOnActiveSpan(api: TelemetryApi, error: ApiError, thrown: unknown): void {
  const span = api.trace.getActiveSpan();
  if (span === undefined) {
    return;
  }
  const type = errorCode(error);
  span.setAttribute('error.type', type);
  if (error.status >= 500) {
    // A mapper's replacement, not the original: an ORM's or driver's message may quote values
    // and connection strings, and spans are exported like logs.
    const recorded = mappedErrorRecord(error.cause) === undefined ? thrown : error.cause;
    span.recordException(recorded instanceof Error ? recorded : String(type));
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: type });
  }
}
