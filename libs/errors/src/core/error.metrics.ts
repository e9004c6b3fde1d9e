import type { ApiError } from './api-error.interface.js';
import { errorCode } from './http-status.mapping.js';

/** The part of `@opentelemetry/api`'s metrics API this library uses (an optional peer). */
export interface MetricsApi {
  metrics?: { getMeterProvider(): { getMeter(name: string): MeterLike } };
  createNoopMeter?(): MeterLike;
}

interface MeterLike {
  createCounter(name: string, options: { description: string; unit: string }): ErrorCounter;
}

/** The `api.errors` counter. */
export interface ErrorCounter {
  add(value: number, attributes: ErrorMetricAttributes): void;
}

/**
 * The attributes of one count, named as OpenTelemetry's semantic conventions name them for HTTP
 * servers (`error.type`, `http.response.status_code`, `http.route`), plus the error's category.
 */
export interface ErrorMetricAttributes {
  'error.type': string;
  'http.response.status_code': number;
  /** The route's pattern (`/api/v1/files/:id`), never the path: absent for unknown routes. */
  'http.route'?: string;
  'error.category': string;
}

/** Instrumentation scope of the counter. */
const METER_NAME = 'nest-api-errors';

/**
 * The `api.errors` counter of the MeterProvider registered now, or undefined when none is (the
 * API's no-op meter): the pipeline then skips counting altogether, at the cost of one check. The
 * metrics API has no proxy provider, so the meter must be obtained once a provider is
 * registered: when the application starts, not when this library is imported.
 */
export function createErrorCounter(api: MetricsApi): ErrorCounter | undefined {
  const meter = api.metrics?.getMeterProvider().getMeter(METER_NAME);
  if (meter === undefined || meter === api.createNoopMeter?.()) {
    return undefined;
  }
  return meter.createCounter('api.errors', {
    description: 'Errors answered, by error type, status, route and category',
    unit: '{error}',
  });
}

/** What one error adds to the counter under; `route` is the route's pattern, if it has one. */
export function errorMetricAttributes(
  error: ApiError,
  route: string | undefined,
): ErrorMetricAttributes {
  const type = errorCode(error);
  return route === undefined
    ? {
        'error.type': type,
        'http.response.status_code': error.status,
        'error.category': error.category,
      }
    : {
        'error.type': type,
        'http.response.status_code': error.status,
        'http.route': route,
        'error.category': error.category,
      };
}
