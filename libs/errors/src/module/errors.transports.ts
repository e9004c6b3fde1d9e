import { type HttpServer, Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { answerUnknownPatterns } from '../protocols/rpc.unknown-pattern.js';
import { recordUpgradeHeaders } from '../protocols/ws.handshake.js';
import { ErrorsFilter } from './errors.filter.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/**
 * The errors Nest answers outside the exception filters, brought under the contract: a request
 * for an unknown microservice pattern. Also keeps
 * the handshake headers of `ws` connections, for their request ids. Each goes through the same
 * pipeline as every other error, with the module's `ErrorsFilter` (or a route's `UseErrorFormat`
 * one).
 */
@Injectable()
export class ErrorsTransports implements OnModuleDestroy {
  private readonly filters = new Map<ErrorFormat | undefined, ErrorsFilter>();
  private readonly rpcServers: Subscription | undefined;
  private stopRecordingUpgrades: (() => void) | undefined;

  constructor(
    @Inject(ERRORS_SETTINGS) private readonly settings: ErrorsSettings,
    private readonly adapterHost: HttpAdapterHost,
    modules: ModulesContainer,
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
      filter = new ErrorsFilter(this.settings, this.adapterHost);
      this.filters.set(format, filter);
    }
    return filter;
  }

  /**
   * Once the HTTP platform is known and the gateways are bound, before routes are registered
   * (`ErrorsModule.configure`).
   */
  attachHttp(adapter: HttpServer): void {
    this.stopRecordingUpgrades = recordUpgradeHeaders(adapter.getHttpServer());
  }

  onModuleDestroy(): void {
    this.rpcServers?.unsubscribe();
    this.stopRecordingUpgrades?.();
  }
}
