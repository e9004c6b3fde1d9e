import type { ApiError, ErrorContext } from '../core/api-error.interface.js';

/** A JSON Schema (draft 2020-12 / OpenAPI 3.1 subset) describing one format's error body. */
export type JsonSchema = Readonly<Record<string, unknown>>;

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
 * Everything else the library needs to know about a format (for OpenAPI documents, the generated
 * reference, RPC payloads and `expectApiError`) is declared here too, so a new format is one
 * object in one file.
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
  readonly schema?: JsonSchema;
  /**
   * Every body carries a code: an error without one (a plain `NotFoundException`) gets the code
   * of its status (`NOT_FOUND`). The generated reference then lists those codes. Default `false`.
   */
  readonly alwaysCarriesCode?: boolean;
  /**
   * The body lists the violations of a validation failure itself (`details`, `errors`). When it
   * does not, transports that can carry more (RPC) add them as `details`. Default `false`.
   */
  readonly showsViolations?: boolean;
  /**
   * The body carries the request id (`trace_id`, `requestId`). When it does not, WebSocket
   * payloads add it as `requestId` (RPC payloads always carry one). Default `false`.
   */
  readonly carriesRequestId?: boolean;
  /** A code as bodies spell it (`traced` lower-cases: `not_found`). Default: as declared. */
  wireCode?(code: string): string;
  /**
   * Where a body carries its code (`['error', 'code']`; a number is a list index), for clients
   * that switch on it: `npx nest-api-errors types` writes a union discriminated there. Absent
   * for a format whose bodies carry no code.
   */
  readonly codePath?: readonly (string | number)[];
  render(error: ApiError, context: ErrorContext): RenderedError;
}
