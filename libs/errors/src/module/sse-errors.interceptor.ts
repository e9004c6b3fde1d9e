import type { CallHandler, ExecutionContext, NestInterceptor, Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA, SSE_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, type ModulesContainer } from '@nestjs/core';
import { type Observable, catchError, of, throwError } from 'rxjs';
import type { RequestLike } from '../core/request-id.resolver.js';
import { expressApplicationOf } from '../platforms/express.platform.js';
import { fastifyApplicationOf } from '../platforms/fastify.platform.js';
import { responseStarted } from '../platforms/http-response.js';
import type { ErrorPipeline } from './error.pipeline.js';

/** Each application's pipeline, by its platform instance (the Express app, the Fastify root). */
const pipelines = new WeakMap<object, ErrorPipeline>();

/**
 * The pipeline of the application a request belongs to. The interceptor is installed on a
 * controller's handler, which several applications in one process may share, so it finds the
 * application from the request (an encapsulated Fastify instance inherits from its root).
 */
function pipelineOf(request: unknown): ErrorPipeline | undefined {
  let platform: unknown = expressApplicationOf(request) ?? fastifyApplicationOf(request);
  while ((typeof platform === 'object' && platform !== null) || typeof platform === 'function') {
    const pipeline = pipelines.get(platform);
    if (pipeline !== undefined) {
      return pipeline;
    }
    platform = Object.getPrototypeOf(platform);
  }
  return undefined;
}

/**
 * Installed on each `@Sse()` handler: an error of its stream after the headers were sent (when
 * Nest would write `event: error` with the raw message) goes through the application's pipeline
 * and becomes the stream's last event, `{type: 'error', data: <the format's body>}`. Before the
 * headers, the error goes on to the exception filters, which answer with a status as for any route.
 */
class SseErrorsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const response = context.getArgByIndex<unknown>(1);
        const request = context.getArgByIndex<RequestLike | undefined>(0);
        const pipeline = responseStarted(response) ? pipelineOf(request) : undefined;
        if (pipeline === undefined) {
          return throwError(() => error);
        }
        return of(
          pipeline.handle(error, {
            transport: 'sse',
            request,
            response,
            declaredFormat: pipeline.formats.declared(context.getHandler(), context.getClass()),
          }),
        );
      }),
    );
  }
}

const scanner = new MetadataScanner();
const interceptor = new SseErrorsInterceptor();

/**
 * Gives the `@Sse()` routes of every controller the error contract, and registers this
 * application's pipeline for them. Runs while the application initializes, before its routes are
 * registered: the interceptor is added to each `@Sse()` handler (first of its own, so it sees
 * what they throw too), and no other route changes, so they pay nothing for it. Idempotent: the
 * handlers are classes' methods, which several applications in one process may share.
 */
export function installSseErrors(
  modules: ModulesContainer,
  platform: object,
  pipeline: ErrorPipeline,
): void {
  pipelines.set(platform, pipeline);
  for (const moduleRef of modules.values()) {
    for (const wrapper of moduleRef.controllers.values()) {
      const controller = wrapper.metatype as Type | null | undefined;
      if (typeof controller !== 'function' || controller.prototype === undefined) {
        continue;
      }
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler: unknown = controller.prototype[name];
        if (typeof handler === 'function' && Reflect.getMetadata(SSE_METADATA, handler)) {
          const interceptors = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ??
            []) as unknown[];
          if (!interceptors.includes(interceptor)) {
            Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...interceptors], handler);
          }
        }
      }
    }
  }
}
