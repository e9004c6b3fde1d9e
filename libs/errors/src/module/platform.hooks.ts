import { type ArgumentsHost, type ExceptionFilter, HttpException } from '@nestjs/common';
import {
  type IncomingHttpHeaders,
  STATUS_CODES,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { pathWithoutQuery } from '../core/error-context.factory.js';
import { BODY_TOO_LARGE_MESSAGE } from '../core/error.normalizer.js';

/**
 * Errors the platforms answer on their own, before any Nest route, middleware or filter runs, and
 * the seams through which `ErrorsModule` makes them answer with the documented body instead.
 */

// ---------------------------------------------------------------------------------------------
// Fastify: router errors (`frameworkErrors`)
// ---------------------------------------------------------------------------------------------

/**
 * A private symbol of Fastify, found by its description: Fastify is not a dependency of this
 * library, and these symbols are not public. Each lookup is guarded: without it, Fastify keeps
 * its own behaviour.
 */
function ownSymbol(target: object, description: string): symbol | undefined {
  return Object.getOwnPropertySymbols(target).find((symbol) => symbol.description === description);
}

type FrameworkErrorsHandler = (
  error: Error,
  request: object,
  reply: { send(p: unknown): unknown },
) => unknown;

/**
 * Fastify answers a URL it cannot decode (`FST_ERR_BAD_URL`, 400) and a route parameter over
 * `maxParamLength` (`FST_ERR_MAX_PARAM_LENGTH`, 414) from its router, before any hook runs, through
 * `frameworkErrors`. Nest's FastifyAdapter passes one that sends the error (`reply.send(error)`),
 * but Fastify builds those requests on a context created with the instance, whose error handler
 * is the one of that moment: Fastify's default, not the one Nest sets later with
 * `setErrorHandler()`. So the error never reaches Nest's exception layer.
 *
 * Fastify reads `frameworkErrors` from its options object each time: wrapped there, it points that
 * context at the instance's current error handler (Nest's, and so `ErrorsFilter`) before the
 * handler it wraps (Nest's, which also adds the security headers) sends the error.
 *
 * Private: `fastify[kOptions]`, `fastify[kErrorHandler]`, `request[kRouteContext]`. Returns false,
 * changing nothing, when one of them is not where Fastify 5 keeps it.
 */
export function routeFastifyFrameworkErrors(fastify: object): boolean {
  const kOptions = ownSymbol(fastify, 'fastify.options');
  const kErrorHandler = ownSymbol(fastify, 'fastify.errorHandler');
  const options =
    kOptions === undefined ? undefined : (fastify as Record<symbol, unknown>)[kOptions];
  if (kErrorHandler === undefined || typeof options !== 'object' || options === null) {
    return false;
  }
  const holder = options as { frameworkErrors?: FrameworkErrorsHandler };
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

// ---------------------------------------------------------------------------------------------
// Express: unknown routes outside the global prefix
// ---------------------------------------------------------------------------------------------

interface ExpressLikeRequest {
  url: string;
  originalUrl?: string;
}

type NotFoundHandler = (
  request: ExpressLikeRequest,
  response: unknown,
  next: () => void,
) => unknown;

interface NotFoundRegistrar {
  use(handler: (request: ExpressLikeRequest, response: unknown, next: () => void) => void): unknown;
  setNotFoundHandler(handler: NotFoundHandler, prefix?: string, excludedRoutes?: unknown): unknown;
}

/**
 * With `app.setGlobalPrefix('api')`, Nest's ExpressAdapter mounts its not-found handler on a
 * router under `/api` only (`setNotFoundHandler`), so `GET /nope` falls through to Express's final
 * handler and its HTML "Cannot GET /nope".
 *
 * Nest registers that handler after every `onModuleInit` (GraphQL and ServeStatic add their own
 * Express middleware there) and before its error handlers. The adapter's `setNotFoundHandler` is
 * intercepted once, so that right after Nest's prefixed registration the same handler (Nest's
 * exception layer, and so every global filter) also answers the paths outside the prefix. Paths
 * under the prefix stay with Nest's own mount. Call before Nest registers it (`ErrorsModule.configure`).
 */
export function notFoundOutsidePrefix(adapter: NotFoundRegistrar): void {
  const hadOwn = Object.hasOwn(adapter, 'setNotFoundHandler');
  const register = adapter.setNotFoundHandler;
  adapter.setNotFoundHandler = function (handler, prefix, excludedRoutes) {
    if (hadOwn) {
      adapter.setNotFoundHandler = register;
    } else {
      delete (adapter as Partial<NotFoundRegistrar>).setNotFoundHandler;
    }
    const result = register.call(adapter, handler, prefix, excludedRoutes);
    const normalized = `/${(prefix ?? '').replace(/^\/+|\/+$/g, '')}`.toLowerCase();
    if (normalized !== '/') {
      const under = `${normalized}/`;
      adapter.use((request, response, next) => {
        // Express matches mount paths without regard to case, as it matches Nest's prefix router.
        const path = pathWithoutQuery(request.originalUrl ?? request.url).toLowerCase();
        if (path === normalized || path.startsWith(under)) {
          next();
        } else {
          void handler(request, response, next);
        }
      });
    }
    return result;
  };
}

// ---------------------------------------------------------------------------------------------
// Node: requests the HTTP parser rejects (`clientError`)
// ---------------------------------------------------------------------------------------------

/** What Node passes to `clientError`. */
interface ClientError extends Error {
  code?: string;
  rawPacket?: Buffer;
}

/** The response Node is writing on a socket (Node's own `clientError` default reads the same). */
interface InFlightResponse {
  headersSent?: boolean;
  req?: { method?: string; url?: string; headers?: IncomingHttpHeaders };
  getHeader?(name: string): unknown;
}

const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, BODY_TOO_LARGE_MESSAGE],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request timed out'],
};
const MALFORMED_REQUEST: readonly [number, string] = [400, 'Malformed HTTP request'];

/** `GET /a/b?c HTTP/1.1`: the method and target of a request line the parser got that far into. */
const REQUEST_LINE =
  /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) (\/[!-~\x80-\xff]{0,2047}) HTTP\/\d\.\d\r?\n/;

function requestLineOf(rawPacket: unknown): { method?: string; url?: string } {
  if (!Buffer.isBuffer(rawPacket)) {
    return {};
  }
  const match = REQUEST_LINE.exec(rawPacket.subarray(0, 2200).toString('latin1'));
  // Raw bytes outside ASCII (`/überprüfung` sent unencoded, which is why the parser refused it)
  // are percent-encoded: the path still finds its prefix's format, and is a valid URL path.
  return match === null
    ? {}
    : {
        method: match[1],
        url: match[2]!.replace(
          /[\x80-\xff]/g,
          (byte) => `%${byte.charCodeAt(0).toString(16).toUpperCase()}`,
        ),
      };
}

/**
 * Collects what the HTTP writer writes (it writes on Node's response on both platforms) so that it
 * can go out as raw bytes: a socket the parser gave up on has no response object.
 */
class RecordedResponse {
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  statusCode = 500;
  private readonly headers = new Map<string, [string, string]>();
  private body = '';

  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.[1];
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value as string);
      this.headers.set(name.toLowerCase(), [name, String(value)]);
    } catch {
      // A header Node would refuse is left out, as it would be on a real response.
    }
    return this;
  }

  removeHeader(name: string): void {
    this.headers.delete(name.toLowerCase());
  }

  end(body?: string): this {
    this.body = body ?? '';
    this.writableEnded = true;
    return this;
  }

  /** The whole response, `Connection: close`: the parser cannot read another request. */
  toBytes(bodyless: boolean): Buffer {
    const body = Buffer.from(bodyless ? '' : this.body, 'utf8');
    let head = `HTTP/1.1 ${this.statusCode} ${STATUS_CODES[this.statusCode] ?? 'Error'}\r\n`;
    for (const [key, [name, value]] of this.headers) {
      // Framing is this method's: the writer may have set its own Content-Length.
      if (key !== 'content-length' && key !== 'connection' && key !== 'date') {
        head += `${name}: ${value}\r\n`;
      }
    }
    head += `Date: ${new Date().toUTCString()}\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  }
}

/** The `ArgumentsHost` of an HTTP request, as Nest builds it for a route: `[request, response]`. */
function httpHost(request: unknown, response: unknown): ArgumentsHost {
  const args = [request, response, undefined];
  const unavailable = () => {
    throw new Error('Not an RPC or WebSocket context');
  };
  return {
    getType: <T extends string>() => 'http' as T,
    getArgs: <T extends unknown[]>() => args as T,
    getArgByIndex: <T>(index: number) => args[index] as T,
    switchToHttp: () => ({
      getRequest: <T>() => request as T,
      getResponse: <T>() => response as T,
      getNext: <T>() => undefined as T,
    }),
    switchToRpc: unavailable,
    switchToWs: unavailable,
  };
}

/**
 * A `clientError` listener that answers through `filter` (normalize → format → log → write) with
 * the documented body and a request id, in the module's format (a route's own format is bound to
 * the route's filters, which a request that was never parsed cannot reach).
 *
 * Like Node's own default (and unlike Fastify's, which writes its 400 whatever happened before),
 * it writes nothing when a response to this request has already started on the socket: Fastify
 * may have answered a request synchronously (a 415 for a body it will not read) before the
 * parser failed on that body (`Transfer-Encoding: xchunked`), and a second response would follow.
 */
export function createClientErrorListener(
  filter: ExceptionFilter,
  requestIdHeader: string | undefined,
): (error: ClientError, socket: Duplex) => void {
  return (error, socket) => {
    // Node's own check (lib/_http_server.js socketOnError): the response in flight, if any.
    const inFlight = (socket as Duplex & { _httpMessage?: InFlightResponse | null })._httpMessage;
    // A client that closed mid-request (EOF) or reset is gone: nothing to answer. A request that
    // was already dispatched sees the abort itself (`Request aborted by the client`, at debug).
    if (
      error.code === 'ECONNRESET' ||
      error.code === 'HPE_INVALID_EOF_STATE' ||
      !socket.writable ||
      inFlight?.headersSent === true
    ) {
      socket.destroy();
      return;
    }
    const [status, message] = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED_REQUEST;
    const request = inFlight?.req ?? requestLineOf(error.rawPacket);
    const response = new RecordedResponse();
    // A request whose headers were read (the body was not) may already have its id.
    const assigned =
      requestIdHeader === undefined ? undefined : inFlight?.getHeader?.(requestIdHeader);
    if (requestIdHeader !== undefined && typeof assigned === 'string') {
      response.setHeader(requestIdHeader, assigned);
    }
    try {
      filter.catch(
        new HttpException(message, status, { cause: error }),
        httpHost(request, response),
      );
    } catch {
      // ErrorsFilter never throws; a response is still owed.
    }
    if (response.writableEnded) {
      socket.write(response.toBytes(request.method === 'HEAD'));
    }
    socket.destroy();
  };
}

interface ServerLike {
  listeners(event: 'clientError'): Function[];
  listenerCount(event: 'clientError'): number;
  removeListener(event: 'clientError', listener: (...args: never[]) => void): unknown;
  on(event: 'clientError', listener: (error: ClientError, socket: Duplex) => void): unknown;
}

/**
 * Installs `listener` on the server's `clientError`. Node writes its own bare 400/408/431 only
 * while nothing listens; Fastify listens from its construction (its default
 * `clientErrorHandler`, replaced here: found by name, it is not exported). A handler the
 * application installed itself (Fastify's `clientErrorHandler` option, or its own listener, even
 * one added after `init()`) is left to answer alone.
 */
export function installClientErrorListener(
  server: ServerLike,
  listener: (error: ClientError, socket: Duplex) => void,
): boolean {
  for (const existing of server.listeners('clientError')) {
    if (existing.name === 'bound defaultClientErrorHandler') {
      server.removeListener('clientError', existing as (...args: never[]) => void);
    }
  }
  if (server.listenerCount('clientError') > 0) {
    return false;
  }
  server.on('clientError', function errorsClientError(error, socket) {
    // A listener the application added later answers instead (two would write twice).
    if (server.listenerCount('clientError') === 1) {
      listener(error, socket);
    }
  });
  return true;
}
