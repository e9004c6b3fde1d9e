import {
  type DynamicModule,
  type ExceptionFilter,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationBootstrap,
  type PipeTransform,
} from '@nestjs/common';
import { FILTER_CATCH_EXCEPTIONS } from '@nestjs/common/constants.js';
import { APP_PIPE, ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { createValidationPipe } from '../validation/validation.pipe-factory.js';
import { ERRORS_MODULE_OPTIONS } from './errors.constants.js';
import { ErrorsBackground } from './errors.background.js';
import { ErrorsDocumentation } from './errors.documentation.js';
import { ErrorsFilter } from './errors.filter.js';
import { ErrorFormatResolver } from './error-format.resolver.js';
import { ErrorPipeline } from './error.pipeline.js';
import { errorWritersProvider } from './error.writers.js';
import {
  ConfigurableErrorsModule,
  ERRORS_ASYNC_OPTIONS_TYPE,
  ERRORS_OPTIONS_TYPE,
} from './errors.module-definition.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';
import { ErrorsPlatforms } from './errors.platforms.js';
import { errorsSettingsProvider } from './errors.settings.js';
import { GraphQLErrorsPlugin } from './graphql-errors.plugin.js';

/** Stands in for the validation pipe when `validation: false`: arguments pass as they came. */
const passThroughPipe: PipeTransform = { transform: (value: unknown) => value };

/** The exception types a filter's `@Catch()` names; none: it catches everything. */
function caughtTypes(filter: object): readonly unknown[] {
  return (Reflect.getMetadata(FILTER_CATCH_EXCEPTIONS, Object.getPrototypeOf(filter)) ??
    Reflect.getMetadata(FILTER_CATCH_EXCEPTIONS, filter.constructor) ??
    []) as unknown[];
}

/**
 * One error contract for the whole application. Importing it once (global) registers
 * `ErrorsFilter` as a global filter and, unless `validation: false`, `createValidationPipe()` as
 * `APP_PIPE`: apps built with `NestFactory.create` and with `Test.createTestingModule` get both
 * without any `useGlobal*` call. With `@nestjs/apollo`, it also adds an Apollo plugin that gives
 * errors raised before resolvers run their request id, status and log line. With
 * `@nestjs/event-emitter` or `@nestjs/schedule`, the errors of `@OnEvent` listeners and scheduled
 * jobs get the same log line and reporters (and with `processErrors`, the process's own).
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
    errorWritersProvider,
    ErrorFormatResolver,
    ErrorPipeline,
    ErrorsFilter,
    ErrorsPlatforms,
    ErrorsBackground,
    ErrorsDocumentation,
    // Found by @nestjs/apollo's driver like any @Plugin() provider; inert without GraphQL.
    GraphQLErrorsPlugin,
    {
      provide: APP_PIPE,
      inject: [ERRORS_MODULE_OPTIONS],
      useFactory: (options: ErrorsModuleOptions): PipeTransform =>
        options.validation === false ? passThroughPipe : createValidationPipe(options.validation),
    },
  ],
  // The public options token, and what `@UseFilters(ErrorsFilter)` on a gateway and an app's own
  // ErrorsFilter subclass inject.
  exports: [ERRORS_MODULE_OPTIONS, ErrorPipeline],
})
export class ErrorsModule
  extends ConfigurableErrorsModule
  implements NestModule, OnApplicationBootstrap
{
  private readonly logger = new Logger('ErrorsModule');

  constructor(
    private readonly filter: ErrorsFilter,
    private readonly config: ApplicationConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly platforms: ErrorsPlatforms,
  ) {
    super();
    // Registered while the application is created, before the `APP_FILTER` providers Nest applies
    // next and the `useGlobalFilters` of main.ts: Nest asks global filters last-registered first,
    // so every filter of the app whose @Catch() names types is asked before this catch-all one.
    config.useGlobalFilters(filter);
  }

  /**
   * While the app initializes, when the HTTP adapter is known, before routes are registered: the
   * platforms' own answers are brought under the contract (see `ErrorsPlatforms`).
   */
  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter !== undefined) {
      this.platforms.attachHttp(adapter, consumer);
    }
  }

  /**
   * A catch-all global filter of the app's own (`@Catch()` with no type, by `APP_FILTER` or
   * `useGlobalFilters`) is asked before this module's and answers every error: said once, at
   * start-up, with the fix. Filters that name types, and `ErrorsFilter` subclasses, are fine.
   */
  onApplicationBootstrap(): void {
    const filters: object[] = [
      ...this.config.getGlobalFilters(),
      ...this.config
        .getGlobalRequestFilters()
        .map((wrapper) => (wrapper.metatype as { prototype?: object } | null)?.prototype)
        .filter((prototype): prototype is object => prototype !== undefined),
    ];
    for (const filter of filters as ExceptionFilter[]) {
      if (
        filter === this.filter ||
        filter instanceof ErrorsFilter ||
        caughtTypes(filter).length > 0
      ) {
        continue;
      }
      const name = filter.constructor?.name || 'An anonymous filter';
      try {
        this.logger.warn(
          `${name} is a global exception filter whose @Catch() names no exception type: Nest asks it before ErrorsModule's, so it answers every error and the documented error bodies are not sent. Extend ErrorsFilter instead (override its protected steps), or name the exception types ${name} handles in its @Catch().`,
        );
      } catch {
        // A logger that throws changes nothing here.
      }
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
