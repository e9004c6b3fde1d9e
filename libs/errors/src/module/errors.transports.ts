import { type HttpServer, Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { answerUnknownPatterns } from '../protocols/rpc.unknown-pattern.js';
import { recordUpgradeHeaders } from '../protocols/ws.handshake.js';
import { ErrorsFilter } from './errors.filter.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';
import { installSseErrors } from './sse-errors.interceptor.js';
import { routeFilterFor } from './use-error-format.decorator.js';

/**
 * The errors Nest answers outside the exception filters, brought under the contract: a request
 * for an unknown microservice pattern, an `@Sse()` stream that fails after its headers. Also
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
      filter = new Filter(this.settings, this.adapterHost);
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
  }

  onModuleDestroy(): void {
    this.rpcServers?.unsubscribe();
    this.stopRecordingUpgrades?.();
  }
}
