import type {
  ArgumentsHost,
  CallHandler,
  ExceptionFilter,
  ExecutionContext,
  NestInterceptor,
  Type,
} from '@nestjs/common';
import { INTERCEPTORS_METADATA, SSE_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, type ModulesContainer } from '@nestjs/core';
import { type Observable, catchError, of, throwError } from 'rxjs';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { declaredFormat } from '../formats/format.registry.js';

/** The filter of one application for a route's format (`UseErrorFormat`), or the module's. */
export type SseFilters = (format: ErrorFormat | undefined) => ExceptionFilter;

/** Each application's filters, by its platform instance (the Express app, the Fastify root). */
const applications = new WeakMap<object, SseFilters>();

/**
 * The application a request belongs to: Express's `req.app`, Fastify's `request.server` (an
 * encapsulated instance inherits from its parent, up to the root).
 */
function filtersOf(request: unknown): SseFilters | undefined {
  const { app, server } = (request ?? {}) as { app?: unknown; server?: unknown };
  // The Express app is a function; a Fastify instance an object.
  let platform: unknown = app ?? server;
  while ((typeof platform === 'object' && platform !== null) || typeof platform === 'function') {
    const filters = applications.get(platform);
    if (filters !== undefined) {
      return filters;
    }
    platform = Object.getPrototypeOf(platform);
  }
  return undefined;
}

/** The response's headers are out: Express's response, or the Node response of a Fastify reply. */
function headersSent(response: unknown): boolean {
  const { raw } = (response ?? {}) as { raw?: unknown };
  return ((raw ?? response) as { headersSent?: unknown } | undefined)?.headersSent === true;
}

/** The route's context as the filter sees it: HTTP arguments, of type `sse`. */
function sseHost(context: ExecutionContext): ArgumentsHost {
  return {
    getType: <T extends string>() => 'sse' as T,
    getArgs: () => context.getArgs(),
    getArgByIndex: (index: number) => context.getArgByIndex(index),
    switchToHttp: () => context.switchToHttp(),
    switchToRpc: () => context.switchToRpc(),
    switchToWs: () => context.switchToWs(),
  } as ArgumentsHost;
}

/**
 * Installed on each `@Sse()` handler: an error of its stream after the headers were sent (when
 * Nest would write `event: error` with the raw message) goes through the application's filter and
 * becomes the stream's last event, `{type: 'error', data: <the format's body>}`. Before the headers,
 * the error goes on to the exception filters, which answer with a status as for any route.
 */
class SseErrorsInterceptor implements NestInterceptor {
  constructor(private readonly format: ErrorFormat | undefined) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const filters = headersSent(context.getArgByIndex(1))
          ? filtersOf(context.getArgByIndex(0))
          : undefined;
        return filters === undefined
          ? throwError(() => error)
          : of(filters(this.format).catch(error, sseHost(context)));
      }),
    );
  }
}

const scanner = new MetadataScanner();

/**
 * Gives the `@Sse()` routes of every controller the error contract, and registers this
 * application's filters for them. Runs while the application initializes, before its routes are
 * registered: an interceptor is added to each `@Sse()` handler (first of its own, so it sees
 * what they throw too), and no other route changes, so they pay nothing for it. Idempotent: the
 * handlers are classes' methods, which several applications in one process may share.
 */
export function installSseErrors(
  modules: ModulesContainer,
  platform: object,
  filters: SseFilters,
): void {
  applications.set(platform, filters);
  for (const moduleRef of modules.values()) {
    for (const wrapper of moduleRef.controllers.values()) {
      const controller = wrapper.metatype as Type | null | undefined;
      if (typeof controller !== 'function' || controller.prototype === undefined) {
        continue;
      }
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler: unknown = controller.prototype[name];
        if (typeof handler === 'function' && Reflect.getMetadata(SSE_METADATA, handler)) {
          addSseErrorsInterceptor(controller, handler);
        }
      }
    }
  }
}

function addSseErrorsInterceptor(controller: Type, handler: object): void {
  const interceptors = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
  if (interceptors.some((interceptor) => interceptor instanceof SseErrorsInterceptor)) {
    return;
  }
  const format = declaredFormat(handler, controller);
  Reflect.defineMetadata(
    INTERCEPTORS_METADATA,
    [new SseErrorsInterceptor(format), ...interceptors],
    handler,
  );
}
