import {
  type HttpServer,
  Inject,
  Injectable,
  Logger,
  type MiddlewareConsumer,
  type NestMiddleware,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import {
  addExpressRequestIdHandler,
  detectExpressInternals,
  notFoundOutsidePrefix,
  type NotFoundRegistrar,
} from '../platforms/express.platform.js';
import {
  addFastifyRequestIdHook,
  removeFastifyClientErrorHandler,
  routeFastifyFrameworkErrors,
} from '../platforms/fastify.platform.js';
import {
  answerUnknownPatterns,
  detectMicroserviceInternals,
} from '../platforms/microservices.platform.js';
import {
  type ClientErrorEmitter,
  type NodeHandler,
  type RefusingServer,
  answerRequestRefusals,
  createClientErrorListener,
  detectNodeHttpInternals,
  detectNodeParserInternals,
  installClientErrorListener,
  recordUnfinishedHeads,
  recordUpgradeHeaders,
  requestIdHandler,
} from '../platforms/node-http.platform.js';
import { ErrorFormatResolver } from './error-format.resolver.js';
import { ErrorPipeline } from './error.pipeline.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';
import { installSseErrors } from './sse-errors.interceptor.js';

/**
 * The request id on any platform other than Express and Fastify: Nest middleware on every route
 * (`requestIdHandler`; Express and Fastify get a cheaper hook of their own).
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  readonly use: NodeHandler;

  constructor(@Inject(ERRORS_SETTINGS) settings: ErrorsSettings) {
    this.use = requestIdHandler(settings.requestId);
  }
}

/**
 * Brings the platforms' own answers under the contract, through the one pipeline: the request id
 * on every response, routes' declared formats, requests Node's server refuses (its parser's, no
 * Host, an unknown Expect), unknown routes
 * outside a global prefix (Express), router errors (Fastify), `@Sse()` streams that fail after
 * their headers, unknown microservice patterns, and the WebSocket handshakes whose ids errors
 * carry. All platform knowledge is in `platforms/`; where a platform offers only a private hook,
 * its absence is logged here once, naming the errors that are then answered outside the contract.
 */
@Injectable()
export class ErrorsPlatforms implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ErrorsModule');
  private readonly rpcServers: Subscription | undefined;
  private stopRecordingUpgrades: (() => void) | undefined;
  private stopRecordingHeads: (() => void) | undefined;
  private platform: { type: string; instance: unknown } | undefined;
  private readonly adapterSet: Subscription | undefined;
  /** The Express request-id handler went in when the adapter was set, before the body parsers. */
  private expressIdsAdded = false;

  constructor(
    @Inject(ERRORS_SETTINGS) private readonly settings: ErrorsSettings,
    private readonly pipeline: ErrorPipeline,
    private readonly formats: ErrorFormatResolver,
    private readonly modules: ModulesContainer,
    adapterHost: HttpAdapterHost,
  ) {
    // Express runs its app-level handlers in the order they were added, and Nest adds its body
    // parsers when the app initializes: the request id goes in as soon as the adapter is set (at
    // once for NestFactory.create, when a testing module's app is created otherwise), so the 400
    // of malformed JSON and the 413 of a body over the limit carry it too, whoever answers them.
    this.adapterSet = adapterHost.init$?.subscribe(() => {
      const adapter = adapterHost.httpAdapter;
      if (this.settings.requestId.enabled && adapter?.getType?.() === 'express') {
        addExpressRequestIdHandler(
          adapter.getInstance() as Parameters<typeof addExpressRequestIdHandler>[0],
          this.settings.requestId,
        );
        this.expressIdsAdded = true;
      }
    });
    // Every microservice of this application (hybrid or standalone), as Nest creates it.
    this.rpcServers = modules.getRpcTargetRegistry?.().subscribe((server) => {
      const answered = answerUnknownPatterns(server, (exception, exchange) =>
        this.pipeline.handle(exception, exchange),
      );
      if (!answered && detectMicroserviceInternals(server) === 'missing') {
        this.uncovered(
          `${(server as object).constructor.name} has no handler lookup to extend: a request for a pattern no handler takes is answered with Nest's bare message, not a 404 in the error format`,
        );
      }
    });
  }

  /**
   * Once the HTTP platform is known and the gateways are bound, before routes are registered
   * (`ErrorsModule.configure`).
   */
  attachHttp(adapter: HttpServer, consumer: MiddlewareConsumer): void {
    const type = adapter.getType();
    const instance: unknown = adapter.getInstance();
    this.platform = { type, instance };
    this.formats.bindHttpRoutes(type);
    if (typeof instance === 'object' || typeof instance === 'function') {
      installSseErrors(this.modules, instance as object, this.pipeline);
    }
    this.stopRecordingUpgrades = recordUpgradeHeaders(adapter.getHttpServer());
    this.attachRequestIds(type, instance, consumer);
    if (type === 'fastify') {
      if (!routeFastifyFrameworkErrors(instance as object)) {
        this.uncovered(
          "Fastify's options or error handler are not where nest-api-errors looks: a URL Fastify cannot decode and a route parameter over maxParamLength are answered by Fastify itself",
        );
      }
    } else if (type === 'express') {
      notFoundOutsidePrefix(adapter as unknown as NotFoundRegistrar);
    } else {
      return;
    }
    this.attachNodeServer(type, adapter, instance);
  }

  /** Every request gets its id (and its response `X-Request-Id`) before any handler runs. */
  private attachRequestIds(type: string, instance: unknown, consumer: MiddlewareConsumer): void {
    const { requestId } = this.settings;
    if (!requestId.enabled) {
      return;
    }
    switch (type) {
      case 'express':
        if (!this.expressIdsAdded) {
          addExpressRequestIdHandler(
            instance as Parameters<typeof addExpressRequestIdHandler>[0],
            requestId,
          );
        }
        break;
      case 'fastify':
        addFastifyRequestIdHook(
          instance as Parameters<typeof addFastifyRequestIdHook>[0],
          requestId,
        );
        break;
      default:
        consumer.apply(RequestIdMiddleware).forRoutes('*path');
    }
  }

  /**
   * What Node's HTTP/1 server answers on its own, answered in the format of the request's path:
   * the requests it refuses once their head is read (no Host, an unknown Expect) and those its
   * parser refuses (`clientError`: malformed, too large, timed out).
   */
  private attachNodeServer(type: string, adapter: HttpServer, instance: unknown): void {
    const server = adapter.getHttpServer() as
      | (ClientErrorEmitter &
          RefusingServer &
          Parameters<typeof recordUnfinishedHeads>[0] &
          Parameters<typeof removeFastifyClientErrorHandler>[0])
      | undefined;
    if (server === undefined) {
      return;
    }
    // HTTP/2's compatibility API refuses an unknown Expect the same way (it has no Host check).
    answerRequestRefusals(server, (exception, exchange) =>
      this.pipeline.handle(exception, exchange),
    );
    // HTTP/2 sessions report protocol errors elsewhere; the listeners below write HTTP/1.1.
    if ((instance as { initialConfig?: { http2?: boolean } }).initialConfig?.http2 === true) {
      return;
    }
    if (detectNodeParserInternals()) {
      this.stopRecordingHeads = recordUnfinishedHeads(server);
    } else {
      this.uncovered(
        "Node does not keep a socket's parser where nest-api-errors looks: a request whose headers time out is answered with a 408 in the format of `/`, not of its path",
      );
    }
    this.attachClientErrors(type, server);
  }

  /** Requests Node's HTTP parser refuses, answered in the format of their request line's path. */
  private attachClientErrors(
    type: string,
    server: ClientErrorEmitter & Parameters<typeof removeFastifyClientErrorHandler>[0],
  ): void {
    if (
      type === 'fastify' &&
      !removeFastifyClientErrorHandler(server) &&
      server.listenerCount('clientError') > 0
    ) {
      this.uncovered(
        "another clientError listener than Fastify's default is installed (your clientErrorHandler option?): requests the HTTP parser refuses are answered by it",
      );
      return;
    }
    if (!detectNodeHttpInternals()) {
      this.uncovered(
        "Node does not keep a socket's response in flight where nest-api-errors looks: a request the HTTP parser refuses after its response started may get a second response",
      );
    }
    const { enabled, header } = this.settings.requestId;
    installClientErrorListener(
      server,
      createClientErrorListener(
        (exception, exchange) => this.pipeline.handle(exception, exchange),
        enabled ? header : undefined,
      ),
    );
  }

  /**
   * Express's matched route is read only where routes have a binding (a declared format, or
   * declared errors to check): checked once routes exist.
   */
  onApplicationBootstrap(): void {
    if (
      this.platform?.type === 'express' &&
      this.formats.bindsHttpRoutes &&
      !detectExpressInternals(this.platform.instance)
    ) {
      this.uncovered(
        "Express does not keep a matched route's handlers where nest-api-errors looks: errors of routes with UseErrorFormat are answered in the format of their path (routes, else format), and declaredErrors checks no route",
      );
    }
  }

  onModuleDestroy(): void {
    this.adapterSet?.unsubscribe();
    this.rpcServers?.unsubscribe();
    this.stopRecordingUpgrades?.();
    this.stopRecordingHeads?.();
  }

  /** One warning per hook that could not be installed, naming the errors it leaves out. */
  private uncovered(what: string): void {
    try {
      this.logger.warn(`Outside the error contract: ${what}.`);
    } catch {
      // A logger that throws changes nothing here.
    }
  }
}
