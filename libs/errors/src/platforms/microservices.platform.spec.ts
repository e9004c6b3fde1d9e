import { NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import type { RpcExchange } from '../protocols/error-exchange.js';
import {
  NO_MESSAGE_HANDLER,
  answerUnknownPatterns,
  detectMicroserviceInternals,
} from './microservices.platform.js';

/** The part of a microservice Server answerUnknownPatterns changes, as Nest's Server has it. */
class FakeServer {
  transportId: unknown = 0;
  readonly handlers = new Map<string, () => string>([['known', () => 'handled']]);
  eventLookups: unknown[] = [];

  getHandlerByPattern(pattern: string): unknown {
    return this.handlers.get(pattern) ?? null;
  }

  async handleEvent(pattern: string): Promise<void> {
    this.eventLookups.push(this.getHandlerByPattern(pattern));
    await Promise.resolve();
  }
}

describe('answerUnknownPatterns', () => {
  const answers: Array<{ exception: unknown; exchange: RpcExchange }> = [];
  const answer = (exception: unknown, exchange: RpcExchange) => {
    answers.push({ exception, exchange });
    return 'answered';
  };

  it('gives a request for an unknown pattern a handler that answers 404 through the pipeline', () => {
    const server = new FakeServer();
    answerUnknownPatterns(server, answer);
    expect((server.getHandlerByPattern('known') as () => string)()).toBe('handled');
    const handler = server.getHandlerByPattern('nope') as ((
      data: unknown,
      ctx: unknown,
    ) => unknown) & {
      isEventHandler: boolean;
    };
    expect(handler.isEventHandler).toBe(false);
    const context = { getPattern: () => 'nope' };
    expect(handler({ id: 1 }, context)).toBe('answered');
    const { exception, exchange } = answers.at(-1)!;
    expect(exception).toBeInstanceOf(NotFoundException);
    expect((exception as NotFoundException).message).toBe(NO_MESSAGE_HANDLER);
    expect(exchange.transport).toBe('rpc');
    expect(exchange.args[0]).toEqual({ id: 1 });
    expect(exchange.context).toBe(context);
  });

  it('leaves an event for an unknown pattern to Nest (no handler found), and is applied once', async () => {
    const server = new FakeServer();
    answerUnknownPatterns(server, answer);
    answerUnknownPatterns(server, answer);
    await server.handleEvent('nope');
    await server.handleEvent('known');
    expect(server.eventLookups[0]).toBeNull();
    expect(server.eventLookups[1]).toBeTypeOf('function');
    // After the event, requests are answered again.
    expect(server.getHandlerByPattern('nope')).toBeTypeOf('function');
  });

  it.each([
    ['RabbitMQ', 5],
    ['gRPC', 4],
    ['a custom strategy', Symbol('custom')],
  ])('leaves %s alone', (_, transportId) => {
    const server = new FakeServer();
    server.transportId = transportId;
    answerUnknownPatterns(server, answer);
    expect(server.getHandlerByPattern('nope')).toBeNull();
  });
});

describe('detectMicroserviceInternals on the installed @nestjs/microservices', () => {
  it('finds the handler lookup on the servers of the transports that reply', async () => {
    const { ServerRedis, ServerTCP } = await import('@nestjs/microservices');
    expect(detectMicroserviceInternals(new ServerTCP({}))).toBe('answerable');
    expect(detectMicroserviceInternals(new ServerRedis({}))).toBe('answerable');
    expect(detectMicroserviceInternals({ transportId: 5 })).toBe('not-replying');
    expect(detectMicroserviceInternals(null)).toBe('missing');
  });
});
