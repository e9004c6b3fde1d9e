import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { serveOpenApi } from './openapi.js';

/**
 * What the reference app needs beyond `AppModule`, applied by `main.ts` and by the e2e suites
 * alike (before `init()`/`listen()`), so the tests exercise the server `npm start` runs.
 */
export function configureApp(app: INestApplication): void {
  // GET /openapi.json and the Swagger UI at /docs/api.
  serveOpenApi(app);
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
