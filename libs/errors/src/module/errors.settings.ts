import type { Provider } from '@nestjs/common';
import type { LoggingSettings } from '../core/error.logger.js';
import { type ReporterSettings, compileReporters } from '../core/error.reporters.js';
import type { MetricsApi } from '../core/error.metrics.js';
import { type TelemetryApi, loadOpenTelemetry } from '../core/error.telemetry.js';
import { type Translations, compileTranslations } from '../core/error.translator.js';
import type { ErrorMapper } from '../core/error.mapping.js';
import type { NormalizeOptions } from '../core/error.normalizer.js';
import { defaultErrorMappers } from '../mappers/error-mappers.js';
import { DEFAULT_REQUEST_ID_HEADER, type RequestIdSettings } from '../core/request-id.resolver.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { DEFAULT_FORMAT, resolveFormat } from '../formats/format.registry.js';
import { type RouteFormatLookup, compileFormatRoutes } from '../formats/format.routes.js';
import { ERRORS_MODULE_OPTIONS } from './errors.constants.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';

/** The module options with every default applied, computed once at start-up. */
export interface ErrorsSettings {
  format: ErrorFormat;
  /** `routes`, compiled: the format of an HTTP request's path; undefined without routes. */
  routeFormat: RouteFormatLookup | undefined;
  normalize: NormalizeOptions;
  requestId: RequestIdSettings;
  logging: LoggingSettings;
  docsBaseUrl: string | undefined;
  negotiate: boolean;
  /** `messages`, compiled; undefined without any. */
  translations: Translations | undefined;
  /** `reporters` with defaults; undefined without any. */
  reporters: ReporterSettings[] | undefined;
  /** `@opentelemetry/api`, when installed and not turned off. */
  telemetry: TelemetryApi | undefined;
  /** `@opentelemetry/api` for the `api.errors` counter, when installed and `metrics` is not false. */
  metrics: MetricsApi | undefined;
  /** `declaredErrors: 'warn'`: an error a route's `@ApiErrors` does not declare is logged once. */
  warnUndeclaredErrors: boolean;
  /** `WWW-Authenticate` of a 401; undefined with `wwwAuthenticate: false`. */
  wwwAuthenticate: string | undefined;
  /** `grpc.domain`; undefined: each call's service name. */
  grpc: { domain: string | undefined };
  /** Uncaught exceptions and unhandled rejections are reported before the process ends. */
  processErrors: boolean;
}

/**
 * Internal token of the resolved settings: the pipeline, its writers, the platform wiring and the
 * OpenAPI documentation inject these rather than each resolving the options again; redaction
 * (`normalize.exposeInternalErrors`) is decided here once for every protocol and example. Not exported from
 * the package: `ERRORS_MODULE_OPTIONS` is the public token.
 */
export const ERRORS_SETTINGS = Symbol('ERRORS_SETTINGS');

/** Applies the defaults documented on `ErrorsModuleOptions`; throws on an unknown format name. */
export function resolveErrorsSettings(options: ErrorsModuleOptions = {}): ErrorsSettings {
  const requestId = options.requestId === false ? undefined : (options.requestId ?? {});
  const format = resolveFormat(options.format ?? DEFAULT_FORMAT);
  return {
    format,
    routeFormat: compileFormatRoutes(options.routes),
    normalize: {
      exposeInternalErrors: options.exposeInternalErrors ?? false,
      mappers: mappersOf(options.mappers),
    },
    requestId: {
      enabled: requestId !== undefined,
      header: (requestId?.header ?? DEFAULT_REQUEST_ID_HEADER).toLowerCase(),
      generate: requestId?.generate,
      trustIncoming: requestId?.trustIncoming ?? true,
    },
    logging: {
      serverErrors: options.logging?.serverErrors ?? 'error',
      clientErrors: options.logging?.clientErrors ?? 'debug',
    },
    docsBaseUrl: options.docsBaseUrl,
    negotiate: options.negotiate ?? false,
    translations: compileTranslations(options.messages),
    reporters: compileReporters(options.reporters),
    telemetry: loadOpenTelemetry<TelemetryApi>(options.telemetry),
    metrics: loadOpenTelemetry<MetricsApi>(options.metrics),
    warnUndeclaredErrors: declaredErrorsOption(options.declaredErrors) === 'warn',
    wwwAuthenticate: wwwAuthenticateOf(options.wwwAuthenticate),
    grpc: { domain: grpcDomainOf(options.grpc?.domain) },
    processErrors: options.processErrors === true,
  };
}

/** The mappers as given (a copy), or the defaults; refuses anything but a list of functions, at start-up. */
function mappersOf(option: readonly ErrorMapper[] | undefined): readonly ErrorMapper[] {
  if (option === undefined) {
    return defaultErrorMappers;
  }
  if (!Array.isArray(option) || option.some((mapper) => typeof mapper !== 'function')) {
    throw new TypeError(
      'ErrorsModule mappers: a list of functions, (thrown) => replacement | undefined, e.g. [myMapper, ...defaultErrorMappers]',
    );
  }
  return Object.freeze([...option]);
}

/** `declaredErrors`, checked at start-up: a typo would silently turn the check off. */
function declaredErrorsOption(option: unknown): 'off' | 'warn' {
  if (option === undefined || option === 'off' || option === 'warn') {
    return option ?? 'off';
  }
  throw new TypeError(
    `ErrorsModule declaredErrors: 'off' or 'warn', not ${JSON.stringify(option)}`,
  );
}

/** The challenge as sent; refuses one that could split the header, at start-up. */
function wwwAuthenticateOf(option: string | false | undefined): string | undefined {
  if (option === false) {
    return undefined;
  }
  const challenge = option ?? 'Bearer';
  if (typeof challenge !== 'string' || !/^[\x20-\x7e]+$/.test(challenge)) {
    throw new TypeError('ErrorsModule wwwAuthenticate: a challenge like `Bearer realm="api"`');
  }
  return challenge;
}

/** The `ErrorInfo.domain` of gRPC errors; refuses one that is not a non-empty string, at start-up. */
function grpcDomainOf(domain: string | undefined): string | undefined {
  if (domain !== undefined && (typeof domain !== 'string' || domain === '')) {
    throw new TypeError('ErrorsModule grpc.domain: a non-empty string like `heroes.example.com`');
  }
  return domain;
}

/** Resolves the settings once per application, from the options `forRoot`/`forRootAsync` got. */
export const errorsSettingsProvider: Provider = {
  provide: ERRORS_SETTINGS,
  inject: [ERRORS_MODULE_OPTIONS],
  useFactory: resolveErrorsSettings,
};
