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

/**
 * Parameters that read the body, those that read its files (a multipart body), and those the
 * validation pipe checks.
 */
const BODY_PARAMS: ReadonlySet<number> = new Set([RouteParamtypes.BODY, RouteParamtypes.RAW_BODY]);
const FILE_PARAMS: ReadonlySet<number> = new Set([RouteParamtypes.FILE, RouteParamtypes.FILES]);
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

/** `@nestjs/swagger`'s metadata key of `@ApiConsumes` (the package is an optional peer). */
const SWAGGER_API_CONSUMES = 'swagger/apiConsumes';

/**
 * The media types a route says it consumes (`@ApiConsumes` on it, else on its controller, as
 * swagger reads them); undefined when it says none (swagger's default: JSON).
 */
function consumedTypes(controller: Function, handler: unknown): string[] | undefined {
  const declared: unknown =
    (typeof handler === 'function'
      ? Reflect.getMetadata(SWAGGER_API_CONSUMES, handler)
      : undefined) ?? Reflect.getMetadata(SWAGGER_API_CONSUMES, controller);
  return Array.isArray(declared) && declared.length > 0
    ? declared.filter((type): type is string => typeof type === 'string')
    : undefined;
}

const isMultipart = (type: string) => type.toLowerCase().startsWith('multipart/');

/**
 * What a route takes, from Nest's own metadata: its method, its parameter decorators
 * (`ROUTE_ARGS_METADATA`, keyed `<paramtype>:<index>`, with their pipes) and their TypeScript
 * types (`design:paramtypes`), and the media types `@ApiConsumes` declares. A parameter is
 * validated when the pipe is on and it has a class type or a Standard Schema
 * (`@Body({ schema })`). A route is multipart when it takes files (`@UploadedFile()`) or
 * consumes a multipart type; it is read by the body parsers unless every type it consumes is
 * multipart (a JSON request to it is outside what it documents).
 */
function routeInput(controller: Function, method: string, validation: boolean): RouteInput {
  const handler: unknown = (controller.prototype as Record<string, unknown>)[method];
  const verb: unknown =
    typeof handler === 'function' ? Reflect.getMetadata(METHOD_METADATA, handler) : undefined;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
    string,
    { index: number; schema?: unknown; pipes?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) ??
    []) as unknown[];
  const consumes = consumedTypes(controller, handler);
  let body = BODY_METHODS.has(verb as RequestMethod);
  let multipart = consumes?.some(isMultipart) === true;
  let validated = false;
  const pipes: unknown[] = [];
  // In the order of the parameters (decorators record them last first).
  const params = Object.entries(args).sort(([, a], [, b]) => a.index - b.index);
  for (const [key, arg] of params) {
    const paramtype = Number(key.split(':')[0]);
    body ||= BODY_PARAMS.has(paramtype);
    multipart ||= FILE_PARAMS.has(paramtype);
    if (validation && VALIDATED_PARAMS.has(paramtype)) {
      const type = types[arg.index];
      validated ||=
        arg.schema !== undefined || (typeof type === 'function' && !UNVALIDATED_TYPES.has(type));
    }
    if (Array.isArray(arg.pipes)) {
      pipes.push(...(arg.pipes as unknown[]));
    }
  }
  if (consumes !== undefined) {
    body &&= !consumes.every(isMultipart);
  }
  return { body, multipart, validated, pipes };
}

/**
 * Tells `ApiErrors` how this application answers errors, controller by controller: the format of
 * a route (through the one resolver the errors themselves use), the redaction of its examples,
 * the docs link, the headers its errors carry, and what each route takes (so the errors its body
 * parsers and validation pipe answer before a handler runs are documented too). Built while the
 * application is created, so the OpenAPI document (`SwaggerModule.createDocument`, which runs
 * before `listen`) already sees it, and scoped to this application's controllers (two applications
 * in one process sharing a controller share its examples: the last one created wins). The global
 * prefix is read only when the
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
