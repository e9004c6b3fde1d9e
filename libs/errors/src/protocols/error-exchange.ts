import type { ArgumentsHost } from '@nestjs/common';
import type { Duplex } from 'node:stream';
import type { RequestHeaders, RequestLike } from '../core/request-id.resolver.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';

/**
 * One failed exchange, however it reached the pipeline: what the pipeline's writers need to learn
 * about the request (step 2) and to deliver the error (step 5). Nest's `ArgumentsHost` is read
 * once, by `exchangeOf`; the errors Nest never routes (a request the HTTP parser refused, an
 * unknown microservice pattern, an SSE stream that failed after its headers) are described as
 * what they are, not dressed up as a host.
 */
export type ErrorExchange =
  | HttpExchange
  | RawHttpExchange
  | SseExchange
  | GraphQLExchange
  | RpcExchange
  | WsExchange
  | BackgroundExchange;

/**
 * An HTTP request Nest handed to its exception layer (routed, unknown, or refused by a parser),
 * or one Node's server refused before any framework saw it (no Host, an unknown Expect), with
 * Node's own request and response.
 */
export interface HttpExchange {
  readonly transport: 'http';
  readonly request: RequestLike | undefined;
  /** Express's response, a Fastify reply, or Node's response (a Nest middleware on Fastify). */
  readonly response: unknown;
}

/**
 * A request Node's HTTP parser refused (`clientError`): no request object exists, only what the
 * parser had read, and the socket the answer is written on.
 */
export interface RawHttpExchange {
  readonly transport: 'raw-http';
  readonly request: {
    readonly method?: string;
    readonly url?: string;
    readonly headers?: RequestHeaders;
  };
  readonly socket: Duplex;
  /** The id a request-id hook had already given this request, when its headers were read. */
  readonly requestId: string | undefined;
}

/** An `@Sse()` stream that failed after its headers were sent: the answer is its last event. */
export interface SseExchange {
  readonly transport: 'sse';
  readonly request: RequestLike | undefined;
  readonly response: unknown;
  /** `UseErrorFormat` of the route's handler or controller, read from its execution context. */
  readonly declaredFormat: ErrorFormat | undefined;
}

/** A GraphQL resolver's error: the answer is an error graphql-js puts in the response. */
export interface GraphQLExchange {
  readonly transport: 'graphql';
  /** The HTTP request of the GraphQL context (`{ req }`), when the app's context keeps it. */
  readonly request: RequestLike | undefined;
}

/** A microservice message: the answer is an observable that errors, sent back by the transport. */
export interface RpcExchange {
  readonly transport: 'rpc';
  /** The transport's context (`TcpContext`, `NatsContext`, …), for the pattern and headers. */
  readonly context: unknown;
  /** The handler's arguments as the transport passed them (gRPC: data, metadata, call). */
  readonly args: readonly unknown[];
}

/** A WebSocket message: the answer is an `exception` event (and the acknowledgement asked for). */
export interface WsExchange {
  readonly transport: 'ws';
  readonly client: unknown;
  /** The message name (`@SubscribeMessage`). */
  readonly pattern: unknown;
  /** socket.io's acknowledgement callback, when the client asked for one. */
  readonly ack: unknown;
}

/**
 * What failed outside a request: an `@OnEvent` listener, a `@Cron`, `@Interval` or `@Timeout`
 * job, or the process itself (an uncaught exception or unhandled rejection, with `processErrors`).
 */
export type BackgroundKind = 'event' | 'cron' | 'interval' | 'timeout' | 'process';

/**
 * An error no request is waiting for: nothing is sent; it is logged and reported like any other,
 * with a new request id.
 */
export interface BackgroundExchange {
  readonly transport: 'background';
  readonly kind: BackgroundKind;
  /** The event (as the listener declares it), the job's name, or the process error's origin. */
  readonly name: string;
}

/**
 * The exchange of an exception Nest's exception layer passes to a filter, read from its host once;
 * undefined for a context this library does not know (it then hands the error back).
 */
export function exchangeOf(host: ArgumentsHost): ErrorExchange | undefined {
  switch (host.getType<string>()) {
    case 'http':
      return {
        transport: 'http',
        request: host.getArgByIndex<RequestLike | undefined>(0),
        response: host.getArgByIndex<unknown>(1),
      };
    case 'graphql':
      // GraphQL resolvers get (root, args, context, info); the app's context keeps `req`.
      return {
        transport: 'graphql',
        request: host.getArgByIndex<{ req?: RequestLike } | undefined>(2)?.req,
      };
    case 'rpc':
      return { transport: 'rpc', context: host.getArgByIndex(1), args: host.getArgs() };
    case 'ws': {
      const args = host.getArgs();
      return {
        transport: 'ws',
        client: args[0],
        // Nest 12 passes the message name last; socket.io's acknowledgement, when asked for, third
        // (on `ws` that slot holds the message name).
        pattern: args[args.length - 1],
        ack: args[2],
      };
    }
    default:
      return undefined;
  }
}
