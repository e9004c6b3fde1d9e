import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import type { RequestIdSettings } from '../core/request-id.resolver.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import type { ErrorExchange } from './error-exchange.js';

/** What the context step needs from the module's settings. */
export interface ContextSettings {
  requestId: RequestIdSettings;
  docsBaseUrl: string | undefined;
}

/** One error, rendered and ready to leave (pipeline steps 1–3 done). */
export interface ErrorOutput {
  error: ApiError;
  context: ErrorContext;
  /** The format that rendered `body` (the fallback names none). */
  format: ErrorFormat | undefined;
  status: number;
  /** Full header value: `application/json; charset=utf-8`. */
  contentType: string;
  /** The format's body, for transports that send objects. */
  body: unknown;
  /** The same body serialized once, for transports that send text. */
  text: string;
  /** Headers the format (and translation) asked for. */
  headers: Readonly<Record<string, string>> | undefined;
  /** HTTP: request headers the body depended on, to add to `Vary` (`Accept, Accept-Language`). */
  vary?: string;
  /** HTTP: a 401's `WWW-Authenticate`, sent unless the response already carries one. */
  challenge?: string;
  /** The error as its body shows it: `error`, or its translation when one was chosen. */
  shown?: ApiError;
  /** The language of a translated message (`Content-Language`). */
  language?: string;
}

/**
 * How errors leave through one kind of exchange (HTTP, a refused HTTP request, SSE, GraphQL, RPC,
 * WebSockets): it reads the exchange to learn about the request (step 2) and delivers the error
 * on it (step 5); only the format resolver reads it too, for the route's declared format.
 */
export interface ErrorWriter<E extends ErrorExchange = ErrorExchange> {
  /** False for a transport that shapes the error itself (GraphQL): no body is rendered for it. */
  readonly rendersBody?: boolean;
  /** Step 2: request id, method, path (or message pattern) and time, from this exchange. */
  context(exchange: E, settings: ContextSettings): ErrorContext;
  /**
   * Before step 1: the error to log instead of the thrown one when the client is already gone
   * and nothing can answer it (a cancelled gRPC call, an expired deadline): the client's doing.
   */
  clientGone?(exchange: E, thrown: unknown): ApiError | undefined;
  /** A request header, for content negotiation; undefined where the transport has none. */
  requestHeader?(exchange: E, name: string): string | undefined;
  /** Step 5: delivers the error; the result is what `ExceptionFilter.catch` returns. */
  write(exchange: E, output: ErrorOutput): unknown;
  /**
   * After a step failed: delivers `output` (the fallback) with as little as possible, since the
   * usual path may be what failed. Never throws.
   */
  writeFallback(exchange: E, output: ErrorOutput): unknown;
}

/** One writer per kind of exchange. */
export type ErrorWriters = { readonly [E in ErrorExchange as E['transport']]: ErrorWriter<E> };
