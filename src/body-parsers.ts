import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * The reference app's body parsers, set before the app initializes (`main.ts`, and the e2e suites
 * that need `npm start`'s exact parsing).
 *
 * Express's JSON parser is strict by default: a body that is valid JSON but not an object or an
 * array (`null`, `"text"`, `42`) is refused as malformed before Nest routes the request, so no
 * DTO sees it and the error is not the route's documented validation error (and, before routing,
 * not in the route's format either). Fastify parses any JSON value. Non-strict parsing gives
 * Express the same behaviour: the value reaches the handler's DTO, whose validation answers 400
 * `VALIDATION_ERROR` in the route's format. Only the strictness changes; the limits stay Nest's.
 */
export function useReferenceBodyParsers(app: INestApplication): void {
  if (app.getHttpAdapter().getType() === 'express') {
    (app as NestExpressApplication).useBodyParser('json', { strict: false });
  }
}
