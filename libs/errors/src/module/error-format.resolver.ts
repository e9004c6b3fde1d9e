import { Inject, Injectable, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { ErrorContext } from '../core/api-error.interface.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { declaredFormat } from '../formats/format.registry.js';
import { graphqlFormat } from '../formats/graphql.format.js';
import { expressRouteHandler } from '../platforms/express.platform.js';
import { declareFastifyRouteFormat, fastifyRouteFormat } from '../platforms/fastify.platform.js';
import type { ErrorExchange } from '../protocols/error-exchange.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/** `@MessagePattern`/`@EventPattern` (microservices) and `@SubscribeMessage` (websockets) keys. */
const PATTERN_METADATA = 'microservices:pattern';
const GATEWAY_METADATA = 'websockets:is_gateway';
const MESSAGE_METADATA = 'message';

/**
 * Where a route's declared format travels on Express: Nest copies a handler's metadata onto the
 * function it registers for the route, which the matched route keeps (`req.route`).
 */
const ROUTE_FORMAT_METADATA = 'nest-api-errors:route-format';

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
 * Nest does not tell a filter which handler failed. Declared formats therefore travel with the
 * route, bound when the application starts (`bindHttpRoutes`): on the function Nest registers for
 * the route (Express) or in its route config (Fastify), read back from the request the error
 * belongs to; for microservice and WebSocket handlers, by message pattern; for `@Sse()` routes,
 * from the route's execution context.
 */
@Injectable()
export class ErrorFormatResolver {
  private readonly declaredByHandler = new WeakMap<object, ErrorFormat | null>();
  /** The declared format of the route an HTTP request reached; bound per platform at start-up. */
  private routeFormatOf: (request: unknown) => ErrorFormat | undefined = () => undefined;
  private patternFormats:
    { rpc: Map<string, ErrorFormat>; ws: Map<string, ErrorFormat> } | undefined;
  /** Whether some HTTP route declares a format (and so reads the platform's route at errors). */
  declaresHttpFormats = false;

  constructor(
    @Inject(ERRORS_SETTINGS) private readonly settings: ErrorsSettings,
    private readonly modules: ModulesContainer,
  ) {}

  /** `UseErrorFormat` of a handler, else of its controller; undefined without either. */
  declared(handler: object, controller: object): ErrorFormat | undefined {
    let format = this.declaredByHandler.get(handler);
    if (format === undefined) {
      format = declaredFormat(handler, controller) ?? null;
      this.declaredByHandler.set(handler, format);
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
        return this.forRoute(this.routeFormatOf(exchange.request), context.path);
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
   * Binds every HTTP handler's declared format to its route, before Nest registers the routes
   * (`ErrorsModule.configure`): Nest then carries it to the platform, where `formatOf` reads it
   * back from a failed request. Formats are declared on classes, so binding them is the same for
   * every application that shares a controller.
   */
  bindHttpRoutes(platform: string | undefined): void {
    let bound = false;
    for (const { controller, handler } of this.handlers((type) => type.controllers)) {
      if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) {
        continue;
      }
      if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) {
        continue;
      }
      const format = this.declared(handler, controller);
      if (format === undefined) {
        continue;
      }
      bound = true;
      if (platform === 'fastify') {
        declareFastifyRouteFormat(handler, format);
      } else {
        Reflect.defineMetadata(ROUTE_FORMAT_METADATA, format, handler);
      }
    }
    this.declaresHttpFormats = bound;
    if (!bound) {
      return;
    }
    if (platform === 'fastify') {
      this.routeFormatOf = fastifyRouteFormat;
    } else if (platform === 'express') {
      this.routeFormatOf = (request) => {
        const registered = expressRouteHandler(request);
        return registered === undefined
          ? undefined
          : (Reflect.getMetadata(ROUTE_FORMAT_METADATA, registered) as ErrorFormat | undefined);
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
