import { Inject, Injectable, Logger, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { ErrorContext } from '../core/api-error.interface.js';
import { type DeclaredErrors, declaredErrorsOf } from '../docs/declared-errors.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { declaredFormat } from '../formats/format.registry.js';
import { graphqlFormat } from '../formats/graphql.format.js';
import { expressRouteHandler, expressRoutePattern } from '../platforms/express.platform.js';
import {
  declareFastifyRouteBinding,
  fastifyRouteBinding,
  fastifyRoutePattern,
} from '../platforms/fastify.platform.js';
import type { ErrorExchange } from '../protocols/error-exchange.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/** `@MessagePattern`/`@EventPattern` (microservices) and `@SubscribeMessage` (websockets) keys. */
const PATTERN_METADATA = 'microservices:pattern';
const GATEWAY_METADATA = 'websockets:is_gateway';
const MESSAGE_METADATA = 'message';

/**
 * Where a route's binding travels on Express: Nest copies a handler's metadata onto the function
 * it registers for the route, which the matched route keeps (`req.route`).
 */
const ROUTE_BINDING_METADATA = 'nest-api-errors:route-binding';

/**
 * What the pipeline learns of the route an HTTP error happened on, bound to the route when the
 * application starts (one object per route and application): its declared format and, with
 * `declaredErrors: 'warn'`, the errors its `@ApiErrors` declares.
 */
export interface RouteBinding {
  readonly format: ErrorFormat | undefined;
  readonly declared: DeclaredErrors | undefined;
}

/** A microservice pattern as Nest routes it: a string, or an object's keys sorted. */
function patternKey(pattern: unknown): string | undefined {
  if (typeof pattern === 'string' || typeof pattern === 'number') {
    return String(pattern);
  }
  if (typeof pattern !== 'object' || pattern === null) {
    return undefined;
  }
  const record = pattern as Record<string, unknown>;
  const parts = Object.keys(record)
    .sort((a, b) => a.localeCompare(b))
    .map((key) => {
      const value = record[key];
      return `"${key}":${typeof value === 'string' ? `"${value}"` : (patternKey(value) ?? '')}`;
    });
  return `{${parts.join(',')}}`;
}

const scanner = new MetadataScanner();

/**
 * The one place an error's format is chosen: `UseErrorFormat` on the handler, then on its
 * controller, then the longest `routes` prefix of the request path, then the module's `format`;
 * GraphQL resolver errors always in GraphQL's own shape. A handler's declared format is read from
 * metadata once and cached; an app with no `UseErrorFormat` pays for no lookup.
 *
 * Nest does not tell a filter which handler failed. Declared formats (and declared errors)
 * therefore travel with the route, bound when the application starts (`bindHttpRoutes`): on the
 * function Nest registers for the route (Express) or in its route config (Fastify), read back from
 * the request the error belongs to; for microservice and WebSocket handlers, by message pattern;
 * for `@Sse()` routes, from the route's execution context. The route's pattern, for metrics and
 * warnings, is the platform's (`routeOf`).
 */
@Injectable()
export class ErrorFormatResolver {
  /** By controller, then handler: a handler inherited from a base class has one per controller. */
  private readonly declaredByHandler = new WeakMap<object, WeakMap<object, ErrorFormat | null>>();
  /** The binding of the route an HTTP request reached; read per platform once routes are bound. */
  private routeBindingOf: (request: unknown) => RouteBinding | undefined = () => undefined;
  /** The pattern of the route an HTTP request reached, as its platform names it. */
  private routePatternOf: (request: unknown) => string | undefined = () => undefined;
  private patternFormats:
    { rpc: Map<string, ErrorFormat>; ws: Map<string, ErrorFormat> } | undefined;
  /** Whether some HTTP route has a binding (and so the platform's route is read at errors). */
  bindsHttpRoutes = false;
  private readonly logger = new Logger('ErrorsModule');

  constructor(
    @Inject(ERRORS_SETTINGS) private readonly settings: ErrorsSettings,
    private readonly modules: ModulesContainer,
  ) {}

  /** `UseErrorFormat` of a handler, else of its controller; undefined without either. */
  declared(handler: object, controller: object): ErrorFormat | undefined {
    let byHandler = this.declaredByHandler.get(controller);
    if (byHandler === undefined) {
      byHandler = new WeakMap();
      this.declaredByHandler.set(controller, byHandler);
    }
    let format = byHandler.get(handler);
    if (format === undefined) {
      format = declaredFormat(handler, controller) ?? null;
      byHandler.set(handler, format);
    }
    return format ?? undefined;
  }

  /** An HTTP error at `path`: its longest `routes` prefix's format, else the module's. */
  forPath(path: string): ErrorFormat {
    return this.settings.routeFormat?.(path) ?? this.settings.format;
  }

  /** A route's format: what it declares, else what its path gets. */
  forRoute(declared: ErrorFormat | undefined, path: string): ErrorFormat {
    return declared ?? this.forPath(path);
  }

  /** The format of one error, by where it happened. */
  formatOf(exchange: ErrorExchange, context: ErrorContext): ErrorFormat {
    switch (exchange.transport) {
      case 'graphql':
        return graphqlFormat;
      case 'http':
        return this.forRoute(this.routeBindingOf(exchange.request)?.format, context.path);
      case 'sse':
        return this.forRoute(exchange.declaredFormat, context.path);
      case 'raw-http':
        return this.forPath(context.path);
      case 'rpc':
      case 'ws':
        return this.patternFormat(exchange.transport, context.path) ?? this.settings.format;
      case 'background':
        // Nothing is sent; the format only names itself to the pipeline.
        return this.settings.format;
    }
  }

  /**
   * The pattern of the HTTP route an error happened on (`/api/v1/files/:id`), as the platform
   * matched it; undefined for unknown routes, errors before routing and other transports.
   */
  routeOf(exchange: ErrorExchange): string | undefined {
    return exchange.transport === 'http' || exchange.transport === 'sse'
      ? this.routePatternOf(exchange.request)
      : undefined;
  }

  /** What the route an HTTP error happened on declares with `@ApiErrors` (`declaredErrors: 'warn'`). */
  declaredErrorsOf(exchange: ErrorExchange): DeclaredErrors | undefined {
    return exchange.transport === 'http' || exchange.transport === 'sse'
      ? this.routeBindingOf(exchange.request)?.declared
      : undefined;
  }

  /**
   * Binds every HTTP handler's declared format, and with `declaredErrors: 'warn'` its declared
   * errors, to its route, before Nest registers the routes (`ErrorsModule.configure`): Nest then
   * carries the binding to the platform, where the pipeline reads it back from a failed request.
   * Nest copies the binding onto what it registers for the route as it registers it, so
   * applications initialized one after the other keep their own bindings even when they share a
   * controller.
   */
  bindHttpRoutes(platform: string | undefined): void {
    const warn = this.settings.warnUndeclaredErrors;
    let bound = false;
    // A handler inherited from a base controller is one function for every controller that
    // inherits it, and what Nest registers for its routes carries that function's metadata: one
    // binding for all of them. Two controllers that declare it differently are said at start-up.
    const bindings = new Map<object, { controller: Type; binding: RouteBinding }>();
    for (const { controller, handler } of this.handlers((type) => type.controllers)) {
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) {
        continue;
      }
      if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) {
        continue;
      }
      const format = this.declared(handler, controller);
      const declared = warn ? declaredErrorsOf(handler, controller) : undefined;
      if (format === undefined && declared === undefined) {
        continue;
      }
      bound = true;
      const binding: RouteBinding = { format, declared };
      const earlier = bindings.get(handler);
      if (earlier !== undefined) {
        if (earlier.binding.format !== format) {
          this.logger.warn(
            `${earlier.controller.name} and ${controller.name} inherit the same handler (${(handler as Function).name}) and declare different error formats: its routes answer in ${earlier.controller.name}'s. Declare UseErrorFormat on a method of each controller's own.`,
          );
        }
        continue;
      }
      bindings.set(handler, { controller, binding });
      if (platform === 'fastify') {
        declareFastifyRouteBinding(handler, binding);
      } else {
        Reflect.defineMetadata(ROUTE_BINDING_METADATA, binding, handler);
      }
    }
    if (platform === 'fastify') {
      this.routePatternOf = fastifyRoutePattern;
    } else if (platform === 'express') {
      // Nest's not-found handler is an Express route too (`*path` under a global prefix): only
      // what Nest registered for a handler, which carries the handler's metadata, is a route.
      this.routePatternOf = (request) => {
        const registered = expressRouteHandler(request);
        return registered !== undefined && Reflect.hasMetadata(METHOD_METADATA, registered)
          ? expressRoutePattern(request)
          : undefined;
      };
    }
    this.bindsHttpRoutes = bound;
    if (!bound) {
      return;
    }
    if (platform === 'fastify') {
      this.routeBindingOf = fastifyRouteBinding;
    } else if (platform === 'express') {
      this.routeBindingOf = (request) => {
        const registered = expressRouteHandler(request);
        return registered === undefined
          ? undefined
          : (Reflect.getMetadata(ROUTE_BINDING_METADATA, registered) as RouteBinding | undefined);
      };
    }
  }

  /** The declared format of a microservice or WebSocket handler, by its message pattern. */
  private patternFormat(transport: 'rpc' | 'ws', pattern: string): ErrorFormat | undefined {
    this.patternFormats ??= this.collectPatternFormats();
    return this.patternFormats[transport].get(pattern);
  }

  private collectPatternFormats(): { rpc: Map<string, ErrorFormat>; ws: Map<string, ErrorFormat> } {
    const rpc = new Map<string, ErrorFormat>();
    const ws = new Map<string, ErrorFormat>();
    for (const { controller, handler } of this.handlers((type) => type.controllers)) {
      const patterns: unknown = Reflect.getMetadata(PATTERN_METADATA, handler);
      const format = Array.isArray(patterns) ? this.declared(handler, controller) : undefined;
      for (const pattern of format === undefined ? [] : (patterns as unknown[])) {
        const key = patternKey(pattern);
        if (key !== undefined) {
          rpc.set(key, format!);
        }
      }
    }
    for (const { controller, handler } of this.handlers((type) => type.providers, true)) {
      const message: unknown = Reflect.getMetadata(MESSAGE_METADATA, handler);
      const format = typeof message === 'string' ? this.declared(handler, controller) : undefined;
      if (format !== undefined) {
        ws.set(message as string, format);
      }
    }
    return { rpc, ws };
  }

  /** Every method of the application's controllers (or gateways), with its class. */
  private *handlers(
    of: (moduleRef: {
      controllers: Map<unknown, { metatype?: unknown }>;
      providers: Map<unknown, { metatype?: unknown }>;
    }) => Map<unknown, { metatype?: unknown }>,
    gatewaysOnly = false,
  ): Generator<{ controller: Type; handler: object }> {
    for (const moduleRef of this.modules.values()) {
      for (const wrapper of of(moduleRef).values()) {
        const controller = wrapper.metatype as Type | null | undefined;
        if (typeof controller !== 'function' || controller.prototype === undefined) {
          continue;
        }
        if (gatewaysOnly && Reflect.getMetadata(GATEWAY_METADATA, controller) !== true) {
          continue;
        }
        for (const name of scanner.getAllMethodNames(controller.prototype)) {
          const handler: unknown = controller.prototype[name];
          if (typeof handler === 'function') {
            yield { controller, handler };
          }
        }
      }
    }
  }
}
