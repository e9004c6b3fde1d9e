import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_KEY, type RequestIdSettings, resolveRequestId } from './error-context.js';
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

  // Express and Fastify (through middie) both hand middleware Node's own request and response.
  use(
    request: IncomingMessage & { [REQUEST_ID_KEY]?: string },
    response: ServerResponse,
    next: () => void,
  ): void {
    const id = resolveRequestId(request.headers, this.settings);
    request[REQUEST_ID_KEY] = id;
    response.setHeader(this.settings.header, id);
    next();
  }
}
