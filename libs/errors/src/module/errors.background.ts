import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import {
  EVENT_SUBSCRIBERS_LOADER,
  routeEventListenerErrors,
} from '../platforms/event-emitter.platform.js';
import { watchProcessErrors } from '../platforms/node-process.platform.js';
import { SCHEDULE_EXPLORER, routeScheduledJobErrors } from '../platforms/schedule.platform.js';
import type { BackgroundKind } from '../protocols/error-exchange.js';
import { ErrorPipeline } from './error.pipeline.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/** Reports one error outside a request through an application's pipeline. */
type BackgroundReport = (thrown: unknown, kind: BackgroundKind, name: string) => void;

/**
 * The report of the application each package service (an event loader, a schedule explorer)
 * belongs to. The services' classes are replaced once per process, and several applications may
 * run in one (tests): each failing handler is reported by its own service's application, and a
 * service of an application without ErrorsModule, or one closed, keeps the package's behaviour.
 */
const reports = new WeakMap<object, BackgroundReport>();

/** A provider as Nest's container holds it: its class, and its instance once created. */
interface ProviderWrapper {
  metatype?: unknown;
  instance?: unknown;
}

/**
 * Errors no request waits for, through the one pipeline with a `background` exchange: the errors
 * of `@OnEvent` listeners (@nestjs/event-emitter) and of `@Cron`, `@Interval` and `@Timeout` jobs
 * (@nestjs/schedule) whenever those packages are used, and, with `processErrors`, uncaught
 * exceptions and unhandled rejections. Each is logged once (`EVENT order.created 500
 * requestId=…`), recorded on the active span and told to the reporters. The packages are found by
 * their services' class names in the application's container, never imported; `platforms/` holds
 * what is known of them.
 */
@Injectable()
export class ErrorsBackground implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ErrorsModule');
  /** This application's event loaders and schedule explorers. */
  private readonly services: ProviderWrapper[] = [];
  /** What could not be routed, said once the app's logger is in place. */
  private readonly uncovered: string[] = [];
  private stopWatchingProcess: (() => void) | undefined;
  private readonly report: BackgroundReport = (thrown, kind, name) => {
    this.pipeline.handle(thrown, { transport: 'background', kind, name });
  };

  constructor(
    @Inject(ERRORS_SETTINGS) private readonly settings: ErrorsSettings,
    private readonly pipeline: ErrorPipeline,
    modules: ModulesContainer,
  ) {
    // While the application's providers are created, before any module initializes: the schedule
    // explorer reads its jobs when its module does, whatever the order of `imports`.
    for (const moduleRef of modules.values()) {
      for (const wrapper of moduleRef.providers.values() as Iterable<ProviderWrapper>) {
        this.route(wrapper);
      }
    }
  }

  /** A package service of this application: its class is made to report through `reports`. */
  private route(wrapper: ProviderWrapper): void {
    const type = wrapper.metatype;
    if (typeof type !== 'function' || typeof type.prototype !== 'object') {
      return;
    }
    if (type.name === EVENT_SUBSCRIBERS_LOADER) {
      const routed = routeEventListenerErrors(type, (loader) => {
        const report = reports.get(loader);
        return report && ((thrown, event) => report(thrown, 'event', event));
      });
      this.track(wrapper, routed, "@nestjs/event-emitter's", '@OnEvent listeners', 'Event');
    } else if (type.name === SCHEDULE_EXPLORER) {
      const routed = routeScheduledJobErrors(type, (explorer) => {
        const report = reports.get(explorer);
        return report && ((thrown, job) => report(thrown, job.kind, job.name));
      });
      this.track(
        wrapper,
        routed,
        "@nestjs/schedule's",
        '@Cron, @Interval and @Timeout jobs',
        'Scheduler',
      );
    }
  }

  /** A service whose class could not be routed is named in a warning, with what it leaves out. */
  private track(
    wrapper: ProviderWrapper,
    routed: 'patched' | 'missing',
    owner: string,
    handlers: string,
    context: string,
  ): void {
    if (routed === 'patched') {
      this.services.push(wrapper);
    } else {
      this.uncovered.push(
        `${owner} ${(wrapper.metatype as { name: string }).name} has no wrapFunctionInTryCatchBlocks where nest-api-errors looks: errors of ${handlers} are logged by the package (context ${context}), not by ErrorsFilter, and no reporter is told`,
      );
    }
  }

  /**
   * Every provider exists now; handlers run only from here on. Warnings wait for this too: the
   * app's own logger is not in place while providers are created.
   */
  onModuleInit(): void {
    for (const what of this.uncovered) {
      try {
        this.logger.warn(`Outside the error contract: ${what}.`);
      } catch {
        // A logger that throws changes nothing here.
      }
    }
    for (const { instance } of this.services) {
      if (typeof instance === 'object' && instance !== null) {
        reports.set(instance, this.report);
      }
    }
    if (this.settings.processErrors) {
      this.stopWatchingProcess = watchProcessErrors((error, origin) =>
        this.report(error, 'process', origin),
      );
    }
  }

  /** The last hook of `app.close()`: errors of other modules' shutdown hooks are still reported. */
  onApplicationShutdown(): void {
    for (const { instance } of this.services) {
      if (
        typeof instance === 'object' &&
        instance !== null &&
        reports.get(instance) === this.report
      ) {
        reports.delete(instance);
      }
    }
    this.stopWatchingProcess?.();
    this.stopWatchingProcess = undefined;
  }
}
