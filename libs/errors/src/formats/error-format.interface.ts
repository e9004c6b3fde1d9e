import type { ApiError, ErrorContext } from '../core/api-error.interface.js';

/** What a format makes of one error: the status to send and the body to serialize. */
export interface RenderedError {
  status: number;
  /** Serialized once with `JSON.stringify`; build it in the key order the contract documents. */
  body: unknown;
  /** Extra response headers this format wants (the standard ones are set by the writer). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * A wire format: how an `ApiError` looks to clients. The built-in ones are named by string
 * (`'timestamped'`); pass an object of your own for anything else. `render` must be a pure
 * function of its arguments: it runs for every error, on every protocol.
 *
 * @example
 * const legacyFormat: ErrorFormat = {
 *   name: 'legacy',
 *   contentType: 'application/json',
 *   render: (error, context) => ({
 *     status: error.status,
 *     body: { ok: false, reason: error.code ?? 'ERROR', text: error.message, ref: context.requestId },
 *   }),
 * };
 * ErrorsModule.forRoot({ format: legacyFormat });
 */
export interface ErrorFormat {
  readonly name: string;
  /** Media type without parameters (`application/json`); `; charset=utf-8` is appended. */
  readonly contentType: string;
  /** JSON Schema of the body, for OpenAPI documents (`ApiErrors`); `{type: 'object'}` when absent. */
  readonly schema?: Readonly<Record<string, unknown>>;
  render(error: ApiError, context: ErrorContext): RenderedError;
}
