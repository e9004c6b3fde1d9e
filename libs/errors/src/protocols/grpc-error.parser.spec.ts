import { describe, expect, it } from 'vitest';
import { encodeGrpcStatus } from './grpc.details.js';
import { parseGrpcError } from './grpc-error.parser.js';

/** A grpc-js ServiceError as a client gets it: the status, and the trailers. */
function serviceError(code: number, details: string, trailers: Record<string, unknown> = {}) {
  return Object.assign(new Error(`${code} X: ${details}`), {
    code,
    details,
    metadata: { get: (key: string) => (key in trailers ? [trailers[key]] : []) },
  });
}

describe('parseGrpcError', () => {
  it('reads every detail back', () => {
    const bin = encodeGrpcStatus({
      code: 3,
      message: 'Validation failed',
      details: {
        ErrorInfo: {
          reason: 'VALIDATION_ERROR',
          domain: 'hero.HeroService',
          metadata: { category: 'VALIDATION', statusCode: '400' },
        },
        BadRequest: {
          fieldViolations: [
            { field: 'name', description: 'name must be a string' },
            { description: 'body is empty' },
          ],
        },
        RetryInfo: { retryDelay: { seconds: 2, nanos: 500_000_000 } },
        RequestInfo: { requestId: 'req-9' },
      },
    });
    expect(
      parseGrpcError(serviceError(3, 'Validation failed', { 'grpc-status-details-bin': bin })),
    ).toEqual({
      code: 'VALIDATION_ERROR',
      status: 400,
      message: 'Validation failed',
      details: [
        { path: 'name', message: 'name must be a string' },
        { path: '', message: 'body is empty' },
      ],
      requestId: 'req-9',
      // Rounded up: a retry must not come early.
      retryAfterSeconds: 3,
    });
  });

  it("another service's error without details: its code's status and generic code", () => {
    expect(
      parseGrpcError(serviceError(14, 'connection refused', { 'x-request-id': 'up-1' })),
    ).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      message: 'connection refused',
      details: undefined,
      requestId: 'up-1',
      retryAfterSeconds: undefined,
    });
  });

  it('details that do not decode, and an id that is not well-formed, are left out', () => {
    expect(
      parseGrpcError(
        serviceError(5, 'gone', {
          'grpc-status-details-bin': Buffer.from([0xff, 0xff, 0xff]),
          'x-request-id': 'bad id\r\n',
        }),
      ),
    ).toEqual({
      code: 'NOT_FOUND',
      status: 404,
      message: 'gone',
      details: undefined,
      requestId: undefined,
      retryAfterSeconds: undefined,
    });
  });

  it('undefined for anything that is not a gRPC error', () => {
    for (const value of [
      new Error('x'),
      null,
      'x',
      { code: 0 },
      { code: 'ENOENT' },
      { code: 17 },
    ]) {
      expect(parseGrpcError(value)).toBeUndefined();
    }
  });
});
