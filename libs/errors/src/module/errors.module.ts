import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type PipeTransform,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE, HttpAdapterHost } from '@nestjs/core';
import { GraphQLErrorsPlugin } from '../protocols/graphql.plugin.js';
import { createValidationPipe } from '../validation/validation.pipe-factory.js';
import { ERRORS_MODULE_OPTIONS } from './errors.constants.js';
import { ErrorsDocumentation } from './errors.documentation.js';
import { ErrorsFilter } from './errors.filter.js';
import { ErrorsTransports } from './errors.transports.js';
import {
  ConfigurableErrorsModule,
  ERRORS_ASYNC_OPTIONS_TYPE,
  ERRORS_OPTIONS_TYPE,
} from './errors.module-definition.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';
import { ERRORS_SETTINGS, type ErrorsSettings, errorsSettingsProvider } from './errors.settings.js';
import {
  RequestIdMiddleware,
  addExpressRequestIdHandler,
  addFastifyRequestIdHook,
} from './request-id.hooks.js';

/** Stands in for the validation pipe when `validation: false`: arguments pass as they came. */
const passThroughPipe: PipeTransform = { transform: (value: unknown) => value };

/**
 * One error contract for the whole application. Importing it once (global) installs
 * `ErrorsFilter` as `APP_FILTER` and, unless `validation: false`, `createValidationPipe()` as
 * `APP_PIPE`: apps built with `NestFactory.create` and with `Test.createTestingModule` get both
 * without any `useGlobal*` call. With `@nestjs/apollo`, it also adds an Apollo plugin that gives
 * errors raised before resolvers run their request id, status and log line.
 *
 * @example
 * @Module({ imports: [ErrorsModule.forRoot({ format: 'timestamped' })] })
 * export class AppModule {}
 *
 * @example
 * ErrorsModule.forRootAsync({
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ exposeInternalErrors: config.get('DEBUG') === '1' }),
 * })
 */
@Module({
  providers: [
    errorsSettingsProvider,
    ErrorsDocumentation,
    ErrorsTransports,
    { provide: APP_FILTER, useClass: ErrorsFilter },
    // Found by @nestjs/apollo's driver like any @Plugin() provider; inert without GraphQL.
    {
      provide: GraphQLErrorsPlugin,
      inject: [ERRORS_SETTINGS],
      useFactory: (settings: ErrorsSettings) => new GraphQLErrorsPlugin(settings),
    },
    {
      provide: APP_PIPE,
      inject: [ERRORS_MODULE_OPTIONS],
      useFactory: (options: ErrorsModuleOptions): PipeTransform =>
        options.validation === false ? passThroughPipe : createValidationPipe(options.validation),
    },
  ],
  // The settings go with the options: UseErrorFormat's filters, built in other modules, need them.
  exports: [ERRORS_MODULE_OPTIONS, ERRORS_SETTINGS],
})
export class ErrorsModule extends ConfigurableErrorsModule implements NestModule {
  constructor(
    @Inject(ERRORS_SETTINGS) private readonly settings: ErrorsSettings,
    private readonly adapterHost: HttpAdapterHost,
    private readonly transports: ErrorsTransports,
  ) {
    super();
  }

  /**
   * Every request gets its id (and its response `X-Request-Id`) before any handler runs: a plain
   * handler first in Express's stack, a Fastify `onRequest` hook, Nest middleware on any other
   * platform. Runs while the app initializes, when the HTTP adapter is known, before routes are
   * registered. Then the transports' own errors are wired (see `ErrorsTransports`).
   */
  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter !== undefined) {
      this.transports.attachHttp(adapter);
    }
    if (!this.settings.requestId.enabled) {
      return;
    }
    switch (adapter?.getType()) {
      case 'express':
        addExpressRequestIdHandler(adapter.getInstance(), this.settings.requestId);
        break;
      case 'fastify':
        addFastifyRequestIdHook(adapter.getInstance(), this.settings.requestId);
        break;
      default:
        consumer.apply(RequestIdMiddleware).forRoutes('*path');
    }
  }

  /** Registers the error contract with these options (all optional). */
  static override forRoot(options: typeof ERRORS_OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  /** Registers the error contract with options from a factory, class or existing provider. */
  static override forRootAsync(options: typeof ERRORS_ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
