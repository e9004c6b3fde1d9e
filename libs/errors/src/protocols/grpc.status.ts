import { Logger } from '@nestjs/common';
import type { ApiError, FieldViolation } from '../core/api-error.interface.js';
import { errorOfStatus, thrownGrpcCode } from '../core/error.normalizer.js';
import { grpcCodeForStatus } from '../core/grpc-status.mapping.js';
import { errorCode } from '../core/http-status.mapping.js';
import type { ErrorOutput } from './error-writer.interface.js';
import { type GrpcErrorDetails, encodeGrpcStatus, richErrorsAvailable } from './grpc.details.js';

/** The trailer that carries the `google.rpc.Status` (gRPC's rich error model). */
export const GRPC_STATUS_DETAILS_TRAILER = 'grpc-status-details-bin';

/** The part of grpc-js's `Metadata` this reads and writes. */
export interface GrpcMetadataLike {
  get(key: string): unknown[];
  add(key: string, value: string | Buffer): void;
}

/** The part of a grpc-js server call (unary, streaming or duplex) this reads. */
export interface GrpcCallLike {
  /** `/hero.HeroService/FindOne`. */
  getPath(): string;
  metadata: GrpcMetadataLike;
  /** Set by grpc-js when the client cancelled or the deadline passed. */
  cancelled?: boolean;
  getDeadline?(): Date | number;
}

function isGrpcCall(value: unknown): value is GrpcCallLike {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { getPath, metadata } = value as Partial<GrpcCallLike>;
  return (
    typeof getPath === 'function' &&
    typeof metadata === 'object' &&
    metadata !== null &&
    typeof metadata.get === 'function' &&
    typeof metadata.add === 'function'
  );
}

/**
 * The grpc-js call of an RPC host on Nest's gRPC transport: Nest hands `@GrpcMethod` and
 * `@GrpcStreamMethod` handlers `(data, metadata, call)` and `@GrpcStreamCall` ones `(call)` or
 * `(call, callback)`. Undefined on every other transport.
 */
export function grpcCallOf(args: readonly unknown[]): GrpcCallLike | undefined {
  const third: unknown = args[2];
  if (isGrpcCall(third)) {
    return third;
  }
  const first: unknown = args[0];
  return isGrpcCall(first) ? first : undefined;
}

/**
 * A call the client cancelled, or whose deadline passed, cannot be answered any more (grpc-js
 * has already ended it): whatever the handler threw then is the client's doing, a 499 logged at
 * the client-error level rather than a 500.
 */
export function clientGoneError(call: GrpcCallLike, thrown: unknown): ApiError | undefined {
  if (call.cancelled !== true) {
    return undefined;
  }
  let deadline: number;
  try {
    deadline = Number(call.getDeadline?.() ?? Infinity);
  } catch {
    deadline = Infinity;
  }
  return errorOfStatus(
    499,
    deadline <= Date.now() ? 'Deadline exceeded' : 'Cancelled by the client',
    thrown,
  );
}

/** What grpc-js makes the call's status of: its code, its message and the trailing metadata. */
export interface GrpcStatusError {
  code: number;
  /** The status message (grpc-js reads `details`). */
  details: string;
  message: string;
  metadata: GrpcMetadataLike | undefined;
}

/** What the gRPC status needs from the module's settings. */
export interface GrpcStatusSettings {
  /** `ErrorInfo.domain`; undefined: the called service's name. */
  domain: string | undefined;
  /** The trailer the request id leaves in; undefined with `requestId: false`. */
  requestIdHeader: string | undefined;
}

/**
 * A status message travels in a trailer (percent-encoded by grpc-js): one that could run to
 * megabytes (a message built from submitted input) is cut here, so the call always ends with its
 * status instead of a transport error.
 */
export const MAX_GRPC_MESSAGE_LENGTH = 1024;
/** Bounds on each field violation and on all of them in `BadRequest`, for the same reason. */
const MAX_FIELD_LENGTH = 256;
const MAX_DESCRIPTION_LENGTH = 512;
const MAX_VIOLATIONS_LENGTH = 8192;

/** `text` cut to `max` characters with `…`, never inside a surrogate pair. */
function bounded(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) {
    end--;
  }
  return `${text.slice(0, end)}…`;
}

type GrpcFieldViolation = NonNullable<GrpcErrorDetails['BadRequest']>['fieldViolations'][number];

/**
 * `BadRequest`'s violations within the budget; one last violation counts those left out. A
 * violation of the input itself (path `''`) names no field.
 */
function fieldViolations(details: readonly FieldViolation[]): GrpcFieldViolation[] {
  const violations: GrpcFieldViolation[] = [];
  let used = 0;
  for (const { path, message } of details) {
    const field = bounded(path, MAX_FIELD_LENGTH);
    const description = bounded(message, MAX_DESCRIPTION_LENGTH);
    used += field.length + description.length;
    if (used > MAX_VIOLATIONS_LENGTH) {
      const rest = details.length - violations.length;
      violations.push({
        description: `…and ${rest.toLocaleString('en-US')} more violation${rest === 1 ? '' : 's'}`,
      });
      break;
    }
    violations.push(field === '' ? { description } : { field, description });
  }
  return violations;
}

/** `hero.HeroService` of `/hero.HeroService/FindOne`. */
function serviceOf(path: string): string {
  return path.split('/')[1] ?? '';
}

/** The AIP-193 details of an error, as it has them. */
function errorDetails(
  output: ErrorOutput,
  service: string,
  settings: GrpcStatusSettings,
): GrpcErrorDetails {
  const { error, context, language } = output;
  const details: GrpcErrorDetails = {
    ErrorInfo: {
      reason: errorCode(error),
      domain: settings.domain ?? service,
      metadata: { category: error.category, statusCode: String(error.status) },
    },
    RequestInfo: { requestId: context.requestId },
  };
  if (error.details !== undefined && error.details.length > 0) {
    details.BadRequest = { fieldViolations: fieldViolations(error.details) };
  }
  if (error.retryAfterSeconds !== undefined) {
    details.RetryInfo = { retryDelay: { seconds: error.retryAfterSeconds } };
  }
  if (error.code !== undefined && context.docsBaseUrl !== undefined) {
    details.Help = {
      links: [{ description: error.code, url: `${context.docsBaseUrl}#${error.code}` }],
    };
  }
  if (language !== undefined) {
    details.LocalizedMessage = { locale: language, message: (output.shown ?? error).message };
  }
  return details;
}

let warnedWithoutProtobuf = false;

/**
 * The error a gRPC call ends with: the status an `RpcException({ code })` named (but `UNKNOWN`),
 * else the one the HTTP status means; the safe message; and trailing metadata with the request id
 * and `grpc-status-details-bin`. The `Metadata` is made with the call's own class, so the
 * library never imports `@grpc/grpc-js`.
 */
export function grpcStatusError(
  output: ErrorOutput,
  call: GrpcCallLike,
  settings: GrpcStatusSettings,
): GrpcStatusError {
  const { error, context } = output;
  const named = thrownGrpcCode(error.cause);
  const code = named !== undefined && named !== 2 ? named : grpcCodeForStatus(error.status);
  const message = bounded(error.message, MAX_GRPC_MESSAGE_LENGTH);
  let metadata: GrpcMetadataLike | undefined;
  const Metadata = (call.metadata as { constructor?: unknown }).constructor;
  if (typeof Metadata === 'function') {
    metadata = new (Metadata as new () => GrpcMetadataLike)();
    if (settings.requestIdHeader !== undefined) {
      metadata.add(settings.requestIdHeader, context.requestId);
    }
    const status = encodeGrpcStatus({
      code,
      message,
      details: errorDetails(output, serviceOf(call.getPath()), settings),
    });
    if (status !== undefined) {
      metadata.add(GRPC_STATUS_DETAILS_TRAILER, status);
    } else if (!warnedWithoutProtobuf && !richErrorsAvailable()) {
      warnedWithoutProtobuf = true;
      new Logger('ErrorsFilter').warn(
        `protobufjs is not installed: gRPC errors leave without ${GRPC_STATUS_DETAILS_TRAILER} (npm install protobufjs)`,
      );
    }
  }
  return { code, details: message, message, metadata };
}
