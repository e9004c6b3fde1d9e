import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type RequestIdSettings, resolveRequestId } from './error-context.js';
import { ERRORS_MODULE_OPTIONS } from './errors.constants.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';
import { resolveErrorsSettings } from './errors-settings.js';

/**
 * Gives every request its id before any handler runs, and puts it on every response, success or
 * error, as `X-Request-Id`. The error path then reuses it, so a client, the log and the body
 * (`trace_id`, `requestId`) all see the same id. `ErrorsModule` applies it to every route unless
 * `requestId: false`.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  private readonly settings: RequestIdSettings;

  constructor(@Inject(ERRORS_MODULE_OPTIONS) options: ErrorsModuleOptions) {
    this.settings = resolveErrorsSettings(options).requestId;
  }

  // Express (and Fastify through middie) hand middleware Node's own request and response.
  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    // The error path reads the id back from this header (see assignedRequestId).
    response.setHeader(this.settings.header, resolveRequestId(request.headers, this.settings));
    next();
  }
}

interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (
      request: { headers: IncomingMessage['headers'] },
      reply: { header(name: string, value: string): unknown },
      done: () => void,
    ) => void,
  ): unknown;
}

/**
 * The same as `RequestIdMiddleware`, as a Fastify `onRequest` hook: Nest middleware on Fastify
 * runs through middie, which costs far more per request than the id itself. Fastify runs
 * `onRequest` hooks for unknown routes too.
 */
export function addFastifyRequestIdHook(fastify: FastifyLike, settings: RequestIdSettings): void {
  const { header } = settings;
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(header, resolveRequestId(request.headers, settings));
    done();
  });
}
