import { type ArgumentsHost, NotFoundException } from '@nestjs/common';

/** What Nest's transports answer a request no handler matches (`NO_MESSAGE_HANDLER`). */
export const NO_MESSAGE_HANDLER =
  'There is no matching message handler defined in the remote service.';

/**
 * The transports whose request path was read for this (`Transport` of @nestjs/microservices): on
 * each, a request without a handler gets `NO_MESSAGE_HANDLER` as a bare string, and an event goes
 * through `handleEvent`. RabbitMQ (which also nacks that message) and gRPC (whose services are
 * static) are left as they are, as are custom strategies.
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

/** An RPC `ArgumentsHost` for a message no handler took: `[data, context]`. */
function rpcHost(data: unknown, context: unknown): ArgumentsHost {
  const args = [data, context];
  const unsupported = () => {
    throw new Error('Not an HTTP or WebSocket context');
  };
  return {
    getType: <T extends string>() => 'rpc' as T,
    getArgs: <T extends unknown[]>() => args as T,
    getArgByIndex: <T>(index: number) => args[index] as T,
    switchToRpc: () => ({ getData: <T>() => data as T, getContext: <T>() => context as T }),
    switchToHttp: unsupported,
    switchToWs: unsupported,
  };
}

const answered = new WeakSet<object>();

/**
 * Makes a microservice answer a request for an unknown pattern through `answer` (the error
 * pipeline: a 404 in the format, with the message's request id) instead of Nest's bare string.
 * Nest answers unknown patterns before any filter could; the one seam is the server's handler
 * lookup, so this server's `getHandlerByPattern` gives requests without a handler one that
 * answers 404. Events keep Nest's behaviour (logged, no answer): the lookup `handleEvent` makes
 * still finds nothing.
 */
export function answerUnknownPatterns(
  server: unknown,
  answer: (exception: unknown, host: ArgumentsHost) => unknown,
): void {
  const target = server as Partial<ServerLike> | null;
  if (
    typeof target !== 'object' ||
    target === null ||
    answered.has(target) ||
    !ANSWERED_TRANSPORTS.has(target.transportId) ||
    typeof target.getHandlerByPattern !== 'function' ||
    typeof target.handleEvent !== 'function'
  ) {
    return;
  }
  answered.add(target);
  const lookup = target.getHandlerByPattern;
  const handleEvent = target.handleEvent;
  const notFound: Handler = (data, context) =>
    answer(new NotFoundException(NO_MESSAGE_HANDLER), rpcHost(data, context));
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
}
