import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { fallbackOutput } from './error-output.js';
import { RpcErrorWriter, rpcMessageHeaders } from './rpc.writer.js';

const NAMES = ['x-request-id', 'traceparent'];

describe('rpcMessageHeaders: the request id headers of a message, whatever its transport', () => {
  it('TCP and Redis: the metadata a ClientProxy dispatch hook attached, any case', () => {
    const context = { getPattern: () => 'p', getMetadata: () => ({ 'X-Request-Id': 'abc' }) };
    expect(rpcMessageHeaders(context, NAMES)).toEqual({
      'x-request-id': 'abc',
      traceparent: undefined,
    });
  });

  it('NATS: MsgHdrs, read with get()', () => {
    const headers = new Map([['traceparent', 't-1']]);
    const context = { getHeaders: () => ({ get: (name: string) => headers.get(name) ?? '' }) };
    expect(rpcMessageHeaders(context, NAMES)).toEqual({ 'x-request-id': '', traceparent: 't-1' });
  });

  it('RabbitMQ: the properties headers of the message', () => {
    const context = { getMessage: () => ({ properties: { headers: { 'x-request-id': 'r-1' } } }) };
    expect(rpcMessageHeaders(context, NAMES)?.['x-request-id']).toBe('r-1');
  });

  it('Kafka: the message headers, as Buffers', () => {
    const context = { getMessage: () => ({ headers: { 'x-request-id': Buffer.from('k-1') } }) };
    expect(rpcMessageHeaders(context, NAMES)?.['x-request-id']).toBe('k-1');
  });

  it('MQTT: the MQTT 5 user properties of the packet', () => {
    const context = {
      getTopic: () => 'reports/get',
      getPacket: () => ({ properties: { userProperties: { 'X-Request-Id': 'm-1' } } }),
    };
    expect(rpcMessageHeaders(context, NAMES)?.['x-request-id']).toBe('m-1');
    // MQTT 3.1.1 packets have no properties.
    expect(rpcMessageHeaders({ getPacket: () => ({ topic: 't' }) }, NAMES)).toEqual({
      'x-request-id': undefined,
      traceparent: undefined,
    });
  });

  it("gRPC: the call's Metadata, whose get() gives a list", () => {
    const context = { get: (name: string) => (name === 'x-request-id' ? ['g-1'] : []) };
    expect(rpcMessageHeaders(context, NAMES)?.['x-request-id']).toBe('g-1');
  });

  it('nothing from a context without headers, or a value that is not text', () => {
    expect(rpcMessageHeaders(undefined, NAMES)).toBeUndefined();
    expect(rpcMessageHeaders({ getPattern: () => 'p' }, NAMES)).toBeUndefined();
    expect(
      rpcMessageHeaders({ getMetadata: () => ({ 'x-request-id': { id: 1 } }) }, NAMES),
    ).toEqual({ 'x-request-id': undefined, traceparent: undefined });
  });
});

describe('RpcErrorWriter.writeFallback: nothing of the usual path, which may be what failed', () => {
  const writer = new RpcErrorWriter({
    requestId: { enabled: true, header: 'x-request-id', generate: undefined, trustIncoming: true },
    grpc: { domain: undefined },
  });

  it('a gRPC call ends INTERNAL, redacted, without touching its metadata', async () => {
    const metadata = {
      get: () => [],
      add: () => {
        throw new Error('metadata is what failed');
      },
    };
    const call = { getPath: () => '/hero.HeroService/FindOne', metadata };
    const result = writer.writeFallback(
      { transport: 'rpc', context: metadata, args: [{}, metadata, call] },
      fallbackOutput(undefined),
    );
    await expect(firstValueFrom(result)).rejects.toEqual({
      code: 13,
      details: 'Internal server error',
      message: 'Internal server error',
      metadata: undefined,
    });
  });

  it('other transports get the fallback body', async () => {
    const result = writer.writeFallback(
      { transport: 'rpc', context: {}, args: [{}, {}] },
      fallbackOutput(undefined),
    );
    await expect(firstValueFrom(result)).rejects.toEqual({
      statusCode: 500,
      message: 'Internal server error',
    });
  });
});
