import { Inject, Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import {
  type ErrorDocumentation,
  type RouteInput,
  documentControllerErrors,
} from '../docs/api-errors.decorator.js';
import { ErrorFormatResolver } from './error-format.resolver.js';
import { ERRORS_MODULE_OPTIONS } from './errors.constants.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/** Methods whose requests carry a body, so the body parsers run on them on both platforms. */
const BODY_METHODS: ReadonlySet<RequestMethod> = new Set([
  RequestMethod.POST,
  RequestMethod.PUT,
  RequestMethod.PATCH,
  RequestMethod.ALL,
]);

/** Parameters that read the body (or its files), and those the validation pipe checks. */
const BODY_PARAMS: ReadonlySet<number> = new Set([
  RouteParamtypes.BODY,
  RouteParamtypes.RAW_BODY,
  RouteParamtypes.FILE,
  RouteParamtypes.FILES,
]);
const VALIDATED_PARAMS: ReadonlySet<number> = new Set([
  RouteParamtypes.BODY,
  RouteParamtypes.QUERY,
  RouteParamtypes.PARAM,
]);

/** Types Nest's `ValidationPipe` passes through unchecked (`toValidate`). */
const UNVALIDATED_TYPES: ReadonlySet<unknown> = new Set([
  String,
  Boolean,
  Number,
  Array,
  Object,
  Buffer,
  Date,
]);

/**
 * What a route takes, from Nest's own metadata: its method, its parameter decorators
 * (`ROUTE_ARGS_METADATA`, keyed `<paramtype>:<index>`) and their TypeScript types
 * (`design:paramtypes`). A parameter is validated when the pipe is on and it has a class type or
 * a Standard Schema (`@Body({ schema })`).
 */
function routeInput(controller: Function, method: string, validation: boolean): RouteInput {
  const handler: unknown = (controller.prototype as Record<string, unknown>)[method];
  const verb: unknown =
    typeof handler === 'function' ? Reflect.getMetadata(METHOD_METADATA, handler) : undefined;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; schema?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) ??
    []) as unknown[];
  let body = BODY_METHODS.has(verb as RequestMethod);
  let validated = false;
  for (const [key, arg] of Object.entries(args)) {
    const paramtype = Number(key.split(':')[0]);
    body ||= BODY_PARAMS.has(paramtype);
    if (validation && VALIDATED_PARAMS.has(paramtype)) {
      const type = types[arg.index];
      validated ||=
        arg.schema !== undefined || (typeof type === 'function' && !UNVALIDATED_TYPES.has(type));
    }
  }
  return { body, validated };
}

/**
 * Tells `ApiErrors` how this application answers errors, controller by controller: the format of
 * a route (through the one resolver the errors themselves use), the redaction of its examples,
 * the docs link, the headers its errors carry, and what each route takes (so the errors its body
 * parsers and validation pipe answer before a handler runs are documented too). Built while the
 * application is created, so the OpenAPI document (`SwaggerModule.createDocument`, which runs
 * before `listen`) already sees it, and scoped to this application's controllers, so two
 * applications in one process keep their own examples. The global prefix is read only when the
 * document is built: `app.setGlobalPrefix()` runs after the application is created.
 */
@Injectable()
export class ErrorsDocumentation {
  constructor(
    @Inject(ERRORS_SETTINGS) settings: ErrorsSettings,
    @Inject(ERRORS_MODULE_OPTIONS) options: ErrorsModuleOptions,
    formats: ErrorFormatResolver,
    modules: ModulesContainer,
    config: ApplicationConfig,
  ) {
    const validation = options.validation !== false;
    const documentation: ErrorDocumentation = {
      formatOf: (handler, controller, path) =>
        formats.forRoute(formats.declared(handler, controller), path),
      globalPrefix: () => config.getGlobalPrefix(),
      docsBaseUrl: settings.docsBaseUrl,
      redaction: settings.normalize,
      requestIdHeader: settings.requestId.enabled ? settings.requestId.header : undefined,
      wwwAuthenticate: settings.wwwAuthenticate,
      inputOf: (controller, method) => routeInput(controller, method, validation),
    };
    for (const module of modules.values()) {
      for (const wrapper of module.controllers.values()) {
        if (typeof wrapper.metatype === 'function') {
          documentControllerErrors(wrapper.metatype, documentation);
        }
      }
    }
  }
}
