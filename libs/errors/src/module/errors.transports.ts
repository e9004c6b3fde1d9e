import {
  type HttpServer,
  Inject,
  Injectable,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { answerUnknownPatterns } from '../protocols/rpc.unknown-pattern.js';
import { recordUpgradeHeaders } from '../protocols/ws.handshake.js';
import { ErrorsFilter } from './errors.filter.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';
import {
  createClientErrorListener,
  installClientErrorListener,
  notFoundOutsidePrefix,
  routeFastifyFrameworkErrors,
} from './platform.hooks.js';
import { installSseErrors } from './sse-errors.interceptor.js';
import { routeFilterFor } from './use-error-format.decorator.js';

/**
 * The errors Nest answers outside the exception filters, brought under the contract: a request
 * for an unknown microservice pattern, an `@Sse()` stream that fails after its headers, and the
 * errors the HTTP platform answers itself (`attachPlatformErrors`). Also
 * keeps the handshake headers of `ws` connections, for their request ids. Each goes through the
 * same pipeline as every other error, with the module's `ErrorsFilter` (or, for an `@Sse()` route
 * with `UseErrorFormat`, that format's).
 */
@Injectable()
export class ErrorsTransports implements OnModuleDestroy {
  private readonly filters = new Map<ErrorFormat | undefined, ErrorsFilter>();
  private readonly rpcServers: Subscription | undefined;
  private stopRecordingUpgrades: (() => void) | undefined;

  constructor(
    @Inject(ERRORS_SETTINGS) private readonly settings: ErrorsSettings,
    private readonly adapterHost: HttpAdapterHost,
    private readonly modules: ModulesContainer,
    /** So these filters, like the module's, hand over to an app's subclass or typed filters. */
    @Optional() private readonly config?: ApplicationConfig,
  ) {
    // Every microservice of this application (hybrid or standalone), as Nest creates it.
    this.rpcServers = modules
      .getRpcTargetRegistry?.()
      .subscribe((server) =>
        answerUnknownPatterns(server, (exception, host) =>
          this.filterFor(undefined).catch(exception, host),
        ),
      );
  }

  /** The filter for `format` (`UseErrorFormat`), or the module's own. */
  private filterFor(format: ErrorFormat | undefined): ErrorsFilter {
    let filter = this.filters.get(format);
    if (filter === undefined) {
      const Filter = format === undefined ? ErrorsFilter : routeFilterFor(format);
      filter = new Filter(this.settings, this.adapterHost, this.config);
      this.filters.set(format, filter);
    }
    return filter;
  }

  /**
   * Once the HTTP platform is known and the gateways are bound, before routes are registered
   * (`ErrorsModule.configure`).
   */
  attachHttp(adapter: HttpServer): void {
    const platform: unknown = adapter.getInstance();
    if (typeof platform === 'object' || typeof platform === 'function') {
      installSseErrors(this.modules, platform as object, (format) => this.filterFor(format));
    }
    this.stopRecordingUpgrades = recordUpgradeHeaders(adapter.getHttpServer());
    this.attachPlatformErrors(adapter);
  }

  /**
   * What Express, Fastify and Node answer on their own, before any route, middleware or filter:
   * router errors (Fastify), unknown routes outside the global prefix (Express), and requests the
   * HTTP parser rejects (both). See `platform.hooks.ts`.
   */
  private attachPlatformErrors(adapter: HttpServer): void {
    const type = adapter.getType();
    const platform = adapter.getInstance() as { initialConfig?: { http2?: boolean } };
    if (type === 'fastify') {
      routeFastifyFrameworkErrors(platform);
    } else if (type === 'express') {
      notFoundOutsidePrefix(adapter as unknown as Parameters<typeof notFoundOutsidePrefix>[0]);
    } else {
      return;
    }
    const server = adapter.getHttpServer() as Parameters<typeof installClientErrorListener>[0];
    // HTTP/2 sessions report protocol errors elsewhere; this listener writes HTTP/1.1.
    if (server !== undefined && platform.initialConfig?.http2 !== true) {
      const { enabled, header } = this.settings.requestId;
      installClientErrorListener(
        server,
        createClientErrorListener(this.filterFor(undefined), enabled ? header : undefined),
      );
    }
  }

  onModuleDestroy(): void {
    this.rpcServers?.unsubscribe();
    this.stopRecordingUpgrades?.();
  }
}
