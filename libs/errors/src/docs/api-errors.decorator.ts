import { HttpException } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { createRequire } from 'node:module';
import { STATUS_CODES } from 'node:http';
import type { ApiExceptionClass } from '../core/api.exception.js';
import type { NormalizeOptions } from '../core/error.normalizer.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { DEFAULT_FORMAT, declaredFormat, resolveFormat } from '../formats/format.registry.js';
import { exampleBody, thrownExampleBody } from './error.examples.js';

/** Metadata key under which `ApiErrors` records the classes a route (or controller) declares. */
export const API_ERRORS_METADATA = 'nest-api-errors:api-errors';

/** `@nestjs/swagger`'s metadata key for responses; the package itself is an optional peer. */
const SWAGGER_API_RESPONSE = 'swagger/apiResponse';

let swaggerPresent: boolean | undefined;
function swaggerInstalled(): boolean {
  if (swaggerPresent === undefined) {
    try {
      createRequire(import.meta.url).resolve('@nestjs/swagger');
      swaggerPresent = true;
    } catch {
      swaggerPresent = false;
    }
  }
  return swaggerPresent;
}

/** What an application tells the OpenAPI examples of its controllers. */
export interface ErrorDocumentation {
  /** The format of a route's errors, as the application chooses it for the errors themselves. */
  formatOf(handler: object, controller: object, path: string): ErrorFormat;
  /** The application's global prefix, read when the document is built (it is set after create). */
  globalPrefix(): string;
  docsBaseUrl: string | undefined;
  /** The application's `exposeInternalErrors`: examples show what its clients see. */
  redaction: NormalizeOptions;
}

/** `@Controller('files')` / `@Get(':id')` paths (a string or a list: the first is documented). */
function declaredPath(target: object): string {
  const path: unknown = Reflect.getMetadata(PATH_METADATA, target);
  const first = Array.isArray(path) ? path[0] : path;
  return typeof first === 'string' ? first : '';
}

/** The path a route answers at, as clients send it: `/api/v1/files/:id`. */
function routePath(globalPrefix: string, ...parts: string[]): string {
  const segments = [globalPrefix, ...parts]
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '');
  return `/${segments.join('/')}`;
}

/**
 * Controller class → what its application's `ErrorsModule` was configured with. Filled when the
 * application is created (before `SwaggerModule.createDocument` runs), per controller, so two
 * applications in one process keep their own examples.
 */
const documentations = new WeakMap<object, ErrorDocumentation>();

/** Called by `ErrorsModule` for every controller of its application. */
export function documentControllerErrors(
  controller: object,
  documentation: ErrorDocumentation,
): void {
  documentations.set(controller, documentation);
}

/** `/files/:id` → `/files/{id}`: the path as OpenAPI writes it, for example bodies. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** `problem` → `ProblemErrorBody`: the `components.schemas` name of a format's body. */
function schemaName(format: ErrorFormat): string {
  const words = String(format.name)
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
  return `${words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')}ErrorBody`;
}

/** `@nestjs/swagger`'s metadata keys for a model class (the package is an optional peer). */
const SWAGGER_MODEL_PROPERTIES = 'swagger/apiModelProperties';
const SWAGGER_MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';
const SWAGGER_SCHEMA = 'swagger/apiSchema';
const SWAGGER_EXTRA_MODELS = 'swagger/apiExtraModels';

const models = new WeakMap<ErrorFormat, Function>();

/**
 * A class swagger turns into the `components.schemas` entry of a format's body, exactly its JSON
 * Schema: each top-level property as a model property, the rest as schema options. Undefined for a
 * format without a schema (its responses then say `{type: 'object'}` inline).
 */
function modelOf(format: ErrorFormat): Function | undefined {
  const { schema } = format;
  if (schema === undefined) {
    return undefined;
  }
  let model = models.get(format);
  if (model === undefined) {
    model = class {};
    const {
      properties = {},
      required = [],
      type: _type,
      ...options
    } = schema as {
      properties?: Record<string, object>;
      required?: string[];
      type?: unknown;
    };
    Reflect.defineMetadata(
      SWAGGER_MODEL_PROPERTIES_ARRAY,
      Object.keys(properties).map((key) => `:${key}`),
      model.prototype,
    );
    for (const [key, property] of Object.entries(properties)) {
      // selfRequired, not required: a nested object's own `required` list must survive.
      Reflect.defineMetadata(
        SWAGGER_MODEL_PROPERTIES,
        { ...property, selfRequired: required.includes(key) },
        model.prototype,
        key,
      );
    }
    Reflect.defineMetadata(SWAGGER_SCHEMA, [{ name: schemaName(format), ...options }], model);
    models.set(format, model);
  }
  return model;
}

/** A class `ApiErrors` takes: a typed error, or one of Nest's own (`UnauthorizedException`). */
export type DocumentedErrorClass = ApiExceptionClass | (new () => HttpException);

/** What a response needs to know of one declared class, worked out when it is declared. */
interface DocumentedError {
  name: string;
  status: number;
  /** The code, or for a Nest exception (which has none) its class name. */
  label: string;
  summary: string;
  /** Set when the message has template fields. */
  description: string | undefined;
  example(format: ErrorFormat, documentation: ExampleSettings, path: string): unknown;
}

/** What an example needs of its application (none: the defaults). */
type ExampleSettings = Pick<ErrorDocumentation, 'docsBaseUrl' | 'redaction'> | undefined;

function documented(errorClass: DocumentedErrorClass): DocumentedError {
  const { definition } = errorClass as Partial<ApiExceptionClass>;
  if (definition !== undefined) {
    const { code, message, fields, status, deprecated } = definition;
    // OpenAPI 3 has `deprecated` on operations, parameters and schemas, not on responses or
    // examples: a deprecated code says so in the response's description and its example's summary.
    return {
      name: errorClass.name,
      status,
      label: deprecated === undefined ? code : `${code} (deprecated: ${deprecated})`,
      summary: `${code}: ${message}${deprecated === undefined ? '' : ` (deprecated: ${deprecated})`}`,
      description:
        fields.length === 0
          ? undefined
          : `${fields.map((field) => `\`<${field}>\``).join(', ')} stand${fields.length === 1 ? 's' : ''} for the value given when the error is thrown.`,
      example: (format, settings, path) =>
        exampleBody(
          errorClass as ApiExceptionClass,
          format,
          settings?.docsBaseUrl,
          path,
          settings?.redaction,
        ),
    };
  }
  const instance = new (errorClass as new () => HttpException)();
  if (!(instance instanceof HttpException)) {
    throw new TypeError(`ApiErrors: ${errorClass.name} is not an exception class`);
  }
  return {
    name: errorClass.name,
    status: instance.getStatus(),
    label: errorClass.name,
    summary: `${instance.getStatus()}: ${instance.message}`,
    description: undefined,
    example: (format, settings, path) =>
      thrownExampleBody(instance, format, settings?.docsBaseUrl, path, settings?.redaction),
  };
}

/**
 * A response whose content is computed when swagger reads it, while it builds the document: only
 * then are the app's format and global prefix known (the description needs neither). The response object itself is plain, so
 * decorators that copy the responses (`@ApiOkResponse` above `@ApiErrors`, a second `@ApiErrors`)
 * copy it as it is, unread.
 */
function lazyResponse(description: string, content: () => object): object {
  return Object.defineProperties({ description }, { content: { enumerable: true, get: content } });
}

/** The OpenAPI content of the response for every declared class that answers with one status. */
function openApiContent(
  errors: readonly DocumentedError[],
  format: ErrorFormat,
  settings: ExampleSettings,
  path: string,
) {
  const examples: Record<string, { summary: string; description?: string; value: unknown }> = {};
  for (const error of errors) {
    examples[error.name] = {
      summary: error.summary,
      ...(error.description === undefined ? {} : { description: error.description }),
      value: error.example(format, settings, openApiPath(path)),
    };
  }
  const schema =
    modelOf(format) === undefined
      ? { type: 'object' }
      : { $ref: `#/components/schemas/${schemaName(format)}` };
  return { [format.contentType]: { schema, examples } };
}

/**
 * Declares which errors a route (or every route of a controller) can answer with: typed errors,
 * and Nest's own exceptions for generic ones (`UnauthorizedException`, answered without a code).
 * With `@nestjs/swagger` installed, each status becomes an OpenAPI response whose schema is the
 * body of the route's format (its `UseErrorFormat`, else the application's `routes` for its path,
 * else its `format`), referenced from one `components.schemas` entry per format, with one named
 * example per class: several classes sharing a status are examples of one response. Examples name
 * the route's own path and show template fields as `<field>`. Like `@ApiResponse`, a method-level
 * `ApiErrors` describes error responses only: declare the success response yourself. Without
 * swagger it only records the classes (`API_ERRORS_METADATA`).
 *
 * The responses are computed when the document is built, not when the decorator runs, so they
 * follow a `UseErrorFormat` written in any order, the format `forRoot` was given and the global
 * prefix set after the app was created.
 *
 * @example
 * @Get(':id')
 * @ApiErrors(EntryNotFoundException, EntryDeletedException, ValidationFailedException, UnauthorizedException)
 * get(@Param('id', ParseUUIDPipe) id: string) {}
 */
export function ApiErrors(
  ...exceptionClasses: DocumentedErrorClass[]
): ClassDecorator & MethodDecorator {
  const decorator = (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor?.value ?? target;
    const declared: DocumentedErrorClass[] = Reflect.getMetadata(API_ERRORS_METADATA, holder) ?? [];
    Reflect.defineMetadata(API_ERRORS_METADATA, [...declared, ...exceptionClasses], holder);
    if (swaggerInstalled()) {
      const controller = descriptor === undefined ? (target as object) : target.constructor;
      // Read when the document is built, when the app's format and global prefix are known.
      const pathNow = (): string =>
        routePath(
          documentations.get(controller)?.globalPrefix() ?? '',
          declaredPath(controller),
          holder === controller ? '' : declaredPath(holder),
        );
      // As the application chooses it for the errors themselves; without ErrorsModule, what the
      // route declares, else the default.
      const formatNow = (): ErrorFormat =>
        documentations.get(controller)?.formatOf(holder, controller, pathNow()) ??
        declaredFormat(holder, controller) ??
        resolveFormat(DEFAULT_FORMAT);
      const byStatus = new Map<number, DocumentedError[]>();
      for (const errorClass of Reflect.getMetadata(
        API_ERRORS_METADATA,
        holder,
      ) as DocumentedErrorClass[]) {
        const error = documented(errorClass);
        byStatus.set(error.status, [...(byStatus.get(error.status) ?? []), error]);
      }
      const responses: Record<string, unknown> = {
        ...(Reflect.getMetadata(SWAGGER_API_RESPONSE, holder) as object | undefined),
      };
      for (const [status, errors] of byStatus) {
        responses[String(status)] = lazyResponse(
          `${STATUS_CODES[status] ?? 'Error'}: ${errors.map((error) => error.label).join(', ')}`,
          () => openApiContent(errors, formatNow(), documentations.get(controller), pathNow()),
        );
      }
      Reflect.defineMetadata(SWAGGER_API_RESPONSE, responses, holder);
      // The body's schema as one `components.schemas` entry that the responses reference. A
      // function named `type` is a lazy model for swagger, resolved when the document is built.
      const extraModels: unknown[] = Reflect.getMetadata(SWAGGER_EXTRA_MODELS, holder) ?? [];
      const type = () => modelOf(formatNow()) ?? class {};
      Reflect.defineMetadata(SWAGGER_EXTRA_MODELS, [...extraModels, type], holder);
    }
    return descriptor ?? target;
  };
  return decorator as ClassDecorator & MethodDecorator;
}
