import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { ApiError } from './api-error.interface.js';
import { ApiException } from './api.exception.js';
import { GRPC_STATUS_NAMES, isGrpcErrorCode, statusForGrpcCode } from './grpc-status.mapping.js';
import {
  type ErrorMapper,
  ErrorMapperFailure,
  describeOrigin,
  kindOfValue,
  mappedErrorRecord,
  noteMappedError,
} from './error.mapping.js';
import { pathWithoutQuery } from './error-context.factory.js';
import {
  INTERNAL_SERVER_ERROR_MESSAGE,
  categoryForStatus,
  isErrorStatus,
  isRetryableStatus,
  serverErrorMessage,
} from './http-status.mapping.js';
import { uploadErrorOf, uploadErrorOfHttpException } from './upload-error.mapping.js';

/** What normalization needs to know from the module options. */
export interface NormalizeOptions {
  /** Let 5xx bodies carry the thrown message (development only). */
  exposeInternalErrors: boolean;
  /**
   * `ErrorsModuleOptions.mappers`: offered, in order, whatever is neither an `ApiException` nor
   * an `HttpException`. Absent or empty: nothing is mapped.
   */
  mappers?: readonly ErrorMapper[];
}

/** The module's defaults: what a body shows where no application says otherwise. */
export const DEFAULT_NORMALIZE_OPTIONS: NormalizeOptions = Object.freeze({
  exposeInternalErrors: false,
});

/**
 * Messages for the body-parser failures both adapters raise before a handler runs (also the
 * examples of the responses OpenAPI declares for them on every route with a body).
 */
export const MALFORMED_JSON_MESSAGE = 'Malformed JSON in request body';
export const BODY_TOO_LARGE_MESSAGE = 'Request body is too large';
export const UNSUPPORTED_MEDIA_TYPE_MESSAGE = 'Unsupported media type';
/** A client that left while its request body was being read. */
const CLIENT_ABORTED_MESSAGE = 'Request aborted by the client';
/** A compressed body (`Content-Encoding: gzip`, …) whose bytes do not decompress. */
const UNDECODABLE_BODY_MESSAGE = 'Request body could not be decoded';
/** A request target the router cannot decode (`/a/%zz`): the URL itself is never echoed. */
const MALFORMED_URL_MESSAGE = 'Malformed request URL';
/** A route parameter longer than the router accepts (Fastify's `maxParamLength`). */
const URL_TOO_LONG_MESSAGE = 'Request URL is too long';

/**
 * What a normalizer makes of one kind of thrown value: the error with the message as thrown, and
 * the message a client may see when that one must stay hidden.
 */
interface Normalized {
  error: ApiError;
  /** Shown instead of `error.message` for a 5xx unless `exposeInternalErrors`. */
  safeMessage: string;
}

/**
 * Step 1 of the pipeline: any thrown value becomes an `ApiError`. Never throws: a value that
 * fights back (a Proxy, a getter that throws) becomes the generic 500.
 *
 * The one redaction rule lives here, after every kind of value was normalized the same way: a
 * 5xx shows its safe message (the documented one, or the status text) unless
 * `exposeInternalErrors`; a 4xx shows what was thrown.
 */
export function normalizeError(thrown: unknown, options: NormalizeOptions): ApiError {
  let normalized: Normalized;
  try {
    normalized = normalizeThrown(thrown, options.mappers);
  } catch {
    return internalError(thrown, INTERNAL_SERVER_ERROR_MESSAGE).error;
  }
  const { error, safeMessage } = normalized;
  if (error.status >= 500 && !options.exposeInternalErrors) {
    error.message = safeMessage;
  }
  return error;
}

function normalizeThrown(thrown: unknown, mappers: readonly ErrorMapper[] | undefined): Normalized {
  if (thrown instanceof ApiException) {
    return fromApiException(thrown);
  }
  if (thrown instanceof HttpException) {
    return fromHttpException(thrown);
  }
  // After the typed errors: what the app threw itself is never offered, and costs nothing here.
  if (mappers !== undefined && mappers.length > 0) {
    const mapped = fromMapped(thrown, mappers);
    if (mapped !== undefined) {
      return mapped;
    }
  }
  if (isClientAbort(thrown)) {
    return statusError(400, CLIENT_ABORTED_MESSAGE, thrown);
  }
  const upload = uploadErrorOf(thrown);
  if (upload !== undefined) {
    return statusError(upload.status, upload.message, thrown);
  }
  if (isClientHttpError(thrown)) {
    return fromClientHttpError(thrown);
  }
  if (isTransportException(thrown)) {
    return fromTransportException(thrown);
  }
  return fromUnknown(thrown);
}

/**
 * The first replacement a mapper returns, normalized as if it had been thrown (it is not offered
 * to the mappers again), with what its mapper noted: the details and retryability a Nest
 * exception cannot carry, and the original for the log. A mapper that throws or returns anything
 * but an `Error` or `undefined` gives a generic 500 caused by an `ErrorMapperFailure`, which the
 * filter logs; a mapper that returns what it was given changes nothing.
 */
function fromMapped(thrown: unknown, mappers: readonly ErrorMapper[]): Normalized | undefined {
  for (let index = 0; index < mappers.length; index++) {
    const mapper = mappers[index]!;
    let replacement: unknown;
    try {
      replacement = mapper(thrown);
    } catch (failure) {
      return internalError(
        new ErrorMapperFailure(index, mapper, thrown, 'threw', failure),
        INTERNAL_SERVER_ERROR_MESSAGE,
      );
    }
    if (replacement === undefined) {
      continue;
    }
    if (replacement === thrown) {
      return undefined;
    }
    if (!(replacement instanceof Error)) {
      return internalError(
        new ErrorMapperFailure(index, mapper, thrown, `returned ${kindOfValue(replacement)}`),
        INTERNAL_SERVER_ERROR_MESSAGE,
      );
    }
    const normalized = normalizeThrown(replacement, undefined);
    const record = mappedErrorRecord(replacement);
    if (record !== undefined && record.original === thrown) {
      const { error } = normalized;
      if (record.details !== undefined && error.details === undefined) {
        error.details = record.details;
      }
      if (record.retryable !== undefined) {
        error.retryable = record.retryable;
      }
    } else {
      // A replacement of the app's own mapper says nothing of its original: its name and code do.
      noteMappedError(replacement, thrown, { origin: describeOrigin(thrown) });
    }
    return normalized;
  }
  return undefined;
}

/** An ApiException is taken as declared; a 5xx's safe message is the documented one. */
function fromApiException(exception: ApiException): Normalized {
  return {
    error: {
      status: exception.definition.status,
      code: exception.code,
      message: exception.message,
      category: exception.category,
      details: exception.details,
      retryable: exception.retryable,
      retryAfterSeconds: exception.retryAfterSeconds,
      cause: exception,
    },
    // A message given at the throw site may describe internals: only the documented one is known
    // to be safe.
    safeMessage: exception.documentedMessage,
  };
}

/**
 * Nest's own exceptions keep their status and message; a code comes only from Nest 12's
 * `errorCode` option. Parser failures (JSON, multipart) get the documented messages and the
 * unknown-route message loses its query string.
 */
function fromHttpException(exception: HttpException): Normalized {
  const status = exception.getStatus();
  if (!isErrorStatus(status)) {
    return internalError(exception, INTERNAL_SERVER_ERROR_MESSAGE);
  }
  if (isThrottlerException(exception)) {
    const error: ApiError = {
      status,
      code: 'RATE_LIMITED',
      message: 'Too many requests',
      category: 'RATE_LIMIT',
      details: undefined,
      retryable: true,
      // The throttler guard has already set Retry-After (or Retry-After-<name>) on the response.
      retryAfterSeconds: undefined,
      cause: exception,
    };
    return { error, safeMessage: error.message };
  }
  let message =
    platformErrorMessage(status, exception.cause) ??
    messageOfResponse(exception.getResponse(), exception.message);
  if (status === 404) {
    message = stripRouteQuery(message);
  }
  // What Nest's upload interceptors throw names the client's field: never echoed.
  const upload = uploadErrorOfHttpException(status, message, exception.cause);
  if (upload !== undefined) {
    return statusError(upload.status, upload.message, exception);
  }
  return statusError(
    status,
    message,
    exception,
    typeof exception.errorCode === 'string' ? exception.errorCode : undefined,
  );
}

/**
 * The client left while the body was read: Node's `aborted` (Fastify's body reader) or raw-body's
 * `request aborted` (Express). The client's doing, not a server fault: a 4xx, logged at debug.
 */
function isClientAbort(value: unknown): boolean {
  if (!(value instanceof Error)) {
    return false;
  }
  const { code, type } = value as { code?: unknown; type?: unknown };
  return (
    type === 'request.aborted' ||
    code === 'ECONNABORTED' ||
    (code === 'ECONNRESET' && value.message === 'aborted')
  );
}

interface ClientHttpError extends Error {
  statusCode: number;
}

/**
 * A 4xx error shaped by `http-errors` (`expose: true`) or `@fastify/error`, thrown by a middleware
 * or plugin that Nest did not map to an HttpException first.
 */
function isClientHttpError(value: unknown): value is ClientHttpError {
  if (!(value instanceof Error)) {
    return false;
  }
  const { statusCode } = value as Partial<ClientHttpError>;
  return (
    isErrorStatus(statusCode) &&
    statusCode < 500 &&
    ((value as { expose?: unknown }).expose === true || value.name === 'FastifyError')
  );
}

function fromClientHttpError(error: ClientHttpError): Normalized {
  return statusError(
    error.statusCode,
    platformErrorMessage(error.statusCode, error) ?? error.message,
    error,
  );
}

/** The documented message of a body parser's or a router's error; undefined for any other. */
function platformErrorMessage(status: number, error: unknown): string | undefined {
  return parserErrorMessage(status, error) ?? routerErrorMessage(error);
}

/**
 * The router's own rejections, raised before any route or hook runs. Fastify's messages quote the
 * whole request target, query string (and any secret in it) included: clients get one message
 * each instead. Express's undecodable parameter (a URIError marked 400) gets the same message.
 */
export function routerErrorMessage(source: unknown): string | undefined {
  if (typeof source !== 'object' || source === null) {
    return undefined;
  }
  const { code, status, statusCode } = source as Record<string, unknown>;
  if (
    code === 'FST_ERR_BAD_URL' ||
    (source instanceof URIError && (status === 400 || statusCode === 400))
  ) {
    return MALFORMED_URL_MESSAGE;
  }
  return code === 'FST_ERR_MAX_PARAM_LENGTH' ? URL_TOO_LONG_MESSAGE : undefined;
}

interface TransportException extends Error {
  getError(): unknown;
}

/**
 * `WsException` and `RpcException` (optional peers, recognized by name): the errors Nest's
 * WebSocket and microservice docs tell handlers to throw for an expected failure.
 */
function isTransportException(value: unknown): value is TransportException {
  if (
    !(value instanceof Error) ||
    typeof (value as Partial<TransportException>).getError !== 'function'
  ) {
    return false;
  }
  // Neither class sets `name`; subclasses keep one of them in their prototype chain.
  for (
    let proto: object | null = Object.getPrototypeOf(value);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name;
    if (name === 'WsException' || name === 'RpcException') {
      return true;
    }
  }
  return false;
}

/** What Nest's RPC and WebSocket contexts throw (as a transport exception) when a guard denies. */
const FORBIDDEN_RESOURCE = 'Forbidden resource';

/**
 * A transport exception's payload is meant for the client only when it is a plain one: a string,
 * or a plain object with a string `message` and maybe a `statusCode` (or `status`); the status is
 * the one it names, else 400. Nest's gRPC way, `{ code, message }` with a gRPC code (1–16), is the
 * HTTP status that code means (`NOT_FOUND` 404; the gRPC writer sends the code itself back).
 * Anything else wrapped — an `Error` (`new RpcException(err)`, whose message would describe
 * internals), a class instance, an object without a message — is an internal error, logged with
 * the wrapped value. A guard that denies is 403, as over HTTP.
 */
function fromTransportException(exception: TransportException): Normalized {
  const payload = exception.getError();
  if (typeof payload === 'string') {
    return payload === FORBIDDEN_RESOURCE
      ? statusError(403, payload, exception)
      : statusError(400, payload, exception);
  }
  const grpcCode = grpcCodeOfPayload(payload);
  if (grpcCode !== undefined) {
    const status = statusForGrpcCode(grpcCode);
    const { message } = payload as { message?: unknown };
    return statusError(
      status,
      typeof message === 'string'
        ? message
        : (STATUS_CODES[status] ?? GRPC_STATUS_NAMES[grpcCode]!),
      exception,
    );
  }
  if (!isPlainObject(payload) || typeof payload.message !== 'string') {
    return internalError(
      payload instanceof Error ? payload : exception,
      INTERNAL_SERVER_ERROR_MESSAGE,
    );
  }
  const { statusCode, status, message } = payload;
  const code = isErrorStatus(statusCode) ? statusCode : isErrorStatus(status) ? status : 400;
  return statusError(code, message, exception);
}

/**
 * The gRPC code of `RpcException({ code, message })`: a plain object with a gRPC error code, a
 * string message or none, and no HTTP `statusCode`/`status` of its own (which would win).
 */
function grpcCodeOfPayload(payload: unknown): number | undefined {
  if (!isPlainObject(payload) || !isGrpcErrorCode(payload.code)) {
    return undefined;
  }
  const { message, statusCode, status } = payload;
  return (message === undefined || typeof message === 'string') &&
    !isErrorStatus(statusCode) &&
    !isErrorStatus(status)
    ? payload.code
    : undefined;
}

/** The gRPC code a thrown `RpcException({ code, message })` names; undefined for anything else. */
export function thrownGrpcCode(thrown: unknown): number | undefined {
  try {
    return isTransportException(thrown) ? grpcCodeOfPayload(thrown.getError()) : undefined;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function fromUnknown(thrown: unknown): Normalized {
  return internalError(
    thrown,
    thrown instanceof Error && typeof thrown.message === 'string'
      ? thrown.message
      : INTERNAL_SERVER_ERROR_MESSAGE,
  );
}

function internalError(cause: unknown, message: string): Normalized {
  return statusError(500, message, cause);
}

/**
 * An error that has only a status, a message and maybe a code: its category and retryability
 * follow from the status.
 */
export function errorOfStatus(
  status: number,
  message: string,
  cause: unknown,
  code?: string,
): ApiError {
  return {
    status,
    code,
    message,
    category: categoryForStatus(status),
    details: undefined,
    retryable: isRetryableStatus(status),
    retryAfterSeconds: undefined,
    cause,
  };
}

/** `errorOfStatus`, with the safe message of a 5xx (its status text). */
function statusError(status: number, message: string, cause: unknown, code?: string): Normalized {
  return {
    error: errorOfStatus(status, message, cause, code),
    safeMessage: serverErrorMessage(status),
  };
}

/** `HttpException#getResponse()`: a string, or an object whose `message` is a string or a list. */
function messageOfResponse(response: unknown, fallback: string): string {
  if (typeof response === 'string') {
    return response;
  }
  if (typeof response === 'object' && response !== null) {
    const { message } = response as { message?: unknown };
    if (typeof message === 'string') {
      return message;
    }
    if (Array.isArray(message)) {
      return message.map(String).join(', ');
    }
  }
  return fallback;
}

/**
 * Express (body-parser, `type`) and Fastify (content-type parser, `FST_ERR_CTP_*` codes, or a
 * SyntaxError from its JSON parser) describe the same three failures in their own words; clients
 * get one message for each.
 */
export function parserErrorMessage(status: number, source: unknown): string | undefined {
  if (typeof source !== 'object' || source === null) {
    return undefined;
  }
  const { type, code, status: ownStatus, statusCode } = source as Record<string, unknown>;
  const fromExpress = typeof type === 'string' && /^(entity|charset|encoding)\./.test(type);
  // FST_CP_ERR_*: @fastify/compress, which decompresses request bodies on Fastify.
  const fromFastify =
    typeof code === 'string' && (code.startsWith('FST_ERR_CTP_') || code.startsWith('FST_CP_ERR_'));
  if (status === 400 && (type === 'request.aborted' || code === 'ECONNABORTED')) {
    return CLIENT_ABORTED_MESSAGE;
  }
  if (status === 400) {
    // A SyntaxError alone could come from anywhere (a handler parsing its own config); the
    // parsers mark theirs with the 400 they answer with.
    const markedByParser = ownStatus === 400 || statusCode === 400;
    const malformed =
      (source instanceof SyntaxError && markedByParser) ||
      type === 'entity.parse.failed' ||
      code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
    if (malformed) {
      return MALFORMED_JSON_MESSAGE;
    }
    // body-parser passes zlib's own error on (`incorrect header check`, `Decompression failed`),
    // marked with its 400, when a gzip/deflate/br body does not decompress.
    const undecodable =
      (markedByParser && isZlibError(source)) || code === 'FST_CP_ERR_INVALID_CONTENT';
    return undecodable ? UNDECODABLE_BODY_MESSAGE : undefined;
  }
  if (!fromExpress && !fromFastify) {
    return undefined;
  }
  if (status === 413) {
    return BODY_TOO_LARGE_MESSAGE;
  }
  return status === 415 ? UNSUPPORTED_MEDIA_TYPE_MESSAGE : undefined;
}

/** An error of `node:zlib`: a numeric `errno` and a zlib (`Z_DATA_ERROR`), brotli or zstd code. */
function isZlibError(source: object): boolean {
  const { errno, code } = source as Record<string, unknown>;
  return (
    source instanceof Error &&
    typeof errno === 'number' &&
    typeof code === 'string' &&
    /^(Z_|ERR__|ZSTD_)/.test(code)
  );
}

// Any method token (`M-SEARCH` included), then a request target: origin-form or absolute-form.
const ROUTE_NOT_FOUND = /^Cannot (\S+) ((?:\/|[A-Za-z][A-Za-z0-9+.-]*:\/\/)\S*)$/;

/**
 * Nest's unknown-route message echoes the request target as the client sent it: its query string
 * (`Cannot GET /a?token=…`) and, for an absolute-form target, the client's scheme and host
 * (`Cannot GET http://evil.test/a`). Only its path stays, as in the body's `path`.
 */
export function stripRouteQuery(message: string): string {
  const match = ROUTE_NOT_FOUND.exec(message);
  return match === null ? message : `Cannot ${match[1]!} ${pathWithoutQuery(match[2])}`;
}

/**
 * `@nestjs/throttler` is an optional peer, so its class is recognized by name and status rather
 * than imported.
 */
function isThrottlerException(exception: HttpException): boolean {
  return exception.name === 'ThrottlerException' && exception.getStatus() === 429;
}
