import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { serveOpenApi } from './openapi.js';

/** How long the server waits for a client, in milliseconds. */
export interface ServerTimeouts {
  /** The whole request, headers and body: a slow (or stalled) upload is cut off after this. */
  requestTimeout: number;
  /** The request's headers. */
  headersTimeout: number;
  /** An idle keep-alive connection between requests. */
  keepAliveTimeout: number;
  /** How often Node checks the first two (its default is 30 s). */
  checkInterval: number;
}

/**
 * The reference app's: 30 s for a request with its body, 20 s for headers, 5 s of keep-alive idle.
 * Node's defaults (300 s; Fastify turns the request timeout off) leave a client that sends half a
 * body and goes silent holding a connection for minutes.
 */
export const SERVER_TIMEOUTS: ServerTimeouts = {
  requestTimeout: 30_000,
  headersTimeout: 20_000,
  keepAliveTimeout: 5_000,
  checkInterval: 5_000,
};

/**
 * What the reference app needs beyond `AppModule`, applied by `main.ts` and by the e2e suites
 * alike (before `init()`/`listen()`), so the tests exercise the server `npm start` runs.
 */
export function configureApp(
  app: INestApplication,
  timeouts: ServerTimeouts = SERVER_TIMEOUTS,
): void {
  // GET /openapi.json and the Swagger UI at /docs/api.
  serveOpenApi(app);
  // Node's own server, on both platforms. A request that times out is answered by ErrorsModule's
  // clientError listener: 408 in the format of its path's prefix, with a request id. The checking
  // interval is read when the server starts listening, so it is set before listen().
  const server = app.getHttpServer() as Server;
  server.requestTimeout = timeouts.requestTimeout;
  server.headersTimeout = timeouts.headersTimeout;
  server.keepAliveTimeout = timeouts.keepAliveTimeout;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
    timeouts.checkInterval;
  if (app.getHttpAdapter().getType() !== 'express') {
    return;
  }
  const express = app as NestExpressApplication;
  // Advertising the framework only helps whoever fingerprints the server; Fastify sends nothing.
  express.disable('x-powered-by');
  // Express's JSON parser refuses a top-level `null`, string or number as malformed JSON before
  // any route is chosen, so the answer came in the default format, not the route's. Fastify parses
  // any JSON value, and text/plain as a string: with the same parsers on Express, a body of the
  // wrong type reaches the route's DTO on both platforms and gets the same 400 there. Registered
  // before init, so Nest does not add its own (strict) JSON parser.
  express.useBodyParser('json', { strict: false });
  express.useBodyParser('text');
}
