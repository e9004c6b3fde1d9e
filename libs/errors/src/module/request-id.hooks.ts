import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  REQUEST_ID_PATTERN,
  type RequestIdSettings,
  resolveRequestId,
} from '../core/request-id.resolver.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/**
 * Gives every request its id before any handler runs, and puts it on every response, success or
 * error, as `X-Request-Id`. The error path then reuses it, so a client, the log and the body
 * (`trace_id`, `requestId`) all see the same id. `ErrorsModule` applies it to every route unless
 * `requestId: false`.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  // Express (and Fastify through middie) hand middleware Node's own request and response.
  readonly use: NodeHandler;

  constructor(@Inject(ERRORS_SETTINGS) settings: ErrorsSettings) {
    this.use = requestIdHandler(settings.requestId);
  }
}

type NodeHandler = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/** Sets the request's id on its response; the error path reads it back (see assignedRequestId). */
function requestIdHandler(settings: RequestIdSettings): NodeHandler {
  const { header } = settings;
  return (request, response, next) => {
    response.setHeader(header, resolveRequestId(request.headers, settings));
    next();
  };
}

interface ExpressLike {
  use(handler: NodeHandler): unknown;
}

/**
 * Express: a plain handler at the front of the app's own stack, not Nest middleware bound to
 * `*path` — that matches a route pattern on every request (a measurable share of a small
 * request's cost) and never matched `/`. Added while the app initializes, before Nest's
 * middleware and routes.
 */
export function addExpressRequestIdHandler(
  express: ExpressLike,
  settings: RequestIdSettings,
): void {
  express.use(requestIdHandler(settings));
}

interface FastifyLike {
  initialConfig?: { requestIdHeader?: unknown };
  setGenReqId(generate: (raw: IncomingMessage) => string): unknown;
  addHook(
    name: 'onRequest',
    hook: (
      request: { id: string; headers: IncomingMessage['headers'] },
      reply: { header(name: string, value: string): unknown },
      done: () => void,
    ) => void,
  ): unknown;
}

/**
 * The same as `RequestIdMiddleware`, for Fastify: Fastify's own request id becomes the request
 * id (so Fastify's logs carry it too, and a GraphQL context can read it from the request), and an
 * `onRequest` hook echoes it. Nest middleware on Fastify runs through middie, which costs far more
 * per request than the id itself. Fastify runs `onRequest` hooks for unknown routes too.
 */
export function addFastifyRequestIdHook(fastify: FastifyLike, settings: RequestIdSettings): void {
  const { header } = settings;
  fastify.setGenReqId((raw) => resolveRequestId(raw.headers, settings));
  // With Fastify's own `requestIdHeader` option set, Fastify takes that header as it came and only
  // calls the generator without one: such ids are checked before they are echoed.
  const checked = Boolean(fastify.initialConfig?.requestIdHeader);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(
      header,
      checked && (!settings.trustIncoming || !REQUEST_ID_PATTERN.test(request.id))
        ? resolveRequestId(request.headers, settings)
        : request.id,
    );
    done();
  });
}
