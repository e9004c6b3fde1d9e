import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  PayloadTooLargeException,
  RequestMethod,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { createRequire } from 'node:module';
import { STATUS_CODES } from 'node:http';
import {
  ApiException,
  type ApiExceptionClass,
  recordDeclaredClass,
} from '../core/api.exception.js';
import {
  BODY_TOO_LARGE_MESSAGE,
  MALFORMED_JSON_MESSAGE,
  type NormalizeOptions,
  UNSUPPORTED_MEDIA_TYPE_MESSAGE,
} from '../core/error.normalizer.js';
import { DEFAULT_REQUEST_ID_HEADER } from '../core/request-id.resolver.js';
import { MALFORMED_MULTIPART_MESSAGE, uploadLimitError } from '../core/upload-error.mapping.js';
import { ValidationFailedException } from '../domains/common.exceptions.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { DEFAULT_FORMAT, declaredFormat, resolveFormat } from '../formats/format.registry.js';
import { EXAMPLE_CONTEXT, exampleBody, thrownExampleBody } from './error.examples.js';
import { parsePipeRefusal } from './parse-pipes.openapi.js';

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

/** What a route takes that can be refused before its handler runs. */
export interface RouteInput {
  /**
   * It reads a body the body parsers read (JSON, a form, text), or its method carries one: they
   * can refuse it (400 malformed JSON, 413, 415).
   */
  body: boolean;
  /**
   * It reads a multipart body (`@UploadedFile()`, `@ApiConsumes('multipart/form-data')`): the
   * upload interceptor's parser can refuse it (400 malformed or an unexpected file field, 413 a
   * file over the limit, 415).
   */
  multipart: boolean;
  /** A DTO or schema of its body, query or parameters is checked by the validation pipe (400). */
  validated: boolean;
  /** The pipes of its parameters (`@Param('id', ParseUUIDPipe)`): Nest's parse pipes refuse. */
  pipes: readonly unknown[];
}

/** What an application tells the OpenAPI documentation of its controllers. */
export interface ErrorDocumentation {
  /** The format of a route's errors, as the application chooses it for the errors themselves. */
  formatOf(handler: object, controller: object, path: string): ErrorFormat;
  /** The application's global prefix, read when the document is built (it is set after create). */
  globalPrefix(): string;
  docsBaseUrl: string | undefined;
  /** The application's `exposeInternalErrors`: examples show what its clients see. */
  redaction: NormalizeOptions;
  /** The header every error carries its request id in (`x-request-id`); none with ids off. */
  requestIdHeader: string | undefined;
  /** The challenge every 401 carries; none with `wwwAuthenticate: false`. */
  wwwAuthenticate: string | undefined;
  /** What a route takes, as this application's parsers and validation pipe see it. */
  inputOf(controller: Function, method: string): RouteInput;
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
 * application is created (before `SwaggerModule.createDocument` runs). Keyed by class: two
 * applications in one process that share a controller share its examples (the last one created
 * wins) — a document is built from the application created last.
 */
const documentations = new WeakMap<object, ErrorDocumentation>();

/**
 * Called by `ErrorsModule` for every controller of its application: its routes' responses are
 * written again with what only the application knows (the errors its body parsers and
 * validation pipe answer before a handler runs).
 */
export function documentControllerErrors(
  controller: Function,
  documentation: ErrorDocumentation,
): void {
  documentations.set(controller, documentation);
  if (swaggerInstalled()) {
    for (const [method, handler] of routesOf(controller)) {
      documentRoute(controller, method, handler, false);
    }
  }
}

/** The HTTP routes of a controller (its own methods and inherited ones), by method name. */
function* routesOf(controller: Function): Generator<[string, Function]> {
  const seen = new Set<string>(['constructor']);
  let prototype: object | null = controller.prototype as object;
  while (prototype !== null && prototype !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler: unknown = Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (
        !seen.has(name) &&
        typeof handler === 'function' &&
        Reflect.getMetadata(METHOD_METADATA, handler) !== undefined &&
        Reflect.getMetadata(PATH_METADATA, handler) !== undefined
      ) {
        yield [name, handler];
      }
      seen.add(name);
    }
    prototype = Object.getPrototypeOf(prototype) as object | null;
  }
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
  /** The example's key: the class name. */
  name: string;
  status: number;
  /** The code, or for a Nest exception (which has none) its class name. */
  label: string;
  summary: string;
  /** Set when the message has template fields. */
  description: string | undefined;
  /** Whether it always carries `Retry-After` (a 429, or a class with a default). */
  retryAfter: boolean;
  example(format: ErrorFormat, documentation: ExampleSettings, path: string): unknown;
}

/** What an example needs of its application (none: the defaults). */
type ExampleSettings = Pick<ErrorDocumentation, 'docsBaseUrl' | 'redaction'> | undefined;

/** A Nest exception as a route answers it: no code, its status and message. */
function documentedThrown(name: string, label: string, thrown: HttpException): DocumentedError {
  const status = thrown.getStatus();
  return {
    name,
    status,
    label,
    summary: `${status}: ${thrown.message}`,
    description: undefined,
    // @nestjs/throttler's guard sets it before its 429; nothing else gives a Nest exception one.
    retryAfter: status === 429,
    example: (format, settings, path) =>
      thrownExampleBody(thrown, format, settings?.docsBaseUrl, path, settings?.redaction),
  };
}

function documented(errorClass: DocumentedErrorClass): DocumentedError {
  const { definition } = errorClass as Partial<ApiExceptionClass>;
  if (definition !== undefined) {
    const { code, message, fields, status, retryAfterSeconds, deprecated } = definition;
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
      // Any error may be thrown with `retryAfterSeconds`; these always carry one.
      retryAfter: status === 429 || retryAfterSeconds !== undefined,
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
  return documentedThrown(errorClass.name, errorClass.name, instance);
}

/**
 * What the body parsers answer on a route with a body before its handler runs, on both
 * platforms: malformed JSON; a body over the limit.
 */
const PARSER_ERRORS: readonly DocumentedError[] = [
  documentedThrown(
    'MalformedJson',
    'malformed JSON',
    new BadRequestException(MALFORMED_JSON_MESSAGE),
  ),
  documentedThrown(
    'BodyTooLarge',
    'a body over the size limit',
    new PayloadTooLargeException(BODY_TOO_LARGE_MESSAGE),
  ),
];

/**
 * What an upload interceptor (multer's `FileInterceptor` on Express, Nest's over
 * `@fastify/multipart` on Fastify) answers on a multipart route before its handler runs, as the
 * library words it on both: a body it cannot read, a file in a field it does not take, a file
 * over its size limit. Its other limits (files, fields, parts) are the app's choice: declared
 * with `ApiErrors` where it sets them.
 */
const UPLOAD_ERRORS: readonly DocumentedError[] = [
  documentedThrown(
    'MalformedMultipart',
    'a malformed multipart body',
    new BadRequestException(MALFORMED_MULTIPART_MESSAGE),
  ),
  documentedThrown(
    'UnexpectedFileField',
    'a file in a field the route does not take',
    new BadRequestException(uploadLimitError('LIMIT_UNEXPECTED_FILE')!.message),
  ),
  documentedThrown(
    'FileTooLarge',
    'a file over the size limit',
    new PayloadTooLargeException(uploadLimitError('LIMIT_FILE_SIZE')!.message),
  ),
];

/**
 * What any route with a body answers a body no parser takes: a media type Fastify has no parser
 * for, or a charset or encoding Express's body-parser refuses.
 */
const UNSUPPORTED_MEDIA_TYPE = documentedThrown(
  'UnsupportedMediaType',
  'a media type, charset or encoding no parser takes',
  new UnsupportedMediaTypeException(UNSUPPORTED_MEDIA_TYPE_MESSAGE),
);

/** What any route answers when something unexpected fails: the generic, redacted 500. */
const INTERNAL_ERROR = documentedThrown(
  InternalServerErrorException.name,
  InternalServerErrorException.name,
  new InternalServerErrorException(),
);

/** What a parameter's parse pipe answers a value it refuses, when it is one of Nest's. */
function pipeRefusal(pipe: unknown): DocumentedError[] {
  const refusal = parsePipeRefusal(pipe);
  if (refusal?.thrown instanceof ApiException) {
    // An exceptionFactory of the app's that throws one of its typed errors.
    return [documented(refusal.thrown.constructor as ApiExceptionClass)];
  }
  return refusal?.thrown instanceof HttpException
    ? [documentedThrown(refusal.name, refusal.name, refusal.thrown)]
    : [];
}

/**
 * The errors a route of an application answers without declaring them, from what it takes: the
 * 400 of its validated input and of its parameters' parse pipes, the body parsers' and the
 * upload parser's refusals, and the generic 500 any route answers when something unexpected
 * fails. None without the application (decorators alone).
 */
function implicitErrors(input: RouteInput | undefined): DocumentedError[] {
  if (input === undefined) {
    return [];
  }
  return [
    ...(input.validated ? [documented(ValidationFailedException)] : []),
    ...input.pipes.flatMap(pipeRefusal),
    ...(input.body ? PARSER_ERRORS : []),
    ...(input.multipart ? UPLOAD_ERRORS : []),
    ...(input.body || input.multipart ? [UNSUPPORTED_MEDIA_TYPE] : []),
    INTERNAL_ERROR,
  ];
}

/** `x-request-id` → `X-Request-Id`: a header as documents usually spell it. */
function headerName(name: string): string {
  return name.replace(
    /(^|-)([a-z])/g,
    (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`,
  );
}

/**
 * The headers one error response carries: the request id on every one, `Retry-After` where its
 * errors always carry one (a 429, a class defined with `retryAfterSeconds`), the 401 challenge. Described the same on every response, so
 * `shareResponseHeaders` can make each one `components.headers` entry.
 */
function headersOf(
  errors: readonly DocumentedError[],
  status: number,
  documentation: ErrorDocumentation | undefined,
): Record<string, object> {
  const headers: Record<string, object> = {};
  const requestId =
    documentation === undefined ? DEFAULT_REQUEST_ID_HEADER : documentation.requestIdHeader;
  if (requestId !== undefined) {
    headers[headerName(requestId)] = {
      description:
        'The id of the request, as the server logs it; bodies that carry an id carry this one.',
      required: true,
      schema: { type: 'string', example: EXAMPLE_CONTEXT.requestId },
    };
  }
  if (errors.some((error) => error.retryAfter)) {
    // Required when every error of the status carries one; a 429 always does.
    const always = errors.every((error) => error.retryAfter);
    headers['Retry-After'] = {
      description: 'Seconds to wait before retrying.',
      required: always,
      schema: { type: 'integer', minimum: 0, example: 60 },
    };
  }
  const challenge = documentation === undefined ? 'Bearer' : documentation.wwwAuthenticate;
  if (status === 401 && challenge !== undefined) {
    headers['WWW-Authenticate'] = {
      description: 'How to authenticate (RFC 9110 § 11.6.1).',
      required: true,
      schema: { type: 'string', example: challenge },
    };
  }
  return headers;
}

/** Responses and lazy models `ApiErrors` wrote: written again, never mistaken for the app's own. */
const ownResponses = new WeakSet<object>();
const ownModels = new WeakSet<object>();

/**
 * A response whose content and headers are computed when swagger reads them, while it builds the
 * document: only then are the app's format, global prefix and headers known (the description
 * needs none). The response object itself is plain, so decorators that copy the responses
 * (`@ApiOkResponse` above `@ApiErrors`, a second `@ApiErrors`) copy it as it is, unread.
 */
function lazyResponse(description: string, content: () => object, headers: () => object): object {
  const response = Object.defineProperties(
    { description },
    {
      headers: { enumerable: true, get: headers },
      content: { enumerable: true, get: content },
    },
  );
  ownResponses.add(response);
  return response;
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

/** A route's success status as swagger gives it by default: `@HttpCode`, else 201 for a POST. */
function successStatus(handler: Function): string {
  const code: unknown = Reflect.getMetadata(HTTP_CODE_METADATA, handler);
  if (typeof code === 'number') {
    return String(code);
  }
  return Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST ? '201' : '200';
}

/**
 * Writes one route's error responses from everything it declares (its controller's `ApiErrors`,
 * then its own) and, once its application is known, the errors it answers before its handler
 * runs. Written again on each call, replacing only what `ApiErrors` wrote before: a response of
 * the app's own (`@ApiBadRequestResponse`) for a status stays, unless `override` (a method-level
 * `ApiErrors` declared after it, which wins as swagger's own decorators do).
 */
function documentRoute(controller: Function, method: string, handler: Function, override: boolean) {
  const documentation = () => documentations.get(controller);
  // Read when the document is built, when the app's format and global prefix are known.
  const pathNow = (): string =>
    routePath(
      documentation()?.globalPrefix() ?? '',
      declaredPath(controller),
      declaredPath(handler),
    );
  // As the application chooses it for the errors themselves; without ErrorsModule, what the
  // route declares, else the default.
  const formatNow = (): ErrorFormat =>
    documentation()?.formatOf(handler, controller, pathNow()) ??
    declaredFormat(handler, controller) ??
    resolveFormat(DEFAULT_FORMAT);
  const declared: DocumentedErrorClass[] = [
    ...((Reflect.getMetadata(API_ERRORS_METADATA, controller) as DocumentedErrorClass[]) ?? []),
    ...((Reflect.getMetadata(API_ERRORS_METADATA, handler) as DocumentedErrorClass[]) ?? []),
  ];
  const byStatus = new Map<number, DocumentedError[]>();
  const named = new Set<string>();
  const documentedErrors = declared.map(documented);
  const declaredStatuses = new Set(documentedErrors.map((error) => error.status));
  for (const error of [
    ...documentedErrors,
    ...implicitErrors(documentation()?.inputOf(controller, method)),
  ]) {
    if (!named.has(error.name)) {
      named.add(error.name);
      byStatus.set(error.status, [...(byStatus.get(error.status) ?? []), error]);
    }
  }
  // The controller's own `@ApiResponse`s, which swagger gives every route unless the route says
  // otherwise: a status only the module adds leaves them in place.
  const controllerResponses =
    (Reflect.getMetadata(SWAGGER_API_RESPONSE, controller) as Record<string, object>) ?? {};
  const responses: Record<string, object> = {};
  for (const [status, response] of Object.entries(
    (Reflect.getMetadata(SWAGGER_API_RESPONSE, handler) as Record<string, object>) ?? {},
  )) {
    if (!ownResponses.has(response)) {
      responses[status] = response;
    }
  }
  if (
    Object.keys(responses).length === 0 &&
    Reflect.getMetadata(API_ERRORS_METADATA, handler) === undefined
  ) {
    // Swagger documents a route without responses of its own with its success status: the
    // controller's ApiErrors and the errors before the handler do not take that away.
    const success = successStatus(handler);
    if (controllerResponses[success] === undefined) {
      responses[success] = { description: '' };
      ownResponses.add(responses[success]);
    }
  }
  for (const [status, errors] of byStatus) {
    const taken =
      responses[status] !== undefined ||
      (!declaredStatuses.has(status) && controllerResponses[status] !== undefined);
    if (taken && !override) {
      continue;
    }
    responses[String(status)] = lazyResponse(
      `${STATUS_CODES[status] ?? 'Error'}: ${errors.map((error) => error.label).join(', ')}`,
      () => openApiContent(errors, formatNow(), documentation(), pathNow()),
      () => headersOf(errors, status, documentation()),
    );
  }
  Reflect.defineMetadata(SWAGGER_API_RESPONSE, responses, handler);
  // The body's schema as one `components.schemas` entry that the responses reference. A
  // function named `type` is a lazy model for swagger, resolved when the document is built.
  const extraModels = (
    (Reflect.getMetadata(SWAGGER_EXTRA_MODELS, handler) as object[] | undefined) ?? []
  ).filter((model) => !ownModels.has(model));
  const type = () => modelOf(formatNow()) ?? class {};
  ownModels.add(type);
  Reflect.defineMetadata(SWAGGER_EXTRA_MODELS, [...extraModels, type], handler);
}

/**
 * Declares which errors a route (or every route of a controller) can answer with: typed errors,
 * and Nest's own exceptions for generic ones (`UnauthorizedException`, answered without a code).
 * With `@nestjs/swagger` installed, each status becomes an OpenAPI response whose schema is the
 * body of the route's format (its `UseErrorFormat`, else the application's `routes` for its path,
 * else its `format`), referenced from one `components.schemas` entry per format, with one named
 * example per class: several classes sharing a status are examples of one response. Examples name
 * the route's own path (for a controller's `ApiErrors` too) and show template fields as
 * `<field>`. Each response declares its headers: the request id, `Retry-After` where the error
 * can carry one, the 401 challenge. Like `@ApiResponse`, a method-level `ApiErrors` describes
 * error responses only: declare the success response yourself. Without swagger it only records
 * the classes (`API_ERRORS_METADATA`).
 *
 * With `ErrorsModule`, every route is also documented with what it answers without declaring
 * it: 400 for a validated DTO and for a parameter Nest's parse pipes refuse (`ParseUUIDPipe`),
 * 400, 413 and 415 from the body parsers on a route with a body, 400, 413 and 415 from the upload
 * interceptor on a multipart route (`@UploadedFile()`, `@ApiConsumes('multipart/form-data')`),
 * and the generic 500. The responses are computed when the document is built, not when the decorator runs, so
 * they follow a `UseErrorFormat` written in any order, the format `forRoot` was given and the
 * global prefix set after the app was created.
 *
 * @example
 * @Get(':id')
 * @ApiErrors(EntryNotFoundException, EntryDeletedException, ValidationFailedException, UnauthorizedException)
 * get(@Param('id', ParseUUIDPipe) id: string) {}
 */
export function ApiErrors(
  ...exceptionClasses: DocumentedErrorClass[]
): ClassDecorator & MethodDecorator {
  // The classes as the app declared them: catalogs name these, not the classes define() returned.
  exceptionClasses.forEach(recordDeclaredClass);
  const decorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor?.value ?? target;
    const declared: DocumentedErrorClass[] = Reflect.getMetadata(API_ERRORS_METADATA, holder) ?? [];
    Reflect.defineMetadata(API_ERRORS_METADATA, [...declared, ...exceptionClasses], holder);
    if (swaggerInstalled()) {
      if (descriptor === undefined) {
        // A class decorator runs after its methods': every route is known, and gets the classes.
        for (const [method, handler] of routesOf(target as Function)) {
          documentRoute(target as Function, method, handler, false);
        }
      } else if (typeof descriptor.value === 'function') {
        documentRoute(target.constructor, String(key), descriptor.value as Function, true);
      }
    }
    return descriptor ?? target;
  };
  return decorator as ClassDecorator & MethodDecorator;
}
