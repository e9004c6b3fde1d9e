import { describe, expect, it } from 'vitest';
import type { ErrorContext } from '../core/api-error.interface.js';
import { timestampedFormat } from '../formats/timestamped.format.js';
import { tracedFormat } from '../formats/traced.format.js';
import { fallbackOutput } from './error-output.js';
import type { WsExchange } from './error-exchange.js';
import type { ErrorOutput } from './error-writer.interface.js';
import { WsErrorWriter } from './ws.writer.js';

const settings = {
  requestId: { enabled: true, header: 'x-request-id', generate: undefined, trustIncoming: true },
  docsBaseUrl: undefined,
};

/** A WebSocket message's exchange, as `exchangeOf` reads Nest's (client, data, ack?, pattern). */
function host(client: object, third: unknown): WsExchange {
  return { transport: 'ws', client, pattern: 'flows.get', ack: third };
}

function socketIo(headers: Record<string, string> = {}) {
  const emitted: unknown[] = [];
  return {
    emitted,
    handshake: { headers },
    emit: (_: string, payload: unknown) => emitted.push(payload),
  };
}

function output(context: ErrorContext, format = timestampedFormat): ErrorOutput {
  return { ...fallbackOutput(context), format, body: { statusCode: 500, message: 'x' } };
}

describe('WsErrorWriter', () => {
  const writer = new WsErrorWriter();

  it('takes the request id from the socket.io handshake, once per connection', () => {
    const client = socketIo({ 'x-request-id': 'hs-1' });
    expect(writer.context(host(client, undefined), settings).requestId).toBe('hs-1');
    const other = socketIo();
    const first = writer.context(host(other, undefined), settings).requestId;
    expect(writer.context(host(other, undefined), settings).requestId).toBe(first);
    expect(first).not.toBe('hs-1');
  });

  it('adds requestId where the format carries no id, and calls the ack the client asked for', () => {
    const client = socketIo();
    const acked: unknown[] = [];
    const context = writer.context(host(client, undefined), settings);
    writer.write(
      host(client, (payload: unknown) => acked.push(payload)),
      output(context),
    );
    const payload = { statusCode: 500, message: 'x', requestId: context.requestId };
    expect(client.emitted).toEqual([payload]);
    expect(acked).toEqual([payload]);
  });

  it('sends the body as it is when the format carries the id; no ack without one', () => {
    const client = socketIo();
    const context = writer.context(host(client, undefined), settings);
    writer.write(host(client, 'flows.get'), output(context, tracedFormat));
    expect(client.emitted).toEqual([{ statusCode: 500, message: 'x' }]);
  });
});
