import { RpcException } from '@nestjs/microservices';
import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { errorOfStatus } from '../core/error.normalizer.js';
import type { ErrorOutput } from './error-writer.interface.js';
import { decodeGrpcStatus } from './grpc.details.js';
import {
  type GrpcCallLike,
  MAX_GRPC_MESSAGE_LENGTH,
  clientGoneError,
  grpcStatusError,
} from './grpc.status.js';

/** grpc-js's Metadata, as far as the status reads it: a list of values per key. */
class FakeMetadata {
  readonly entries = new Map<string, unknown[]>();
  get(key: string): unknown[] {
    return this.entries.get(key) ?? [];
  }
  add(key: string, value: unknown): void {
    this.entries.set(key, [...this.get(key), value]);
  }
}

function callOf(overrides: Partial<GrpcCallLike> = {}): GrpcCallLike {
  return {
    getPath: () => '/hero.HeroService/FindOne',
    metadata: new FakeMetadata(),
    ...overrides,
  };
}

const CONTEXT: ErrorContext = {
  requestId: 'req-1',
  method: 'RPC',
  path: '/hero.HeroService/FindOne',
  timestamp: '2026-02-17T09:18:05.040Z',
  protocol: 'rpc',
  docsBaseUrl: undefined,
};

function outputOf(error: ApiError, context: ErrorContext = CONTEXT): ErrorOutput {
  return {
    error,
    context,
    format: undefined,
    status: error.status,
    contentType: 'application/json; charset=utf-8',
    body: {},
    text: '{}',
    headers: undefined,
  };
}

const SETTINGS = { domain: undefined, requestIdHeader: 'x-request-id' };

describe('grpcStatusError', () => {
  it('the status of the HTTP status, the message, and both trailers', () => {
    const status = grpcStatusError(
      outputOf(errorOfStatus(404, 'Hero 7 not found', undefined, 'HERO_NOT_FOUND')),
      callOf(),
      SETTINGS,
    );
    expect(status).toMatchObject({
      code: 5,
      details: 'Hero 7 not found',
      message: 'Hero 7 not found',
    });
    const metadata = status.metadata as unknown as FakeMetadata;
    expect(metadata).toBeInstanceOf(FakeMetadata);
    expect(metadata.get('x-request-id')).toEqual(['req-1']);
    expect(decodeGrpcStatus(metadata.get('grpc-status-details-bin')[0] as Buffer)).toEqual({
      code: 5,
      message: 'Hero 7 not found',
      details: {
        ErrorInfo: {
          reason: 'HERO_NOT_FOUND',
          domain: 'hero.HeroService',
          metadata: { category: 'NOT_FOUND', statusCode: '404' },
        },
        RequestInfo: { requestId: 'req-1' },
      },
    });
  });

  it("keeps an RpcException's gRPC code, but never UNKNOWN", () => {
    const named = (code: number, status: number) =>
      grpcStatusError(
        outputOf(errorOfStatus(status, 'x', new RpcException({ code, message: 'x' }))),
        callOf(),
        SETTINGS,
      ).code;
    expect(named(10, 409)).toBe(10);
    expect(named(15, 500)).toBe(15);
    expect(named(2, 500)).toBe(13);
  });

  it('cuts a huge message, never inside a surrogate pair', () => {
    const huge = grpcStatusError(
      outputOf(errorOfStatus(400, 'x'.repeat(5000), undefined)),
      callOf(),
      SETTINGS,
    );
    expect(huge.details).toHaveLength(MAX_GRPC_MESSAGE_LENGTH);
    expect(huge.details.endsWith('…')).toBe(true);
    const emoji = grpcStatusError(
      outputOf(errorOfStatus(400, `${'x'.repeat(MAX_GRPC_MESSAGE_LENGTH - 2)}😀😀`, undefined)),
      callOf(),
      SETTINGS,
    );
    expect(emoji.details).toBe(`${'x'.repeat(MAX_GRPC_MESSAGE_LENGTH - 2)}…`);
  });

  it('no request id trailer with requestId: false; the domain option wins', () => {
    const status = grpcStatusError(outputOf(errorOfStatus(409, 'Taken', undefined)), callOf(), {
      domain: 'heroes.example.com',
      requestIdHeader: undefined,
    });
    const metadata = status.metadata as unknown as FakeMetadata;
    expect(metadata.get('x-request-id')).toEqual([]);
    expect(
      decodeGrpcStatus(metadata.get('grpc-status-details-bin')[0] as Buffer)?.details.ErrorInfo,
    ).toEqual({
      reason: 'CONFLICT',
      domain: 'heroes.example.com',
      metadata: { category: 'CONFLICT', statusCode: '409' },
    });
  });
});

describe('grpcStatusError without protobufjs (an optional peer)', () => {
  it('the status, message and request id still leave; one warning names what is missing', async () => {
    vi.resetModules();
    vi.doMock('node:module', async (importOriginal) => ({
      ...(await importOriginal<typeof import('node:module')>()),
      createRequire: () => () => {
        throw new Error("Cannot find module 'protobufjs/light'");
      },
    }));
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { grpcStatusError: withoutProtobuf } = await import('./grpc.status.js');
      for (let call = 0; call < 2; call++) {
        const status = withoutProtobuf(
          outputOf(errorOfStatus(404, 'Hero 7 not found', undefined)),
          callOf(),
          SETTINGS,
        );
        expect(status.code).toBe(5);
        expect(status.details).toBe('Hero 7 not found');
        const metadata = status.metadata as unknown as FakeMetadata;
        expect([...metadata.entries.keys()]).toEqual(['x-request-id']);
      }
      expect(warn.mock.calls).toEqual([
        [
          'protobufjs is not installed: gRPC errors leave without grpc-status-details-bin (npm install protobufjs)',
        ],
      ]);
    } finally {
      warn.mockRestore();
      vi.doUnmock('node:module');
      vi.resetModules();
    }
  });
});

describe('clientGoneError', () => {
  it('nothing while the call is live', () => {
    expect(clientGoneError(callOf({ cancelled: false }), new Error('x'))).toBeUndefined();
  });

  it('a 499 naming what ended the call, the thrown value as its cause', () => {
    const thrown = new Error('late');
    expect(
      clientGoneError(callOf({ cancelled: true, getDeadline: () => Infinity }), thrown),
    ).toEqual(errorOfStatus(499, 'Cancelled by the client', thrown));
    expect(
      clientGoneError(
        callOf({ cancelled: true, getDeadline: () => new Date(Date.now() - 1) }),
        thrown,
      ),
    ).toEqual(errorOfStatus(499, 'Deadline exceeded', thrown));
  });
});
