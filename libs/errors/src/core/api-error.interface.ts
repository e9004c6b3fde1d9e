/**
 * What kind of failure an error is, independent of its status code. The set is the one the
 * documented API of the `envelope` format uses (README § Formats); clients switch on it to pick a
 * retry or UI strategy.
 */
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/**
 * Every `ErrorCategory`, in the order the `envelope` format's documented API lists them (for
 * schemas and docs).
 */
export const ERROR_CATEGORIES = [
  'VALIDATION',
  'AUTH',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMIT',
  'EXTERNAL_SERVICE',
  'INTERNAL',
] as const;

/** Where a rejected value came from, when a pipe knows it. */
export type FieldLocation = 'body' | 'query' | 'params';

/**
 * One failed rule on one input field.
 *
 * @example { path: 'events.0.type', message: 'Invalid enum value', rule: 'isEnum', location: 'body' }
 */
export interface FieldViolation {
  /** Dot-path of the field inside its input: `items.0.name`; `''` for the input itself. */
  path: string;
  /** Safe to show: describes the rule, never echoes the submitted value. */
  message: string;
  /** Name of the failed rule (`isString`), when the validator names it. */
  rule?: string;
  location?: FieldLocation;
}

/**
 * An error after normalization (pipeline step 1): everything a wire format needs, and nothing
 * that depends on one. Formats read it; they never see the thrown value itself.
 */
export interface ApiError {
  /** HTTP status, always 400–599. */
  status: number;
  /** Machine-readable code; absent on generic HTTP errors (a plain `NotFoundException`). */
  code: string | undefined;
  /** Safe to show to a client: 5xx messages are already redacted here. */
  message: string;
  category: ErrorCategory;
  details: readonly FieldViolation[] | undefined;
  retryable: boolean;
  /** Becomes the `Retry-After` header when known. */
  retryAfterSeconds: number | undefined;
  /** The thrown value, for the log only: no format may serialize it. */
  cause: unknown;
}

/**
 * Transport the error leaves through; `'background'` for an error no request is waiting for (an
 * `@OnEvent` listener, a `@Cron`/`@Interval`/`@Timeout` job, or the process itself with
 * `processErrors`): nothing is sent, and the context's `method` names the kind (`EVENT`, `CRON`,
 * `INTERVAL`, `TIMEOUT`, `PROCESS`) and its `path` the event, the job or the origin
 * (`uncaughtException`, `unhandledRejection`).
 */
export type ErrorProtocol = 'http' | 'graphql' | 'rpc' | 'ws' | 'background';

/**
 * Per-request facts a format may put in a body (pipeline step 2). Built without touching the
 * response, so formats stay plain functions.
 */
export interface ErrorContext {
  /** The request id also sent as `X-Request-Id` (outside a request: a new one, for the log). */
  requestId: string;
  /** The HTTP method; `RPC`/`WS` for a message; `EVENT`, `CRON`, … outside a request. */
  method: string;
  /**
   * Request path without its query string or fragment; a message's pattern; outside a request,
   * the event, job or origin (see `ErrorProtocol`).
   */
  path: string;
  /** ISO-8601 UTC with milliseconds: `2026-02-17T09:18:05.040Z`. */
  timestamp: string;
  protocol: ErrorProtocol;
  /** `ErrorsModuleOptions.docsBaseUrl`, for formats that link codes to documentation. */
  docsBaseUrl: string | undefined;
}
