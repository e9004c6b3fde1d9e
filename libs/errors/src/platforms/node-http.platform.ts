import {
  type IncomingHttpHeaders,
  IncomingMessage,
  STATUS_CODES,
  Server,
  ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { HttpException } from '@nestjs/common';
import { BODY_TOO_LARGE_MESSAGE } from '../core/error.normalizer.js';
import {
  type RequestHeaders,
  type RequestIdSettings,
  resolveRequestId,
} from '../core/request-id.resolver.js';
import type { HttpExchange, RawHttpExchange } from '../protocols/error-exchange.js';
import {
  BODY_HEADERS,
  type HttpErrorResponse,
  type HttpPlatformWriter,
  type HttpWriteOutcome,
  standardHeaders,
} from './http-response.js';

/**
 * Node's HTTP server, under both Express and Fastify: the response object both write errors on,
 * the request-id handler, the requests it refuses before any framework sees them (its parser's
 * `clientError`; no Host, an unknown Expect), and the WebSocket upgrade requests it receives.
 *
 * Public APIs: `ServerResponse`, the server's `requireHostHeader`, its `clientError`,
 * `checkExpectation`, `request`, `connection` and `upgrade` events. Private, each checked at
 * start-up: `socket._httpMessage`, the response in flight on a socket (Node's own `clientError`
 * default reads it to decide whether a 400 may still be written; `detectNodeHttpInternals`), and
 * `socket.parser` with its after-read callback, where an unfinished request head is read
 * (`detectNodeParserInternals`).
 */

// ---------------------------------------------------------------------------------------------
// Errors written on Node's response (Express's response, and Nest middleware on Fastify)
// ---------------------------------------------------------------------------------------------

/** An already-started response can only be ended: a second status line would corrupt it. */
export function endStarted(raw: ServerResponse): HttpWriteOutcome {
  if (!raw.writableEnded && !raw.destroyed) {
    raw.end();
  }
  return 'ended';
}

/**
 * Writes the error on Node's `ServerResponse` directly rather than through Express's `res.send()`,
 * which would compute an ETag and re-derive the content type on every error. Headers already set
 * (a guard's `Retry-After`) are kept; those that described the body the handler meant to send go.
 */
export const writeNodeError: HttpPlatformWriter = (response, error) => {
  const res = response as ServerResponse;
  if (res.destroyed) {
    return 'gone';
  }
  if (res.headersSent) {
    return endStarted(res);
  }
  res.statusCode = error.status;
  for (const name of BODY_HEADERS) {
    res.removeHeader(name);
  }
  standardHeaders(
    error,
    (name, value) => res.setHeader(name, value),
    (name) => res.getHeader(name),
  );
  // Explicit: a removed Content-Length turns Node's own off, and the body would go out chunked.
  res.setHeader('Content-Length', Buffer.byteLength(error.body));
  res.end(error.body);
  return 'sent';
};

/** A Node request handler: `(request, response, next)`, as Express and Nest middleware take. */
export type NodeHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
) => void;

/**
 * Sets the request's id on its response as `X-Request-Id` before anything else runs; the error
 * path reads it back from the response, so the header, the log line and the body agree.
 */
export function requestIdHandler(settings: RequestIdSettings): NodeHandler {
  const { header } = settings;
  return (request, response, next) => {
    response.setHeader(header, resolveRequestId(request.headers, settings));
    next();
  };
}

// ---------------------------------------------------------------------------------------------
// Requests the HTTP parser refuses (`clientError`)
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

/**
 * `GET /a/b?c HTTP/1.1`: the method and target of a request line the parser got that far into.
 * The target in any form (`/a`, `http://host/a`, `*`): the context keeps only its path.
 */
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}) ([^ \r\n]{1,2047}) HTTP\/\d\.\d\r?\n/;
/** Enough bytes for the longest request line `REQUEST_LINE` reads. */
const REQUEST_LINE_BYTES = 2200;

function requestLineOf(bytes: unknown): { method: string; url: string } | undefined {
  if (!Buffer.isBuffer(bytes)) {
    return undefined;
  }
  const match = REQUEST_LINE.exec(bytes.subarray(0, REQUEST_LINE_BYTES).toString('latin1'));
  // Raw bytes a URL cannot hold (`/überprüfung` sent unencoded, a NUL, a tab: why the parser
  // refused it) are percent-encoded: the path still finds its prefix's format, and is a URL path.
  return match === null
    ? undefined
    : {
        method: match[1]!,
        url: match[2]!.replace(
          // Control characters (\p{Cc}: 0x00–0x1f, 0x7f–0x9f) and the rest of Latin-1.
          /[\p{Cc}\xa0-\xff]/gu,
          (byte) => `%${byte.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
        ),
      };
}

/** The response in flight on a socket: Node's private `socket._httpMessage`. */
function inFlightResponse(socket: Duplex): InFlightResponse | undefined {
  return (socket as Duplex & { _httpMessage?: InFlightResponse | null })._httpMessage ?? undefined;
}

/**
 * A `clientError` listener that answers through the error pipeline (`answer`) with the documented
 * body and a request id, in the format of the request line's path.
 *
 * Like Node's own default (and unlike Fastify's, which writes its 400 whatever happened before),
 * it writes nothing when a response to this request has already started on the socket: Fastify
 * may have answered a request synchronously (a 415 for a body it will not read) before the
 * parser failed on that body (`Transfer-Encoding: xchunked`), and a second response would follow.
 */
export function createClientErrorListener(
  answer: (exception: unknown, exchange: RawHttpExchange) => unknown,
  requestIdHeader: string | undefined,
): (error: ClientError, socket: Duplex) => void {
  return (error, socket) => {
    const inFlight = inFlightResponse(socket);
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
    // A request whose headers were read (the body was not) may already have its id.
    const assigned =
      requestIdHeader === undefined ? undefined : inFlight?.getHeader?.(requestIdHeader);
    try {
      answer(new HttpException(message, status, { cause: error }), {
        transport: 'raw-http',
        // A request whose headers were read is in flight. Otherwise the request line is in the
        // bytes the parser was given: the head it has not finished (a headers timeout carries no
        // bytes of its own), else those it failed on.
        request:
          inFlight?.req ??
          requestLineOf(unfinishedHeads.get(socket)) ??
          requestLineOf(error.rawPacket) ??
          {},
        socket,
        requestId: typeof assigned === 'string' ? assigned : undefined,
      });
    } catch {
      // The pipeline never throws; a closed connection is still owed.
    }
    socket.destroy();
  };
}

/**
 * Writes a whole response on a socket the parser gave up on (it has no response object), and
 * closes it: `Connection: close`, the parser cannot read another request. The id header, when the
 * request already had one, comes first, as it was set first; framing is this function's.
 */
export function writeRawHttpError(
  socket: Duplex,
  error: HttpErrorResponse,
  options: { assignedRequestId: string | undefined; bodyless: boolean },
): void {
  const headers = new Map<string, [string, string]>();
  const set = (name: string, value: string) => {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
      const key = name.toLowerCase();
      // A header set twice keeps its first place, as on a response object.
      headers.set(key, [headers.get(key)?.[0] ?? name, value]);
    } catch {
      // A header Node would refuse is left out, as it would be on a real response.
    }
  };
  if (error.requestIdHeader !== undefined && options.assignedRequestId !== undefined) {
    set(error.requestIdHeader, options.assignedRequestId);
  }
  standardHeaders(error, set, (name) => headers.get(name)?.[1]);
  const body = Buffer.from(options.bodyless ? '' : error.body, 'utf8');
  let head = `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n`;
  for (const [key, [name, value]] of headers) {
    if (key !== 'content-length' && key !== 'connection' && key !== 'date') {
      head += `${name}: ${value}\r\n`;
    }
  }
  head += `Date: ${new Date().toUTCString()}\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`;
  if (socket.writable) {
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  }
  socket.destroy();
}

/** The part of Node's `http.Server` the client-error listener uses (public EventEmitter API). */
export interface ClientErrorEmitter {
  listeners(event: 'clientError'): Function[];
  listenerCount(event: 'clientError'): number;
  on(event: 'clientError', listener: (error: ClientError, socket: Duplex) => void): unknown;
}

/**
 * Installs `listener` on the server's `clientError`. Node writes its own bare 400/408/431 only
 * while nothing listens; a listener the application installed itself (even one added after
 * `init()`) is left to answer alone. Returns false when one was already there.
 */
export function installClientErrorListener(
  server: ClientErrorEmitter,
  listener: (error: ClientError, socket: Duplex) => void,
): boolean {
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

/**
 * Whether Node keeps the response in flight where `createClientErrorListener` reads it
 * (`socket._httpMessage`). Without it, a request whose response already started could get a
 * second one when its body then fails to parse.
 */
export function detectNodeHttpInternals(): boolean {
  const socket = new Socket();
  const response = new ServerResponse(new IncomingMessage(socket));
  response.assignSocket(socket);
  const found = inFlightResponse(socket) === (response as unknown as InFlightResponse);
  response.detachSocket(socket);
  socket.destroy();
  return found;
}

// ---------------------------------------------------------------------------------------------
// Request heads the parser has not finished (what a headers timeout is answered from)
// ---------------------------------------------------------------------------------------------

/** Node's HTTP parser on a socket (`socket.parser`), as far as the head recorder uses it. */
interface NodeHttpParser {
  [key: string]: unknown;
  getCurrentBuffer(): Buffer;
  headersCompleted(): boolean;
}

/** The first bytes of the request head a socket's parser has not finished reading. */
const unfinishedHeads = new WeakMap<object, Buffer>();

/** The name of the callback Node's server gives each socket's parser after every read. */
const PARSER_EXECUTE_CALLBACK = 'bound onParserExecute';

function parserOf(socket: unknown): NodeHttpParser | undefined {
  const parser = (socket as { parser?: unknown } | undefined)?.parser;
  return typeof parser === 'object' &&
    parser !== null &&
    typeof (parser as NodeHttpParser).getCurrentBuffer === 'function' &&
    typeof (parser as NodeHttpParser).headersCompleted === 'function'
    ? (parser as NodeHttpParser)
    : undefined;
}

/** The slot found last: every parser of one Node has it in the same place. */
let executeSlot: string | undefined;

/** Where the parser keeps its after-read callback (a numeric slot Node does not export). */
function executeCallbackKey(parser: NodeHttpParser): string | undefined {
  const isCallback = (key: string) =>
    (parser[key] as { name?: unknown } | null | undefined)?.name === PARSER_EXECUTE_CALLBACK;
  if (executeSlot === undefined || !isCallback(executeSlot)) {
    executeSlot = Object.keys(parser).find(isCallback);
  }
  return executeSlot;
}

/**
 * Node's parser reads a socket in C++ and hands a request to JavaScript only once its headers are
 * complete. A client that sends a request line and then stalls its headers gets a 408 whose
 * `clientError` carries no bytes and no request: without the line it had sent, the 408 would
 * answer in the default format at `/`. So, per socket, the callback Node's server runs after
 * every read is wrapped: when a read leaves a head unfinished, its first bytes are kept, read
 * after read, until they hold the request line (at most `REQUEST_LINE_BYTES`), and dropped once
 * its headers complete. A request whose headers arrive in one read, the usual case, costs one
 * check per read and no copy; a head trickled byte by byte, at most one request line of copies.
 */
function recordUnfinishedHead(socket: object): void {
  const parser = parserOf(socket);
  const key = parser === undefined ? undefined : executeCallbackKey(parser);
  if (key === undefined) {
    return;
  }
  const afterRead = parser![key] as (this: unknown, result: unknown) => unknown;
  let head: Buffer | undefined;
  let lineKept = false;
  parser![key] = function errorsAfterRead(this: unknown, result: unknown) {
    if (parser!.headersCompleted()) {
      if (head !== undefined) {
        head = undefined;
        lineKept = false;
        unfinishedHeads.delete(socket);
      }
    } else if (!lineKept) {
      // The read's bytes are only available during this callback.
      const read = parser!.getCurrentBuffer();
      const kept = head?.length ?? 0;
      head = Buffer.concat([head ?? Buffer.alloc(0), read.subarray(0, REQUEST_LINE_BYTES - kept)]);
      lineKept = head.length >= REQUEST_LINE_BYTES || head.includes(0x0a, kept);
      unfinishedHeads.set(socket, head);
    }
    return afterRead.call(this, result);
  };
}

/** The part of Node's `http.Server` the head recorder uses (public EventEmitter API). */
interface ConnectionEmitter {
  on(event: 'connection' | 'secureConnection', listener: (socket: Duplex) => void): unknown;
  off(event: 'connection' | 'secureConnection', listener: (socket: Duplex) => void): unknown;
}

/**
 * Keeps the unfinished request head of every connection `server` accepts (see
 * `recordUnfinishedHead`), for the `clientError` listener. Listens after Node's own connection
 * listener, which gives the socket its parser (`secureConnection` for HTTPS). Returns how to stop.
 */
export function recordUnfinishedHeads(server: ConnectionEmitter): () => void {
  const record = (socket: Duplex) => recordUnfinishedHead(socket);
  server.on('connection', record);
  server.on('secureConnection', record);
  return () => {
    server.off('connection', record);
    server.off('secureConnection', record);
  };
}

/**
 * Whether Node keeps a socket's parser, its after-read callback and the parser methods where
 * `recordUnfinishedHeads` reads them, checked on a connection of a server of this Node's own.
 */
export function detectNodeParserInternals(): boolean {
  const server = new Server();
  const socket = new Socket();
  try {
    server.emit('connection', socket);
    const parser = parserOf(socket);
    return parser !== undefined && executeCallbackKey(parser) !== undefined;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Requests Node's server refuses once their head is read (no Host, an unknown Expect)
// ---------------------------------------------------------------------------------------------

const MISSING_HOST: readonly [number, string] = [400, 'Missing Host header'];
const UNSUPPORTED_EXPECTATION: readonly [number, string] = [
  417,
  'Unsupported Expect header: only 100-continue is supported',
];

type RequestListener = (this: unknown, request: IncomingMessage, response: ServerResponse) => void;

/** The part of Node's `http.Server` the refusals use: `requireHostHeader` and EventEmitter. */
export interface RefusingServer {
  requireHostHeader?: boolean;
  listeners(event: 'request'): Function[];
  listenerCount(event: 'checkExpectation'): number;
  removeListener(event: 'request', listener: Function): unknown;
  on(event: 'request' | 'checkExpectation', listener: RequestListener): unknown;
}

/** RFC 9112 § 3.2: an HTTP/1.1 request without `Host` is a 400, as Node answers it. */
function lacksHost(request: IncomingMessage): boolean {
  return (
    request.headers.host === undefined &&
    request.httpVersionMajor === 1 &&
    request.httpVersionMinor === 1
  );
}

/**
 * Node's server answers two requests with a bare response before any framework sees them: an
 * HTTP/1.1 request without `Host` (400, the connection closed) and an `Expect` other than
 * `100-continue` (417, the connection kept). Both are handed to the error pipeline (`answer`)
 * through Node's public seams, with Node's connection handling:
 * - `requireHostHeader` (read on every request) is turned off, and the same check is made in
 *   front of the `request` listeners already there (the framework's, as engine.io wraps them).
 *   A server created with `requireHostHeader: false` is left as it is.
 * - `checkExpectation`, which Node emits instead of answering 417 (HTTP/2's compatibility API
 *   too), is listened to unless the application listens itself; one added later answers instead.
 * Returns which of the two were taken over.
 */
export function answerRequestRefusals(
  server: RefusingServer,
  answer: (exception: unknown, exchange: HttpExchange) => unknown,
): { host: boolean; expect: boolean } {
  const refuse = (
    request: IncomingMessage,
    response: ServerResponse,
    [status, message]: readonly [number, string],
  ) => {
    if (status === 400) {
      response.setHeader('Connection', 'close');
    }
    try {
      answer(new HttpException(message, status), { transport: 'http', request, response });
    } catch {
      // The pipeline never throws; Node ends what is left of the exchange.
    }
  };
  const host = server.requireHostHeader === true;
  if (host) {
    const listeners = server.listeners('request') as RequestListener[];
    for (const listener of listeners) {
      server.removeListener('request', listener);
    }
    server.requireHostHeader = false;
    server.on('request', function errorsRequest(this: unknown, request, response) {
      if (lacksHost(request)) {
        refuse(request, response, MISSING_HOST);
        return;
      }
      for (const listener of listeners) {
        listener.call(this, request, response);
      }
    });
  }
  const expect = server.listenerCount('checkExpectation') === 0;
  if (expect) {
    server.on('checkExpectation', function errorsCheckExpectation(request, response) {
      // A listener the application added later answers instead (two would write twice).
      if (server.listenerCount('checkExpectation') === 1) {
        // Node checks Host first: without it, the request is the 400.
        refuse(
          request,
          response,
          host && lacksHost(request) ? MISSING_HOST : UNSUPPORTED_EXPECTATION,
        );
      }
    });
  }
  return { host, expect };
}

// ---------------------------------------------------------------------------------------------
// WebSocket upgrades
// ---------------------------------------------------------------------------------------------

/** Upgrade requests' headers by their TCP socket, for `ws` clients, which keep no handshake. */
const upgrades = new WeakMap<object, RequestHeaders>();

interface UpgradeEmitter {
  listenerCount(event: 'upgrade'): number;
  on(event: 'upgrade', listener: (request: IncomingMessage) => void): unknown;
  off(event: 'upgrade', listener: (request: IncomingMessage) => void): unknown;
}

/**
 * Keeps the headers of the WebSocket upgrade requests `server` receives, so that an error on a
 * `ws` connection can take its request id from the handshake (a socket.io socket keeps its own
 * `handshake`). Listens only when something already handles upgrades on that server (a gateway's
 * adapter): a lone `upgrade` listener would leave such requests unanswered. Returns how to stop.
 */
export function recordUpgradeHeaders(server: unknown): (() => void) | undefined {
  const emitter = server as Partial<UpgradeEmitter> | undefined;
  if (
    typeof emitter?.listenerCount !== 'function' ||
    typeof emitter.on !== 'function' ||
    typeof emitter.off !== 'function' ||
    emitter.listenerCount('upgrade') === 0
  ) {
    return undefined;
  }
  const record = (request: IncomingMessage) => {
    upgrades.set(request.socket, request.headers);
  };
  emitter.on('upgrade', record);
  return () => emitter.off!('upgrade', record);
}

/** The headers of the upgrade request that arrived on this TCP socket, if one was recorded. */
export function upgradeHeadersOf(socket: unknown): RequestHeaders | undefined {
  return typeof socket === 'object' && socket !== null ? upgrades.get(socket) : undefined;
}
