import { NotFoundException } from '@nestjs/common';
import type { RpcExchange } from '../protocols/error-exchange.js';

/**
 * Nest's microservice servers (@nestjs/microservices, an optional peer): a request for a pattern
 * no handler takes is answered by the server itself, with a bare string, before any filter runs.
 * The one seam is the server's handler lookup (`getHandlerByPattern`, `handleEvent` and
 * `transportId` are public members of Nest's `Server`, but not an extension point):
 * `detectMicroserviceInternals` checks them on each server as it is created.
 */

/** What Nest's transports answer a request no handler matches (`NO_MESSAGE_HANDLER`). */
export const NO_MESSAGE_HANDLER =
  'There is no matching message handler defined in the remote service.';

/**
 * The transports whose request path was read for this (`Transport` of @nestjs/microservices): on
 * each, a request without a handler gets `NO_MESSAGE_HANDLER` as a bare string, and an event goes
 * through `handleEvent`. RabbitMQ (which also nacks that message) and gRPC (whose services are
 * static: grpc-js answers UNIMPLEMENTED) are left as they are, as are custom strategies.
 */
const ANSWERED_TRANSPORTS = new Set<unknown>([
  0 /* TCP */, 1 /* REDIS */, 2 /* NATS */, 3 /* MQTT */, 6 /* KAFKA */,
]);

/** The part of a microservice `Server` (@nestjs/microservices) this reads. */
interface ServerLike {
  transportId?: unknown;
  getHandlerByPattern(pattern: string): unknown;
  handleEvent(...args: unknown[]): unknown;
}

type Handler = ((data: unknown, context: unknown) => unknown) & { isEventHandler?: boolean };

/** Whether unknown patterns can be answered on this server (and it is a transport that replies). */
export function detectMicroserviceInternals(
  server: unknown,
): 'answerable' | 'not-replying' | 'missing' {
  const target = server as Partial<ServerLike> | null;
  if (typeof target !== 'object' || target === null) {
    return 'missing';
  }
  if (!ANSWERED_TRANSPORTS.has(target.transportId)) {
    return 'not-replying';
  }
  return typeof target.getHandlerByPattern === 'function' &&
    typeof target.handleEvent === 'function'
    ? 'answerable'
    : 'missing';
}

const answered = new WeakSet<object>();

/**
 * Makes a microservice answer a request for an unknown pattern through `answer` (the error
 * pipeline: a 404 in the format, with the message's request id) instead of Nest's bare string:
 * this server's `getHandlerByPattern` gives requests without a handler one that answers 404.
 * Events keep Nest's behaviour (logged, no answer): the lookup `handleEvent` makes still finds
 * nothing. Returns false, changing nothing, where `detectMicroserviceInternals` says no.
 */
export function answerUnknownPatterns(
  server: unknown,
  answer: (exception: unknown, exchange: RpcExchange) => unknown,
): boolean {
  if (detectMicroserviceInternals(server) !== 'answerable') {
    return false;
  }
  const target = server as ServerLike;
  if (answered.has(target)) {
    return true;
  }
  answered.add(target);
  const lookup = target.getHandlerByPattern;
  const handleEvent = target.handleEvent;
  const notFound: Handler = (data, context) =>
    answer(new NotFoundException(NO_MESSAGE_HANDLER), {
      transport: 'rpc',
      context,
      args: [data, context],
    });
  notFound.isEventHandler = false;
  let inEvent = 0;
  target.getHandlerByPattern = function (this: unknown, pattern: string) {
    return lookup.call(this, pattern) ?? (inEvent > 0 ? null : notFound);
  };
  // Every transport's handleEvent looks its handler up before its first await.
  target.handleEvent = function (this: unknown, ...args: unknown[]) {
    inEvent++;
    try {
      return handleEvent.apply(this, args);
    } finally {
      inEvent--;
    }
  };
  return true;
}
