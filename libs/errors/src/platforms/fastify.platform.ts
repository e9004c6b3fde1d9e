import type { IncomingMessage } from 'node:http';
import type { ServerResponse } from 'node:http';
import {
  REQUEST_ID_PATTERN,
  type RequestIdSettings,
  resolveRequestId,
} from '../core/request-id.resolver.js';
import {
  BODY_HEADERS,
  type HttpPlatformWriter,
  hasOccasionalHeaders,
  occasionalHeaders,
} from './http-response.js';
import { endStarted, writeNodeError } from './node-http.platform.js';

/**
 * Fastify (through Nest's `FastifyAdapter`): how errors are written, where the request id is set,
 * router errors Fastify answers before any hook, its own `clientError` answer, and which route a
 * failed request had reached.
 *
 * Public APIs first: `reply`, `setGenReqId`, `addHook('onRequest')`, `request.routeOptions`
 * (`config`, filled from Nest's `@RouteConfig()` metadata, and `url`), `request.server`. Private,
 * feature-detected by `detectFastifyInternals` at start-up and pinned by this file's spec: the
 * instance's options and error handler symbols and a request's route context
 * (`routeFastifyFrameworkErrors`), and the name of Fastify's default `clientError` listener
 * (`removeFastifyClientErrorHandler`).
 */

interface FastifyReplyLike {
  sent: boolean;
  raw: ServerResponse;
  code(status: number): FastifyReplyLike;
  getHeader(name: string): unknown;
  header(name: string, value: string): FastifyReplyLike;
  removeHeader(name: string): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
}

/**
 * Through the reply, so `onSend`/`onResponse` hooks and Fastify's logging still run. A string body
 * with a JSON content type is sent as it is, not serialized again. An error thrown in a Nest
 * middleware comes with Node's response instead (middie runs before Fastify has a reply): that
 * one is written as on Express.
 */
export const writeFastifyError: HttpPlatformWriter = (response, error) => {
  if ((response as Partial<FastifyReplyLike>).raw === undefined) {
    return writeNodeError(response, error);
  }
  const reply = response as FastifyReplyLike;
  if (reply.raw.destroyed) {
    return 'gone';
  }
  if (reply.sent || reply.raw.headersSent) {
    return endStarted(reply.raw);
  }
  reply.code(error.status);
  for (const name of BODY_HEADERS) {
    reply.removeHeader(name);
  }
  // The headers of every error written straight on the reply, whose header names are lower-case
  // (what `standardHeaders` sets, without a callback per error); the id the request-id hook put
  // on the reply is not set again.
  reply.header('content-type', error.contentType);
  reply.header('cache-control', 'no-store');
  const { requestIdHeader } = error;
  if (requestIdHeader !== undefined && reply.getHeader(requestIdHeader) !== error.requestId) {
    reply.header(requestIdHeader, error.requestId);
  }
  if (hasOccasionalHeaders(error)) {
    occasionalHeaders(
      error,
      (name, value) => reply.header(name, value),
      (name) => reply.getHeader(name),
    );
  }
  reply.send(error.body);
  return 'sent';
};

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
 * The request id: Fastify's own request id becomes it (so Fastify's logs carry it too, and a
 * GraphQL context can read it from the request), and an `onRequest` hook echoes it. Nest
 * middleware on Fastify runs through middie, which costs far more per request than the id
 * itself. Fastify runs `onRequest` hooks for unknown routes too.
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

/** A private symbol of Fastify, found by its description (Fastify does not export them). */
function ownSymbol(target: object, description: string): symbol | undefined {
  return Object.getOwnPropertySymbols(target).find((symbol) => symbol.description === description);
}

type FrameworkErrorsHandler = (
  error: Error,
  request: object,
  reply: { send(p: unknown): unknown },
) => unknown;

/**
 * Whether this Fastify keeps its options and error handler where `routeFastifyFrameworkErrors`
 * reads them.
 */
export function detectFastifyInternals(fastify: object): boolean {
  const kOptions = ownSymbol(fastify, 'fastify.options');
  const options =
    kOptions === undefined ? undefined : (fastify as Record<symbol, unknown>)[kOptions];
  return (
    typeof options === 'object' &&
    options !== null &&
    ownSymbol(fastify, 'fastify.errorHandler') !== undefined
  );
}

/**
 * Fastify answers a URL it cannot decode (`FST_ERR_BAD_URL`, 400) and a route parameter over
 * `maxParamLength` (`FST_ERR_MAX_PARAM_LENGTH`, 414) from its router, before any hook runs, through
 * `frameworkErrors`. Nest's FastifyAdapter passes one that sends the error (`reply.send(error)`),
 * but Fastify builds those requests on a context created with the instance, whose error handler
 * is the one of that moment: Fastify's default, not the one Nest sets later with
 * `setErrorHandler()`. So the error never reaches Nest's exception layer.
 *
 * Fastify reads `frameworkErrors` from its options object each time: wrapped there, it points that
 * context at the instance's current error handler (Nest's, and so the error pipeline) before the
 * handler it wraps (Nest's, which also adds the security headers) sends the error. Returns false,
 * changing nothing, when Fastify does not keep them where Fastify 5 does.
 */
export function routeFastifyFrameworkErrors(fastify: object): boolean {
  if (!detectFastifyInternals(fastify)) {
    return false;
  }
  const kOptions = ownSymbol(fastify, 'fastify.options')!;
  const kErrorHandler = ownSymbol(fastify, 'fastify.errorHandler')!;
  const holder = (fastify as Record<symbol, { frameworkErrors?: FrameworkErrorsHandler }>)[
    kOptions
  ]!;
  const wrapped = holder.frameworkErrors;
  let kRouteContext: symbol | undefined;
  holder.frameworkErrors = function errorsFrameworkErrors(error, request, reply) {
    kRouteContext ??= ownSymbol(request, 'fastify.context');
    const context =
      kRouteContext === undefined ? undefined : (request as Record<symbol, unknown>)[kRouteContext];
    if (typeof context === 'object' && context !== null && 'errorHandler' in context) {
      (context as { errorHandler: unknown }).errorHandler = (fastify as Record<symbol, unknown>)[
        kErrorHandler
      ];
    }
    if (typeof wrapped === 'function') {
      return wrapped.call(this, error, request, reply);
    }
    return reply.send(error);
  };
  return true;
}

/** The name Fastify's default `clientError` listener has once Fastify binds it to the instance. */
const FASTIFY_DEFAULT_CLIENT_ERROR_HANDLER = 'bound defaultClientErrorHandler';

interface ClientErrorListeners {
  listeners(event: 'clientError'): Function[];
  removeListener(event: 'clientError', listener: Function): unknown;
}

/**
 * Fastify listens to its server's `clientError` from its construction, with a default that writes
 * its own 400 (its `clientErrorHandler` option). The default is removed so that the documented
 * answer can be given; a handler the application passed as that option is left alone. Returns
 * whether the default was found (false: another listener, or none, is there).
 */
export function removeFastifyClientErrorHandler(server: ClientErrorListeners): boolean {
  let removed = false;
  for (const listener of server.listeners('clientError')) {
    if (listener.name === FASTIFY_DEFAULT_CLIENT_ERROR_HANDLER) {
      server.removeListener('clientError', listener);
      removed = true;
    }
  }
  return removed;
}

/**
 * Where what is bound to a route (its declared error format and errors) travels on Fastify: Nest
 * passes a handler's `@RouteConfig()` metadata to Fastify as the route's `config`, which each
 * request exposes (`request.routeOptions.config`).
 */
const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';
const ROUTE_CONFIG_BINDING = 'nestApiErrors';

/** Records `binding` in the route config Nest gives Fastify for this handler (before routing). */
export function declareFastifyRouteBinding(handler: object, binding: object): void {
  const config: unknown = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler);
  Reflect.defineMetadata(
    FASTIFY_ROUTE_CONFIG_METADATA,
    {
      ...(typeof config === 'object' && config !== null ? config : {}),
      [ROUTE_CONFIG_BINDING]: binding,
    },
    handler,
  );
}

/** The part of `request.routeOptions` read here. */
interface RouteOptions {
  config?: Record<string, unknown>;
  url?: unknown;
}

/** The route options of a request, or undefined for one Fastify never routed. */
function routeOptionsOf(request: unknown): RouteOptions | undefined {
  try {
    return (request as { routeOptions?: RouteOptions } | undefined)?.routeOptions;
  } catch {
    // A request Fastify never routed has no route context for the getter to read.
    return undefined;
  }
}

/** What was bound to the route a request reached, or undefined. */
export function fastifyRouteBinding<Binding extends object>(request: unknown): Binding | undefined {
  return routeOptionsOf(request)?.config?.[ROUTE_CONFIG_BINDING] as Binding | undefined;
}

/**
 * The pattern of the route a request reached (`request.routeOptions.url`: `/api/v1/files/:id`,
 * prefixes included); undefined for unknown routes and for the raw request a Nest middleware gets.
 */
export function fastifyRoutePattern(request: unknown): string | undefined {
  const url = routeOptionsOf(request)?.url;
  return typeof url === 'string' ? url : undefined;
}

/** The Fastify instance a request was routed in (`request.server`; encapsulated ones inherit). */
export function fastifyApplicationOf(request: unknown): object | undefined {
  const server = (request as { server?: unknown } | undefined)?.server;
  return typeof server === 'object' && server !== null ? server : undefined;
}
