/**
 * gRPC status codes by name (`google.rpc.Code`), as `@grpc/grpc-js`'s `status` enum numbers
 * them. Kept here so the library reads and writes gRPC statuses without importing grpc-js.
 */
export const GRPC_STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export type GrpcStatusName = (typeof GRPC_STATUS_NAMES)[number];

const INVALID_ARGUMENT = 3;
const FAILED_PRECONDITION = 9;
const INTERNAL = 13;

/** The gRPC status each HTTP status means (README § gRPC, after google.rpc.Code's mapping). */
const GRPC_CODE_BY_STATUS: Readonly<Record<number, number>> = {
  400: INVALID_ARGUMENT,
  401: 16,
  403: 7,
  404: 5,
  409: 6,
  429: 8,
  499: 1,
  501: 12,
  503: 14,
  504: 4,
};

/**
 * The HTTP status of each gRPC error code, as google.rpc.Code documents it (`UNKNOWN` and
 * `DATA_LOSS` are server errors: 500).
 */
const STATUS_BY_GRPC_CODE: readonly number[] = [
  200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401,
];

/**
 * The gRPC status an error of this HTTP status leaves with: the table's, else
 * `FAILED_PRECONDITION` for another 4xx and `INTERNAL` for another 5xx. Never `UNKNOWN`.
 */
export function grpcCodeForStatus(status: number): number {
  return GRPC_CODE_BY_STATUS[status] ?? (status >= 500 ? INTERNAL : FAILED_PRECONDITION);
}

/** True for a gRPC error code (1–16): what `RpcException({ code })` may name. */
export function isGrpcErrorCode(code: unknown): code is number {
  return typeof code === 'number' && Number.isInteger(code) && code >= 1 && code <= 16;
}

/** The HTTP status a gRPC error code means (google.rpc.Code's mapping). */
export function statusForGrpcCode(code: number): number {
  return STATUS_BY_GRPC_CODE[code] ?? 500;
}
