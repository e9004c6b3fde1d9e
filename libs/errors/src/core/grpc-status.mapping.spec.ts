import { describe, expect, it } from 'vitest';
import {
  GRPC_STATUS_NAMES,
  grpcCodeForStatus,
  isGrpcErrorCode,
  statusForGrpcCode,
} from './grpc-status.mapping.js';

describe('gRPC status mapping (README § Protocols, gRPC)', () => {
  it.each([
    [400, 'INVALID_ARGUMENT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'PERMISSION_DENIED'],
    [404, 'NOT_FOUND'],
    [409, 'ALREADY_EXISTS'],
    [429, 'RESOURCE_EXHAUSTED'],
    [499, 'CANCELLED'],
    [501, 'UNIMPLEMENTED'],
    [503, 'UNAVAILABLE'],
    [504, 'DEADLINE_EXCEEDED'],
    [405, 'FAILED_PRECONDITION'],
    [413, 'FAILED_PRECONDITION'],
    [422, 'FAILED_PRECONDITION'],
    [500, 'INTERNAL'],
    [502, 'INTERNAL'],
    [599, 'INTERNAL'],
  ])('HTTP %i is %s', (status, name) => {
    expect(GRPC_STATUS_NAMES[grpcCodeForStatus(status)]).toBe(name);
  });

  it('never UNKNOWN or OK for an HTTP error status', () => {
    for (let status = 400; status <= 599; status++) {
      expect([0, 2]).not.toContain(grpcCodeForStatus(status));
    }
  });

  it("each gRPC error code's HTTP status, as google.rpc.Code documents it", () => {
    expect(
      Object.fromEntries(
        GRPC_STATUS_NAMES.slice(1).map((name, index) => [name, statusForGrpcCode(index + 1)]),
      ),
    ).toEqual({
      CANCELLED: 499,
      UNKNOWN: 500,
      INVALID_ARGUMENT: 400,
      DEADLINE_EXCEEDED: 504,
      NOT_FOUND: 404,
      ALREADY_EXISTS: 409,
      PERMISSION_DENIED: 403,
      RESOURCE_EXHAUSTED: 429,
      FAILED_PRECONDITION: 400,
      ABORTED: 409,
      OUT_OF_RANGE: 400,
      UNIMPLEMENTED: 501,
      INTERNAL: 500,
      UNAVAILABLE: 503,
      DATA_LOSS: 500,
      UNAUTHENTICATED: 401,
    });
  });

  it('error codes are the integers 1–16', () => {
    expect([1, 16, 5].every(isGrpcErrorCode)).toBe(true);
    expect([0, 17, 1.5, '5', undefined, Number.NaN].some(isGrpcErrorCode)).toBe(false);
  });
});
