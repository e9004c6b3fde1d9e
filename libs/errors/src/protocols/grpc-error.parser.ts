import type { FieldViolation } from '../core/api-error.interface.js';
import { isGrpcErrorCode, statusForGrpcCode } from '../core/grpc-status.mapping.js';
import { genericCodeForStatus, isErrorStatus } from '../core/http-status.mapping.js';
import { REQUEST_ID_PATTERN } from '../core/request-id.resolver.js';
import { decodeGrpcStatus } from './grpc.details.js';
import { GRPC_STATUS_DETAILS_TRAILER } from './grpc.status.js';

/** A gRPC error read back by `parseGrpcError`: what the service that sent it meant. */
export interface ParsedGrpcError {
  /** The error's code (`CONTENT_NOT_FOUND`), or its status's generic code (`NOT_FOUND`). */
  code: string;
  /** The HTTP status the error has on the server (`ErrorInfo`), else the gRPC code's. */
  status: number;
  /** The status message: safe to show, as the server sent it. */
  message: string;
  /** One violation per `BadRequest` field violation; undefined when there are none. */
  details: FieldViolation[] | undefined;
  /** The server's request id (`RequestInfo`, or the `x-request-id` trailer). */
  requestId: string | undefined;
  /** `RetryInfo`'s delay in whole seconds (rounded up). */
  retryAfterSeconds: number | undefined;
}

/** The part of a grpc-js `ServiceError` (or a status object) this reads. */
interface ServiceErrorLike {
  code: number;
  details?: unknown;
  message?: unknown;
  metadata?: { get(key: string): unknown[] };
}

function firstOf(metadata: ServiceErrorLike['metadata'], key: string): unknown {
  try {
    return metadata?.get(key)[0];
  } catch {
    return undefined;
  }
}

/** `Duration` as whole seconds, rounded up (a retry must not come early); undefined if not > 0. */
function seconds(duration: { seconds?: number; nanos?: number } | undefined): number | undefined {
  if (duration === undefined) {
    return undefined;
  }
  const total = Math.ceil((duration.seconds ?? 0) + (duration.nanos ?? 0) / 1e9);
  return Number.isFinite(total) && total > 0 ? total : undefined;
}

/**
 * Reads the error of a gRPC call — a grpc-js `ServiceError`, as a client's callback, promise or
 * observable gets it — back into what the service meant: its code, HTTP status, message, field
 * violations, request id and retry delay, from the AIP-193 `grpc-status-details-bin` trailer
 * (decoded with protobufjs) and the `x-request-id` trailer. A service that sends no details still
 * gives its gRPC code's status and generic code. Undefined for anything that is not a gRPC error
 * (no numeric code 1–16), so a caller can rethrow the original.
 *
 * @example
 * // a Nest client of another service rethrows its error as the same typed error
 * catchError((thrown) => {
 *   const error = parseGrpcError(thrown);
 *   if (error === undefined) return throwError(() => thrown);
 *   const Known = errorCatalog().find((entry) => entry.code === error.code)?.exceptionClass;
 *   return throwError(() =>
 *     Known !== undefined
 *       ? new Known({ message: error.message, details: error.details })
 *       : new HttpException(error.message, error.status),
 *   );
 * })
 */
export function parseGrpcError(error: unknown): ParsedGrpcError | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const { code, details, message, metadata } = error as ServiceErrorLike;
  if (!isGrpcErrorCode(code)) {
    return undefined;
  }
  const trailer = firstOf(metadata, GRPC_STATUS_DETAILS_TRAILER);
  const rich = trailer instanceof Uint8Array ? decodeGrpcStatus(trailer) : undefined;
  const info = rich?.details.ErrorInfo;
  const declared = Number(info?.metadata?.statusCode);
  const status = isErrorStatus(declared) ? declared : statusForGrpcCode(code);
  const violations = rich?.details.BadRequest?.fieldViolations;
  const trailerId = firstOf(metadata, 'x-request-id');
  const requestId =
    rich?.details.RequestInfo?.requestId ??
    (typeof trailerId === 'string' && REQUEST_ID_PATTERN.test(trailerId) ? trailerId : undefined);
  return {
    code:
      typeof info?.reason === 'string' && info.reason !== ''
        ? info.reason
        : genericCodeForStatus(status),
    status,
    // grpc-js puts the status message in `details`; `message` is `<code> <NAME>: <details>`.
    message:
      typeof details === 'string'
        ? details
        : (rich?.message ?? (typeof message === 'string' ? message : '')),
    details:
      violations === undefined || violations.length === 0
        ? undefined
        : violations.map(({ field, description }) => ({
            path: field ?? '',
            message: description ?? '',
          })),
    requestId,
    retryAfterSeconds: seconds(rich?.details.RetryInfo?.retryDelay),
  };
}
