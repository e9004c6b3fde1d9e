import { PATH_METADATA } from '@nestjs/common/constants.js';
import { createRequire } from 'node:module';
import { STATUS_CODES } from 'node:http';
import type { ApiExceptionClass } from '../core/api.exception.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { ERROR_FORMAT_METADATA, schemaOf } from '../formats/format.registry.js';
import { timestampedFormat } from '../formats/timestamped.format.js';
import { exampleBody } from './error.examples.js';

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
  /** The format errors under a request path use (its `routes`, else its `format`). */
  formatFor(path: string): ErrorFormat;
  /** The application's global prefix, read when the document is built (it is set after create). */
  globalPrefix(): string;
  docsBaseUrl: string | undefined;
}

/** `@Controller('files')` / `@Get(':id')` paths (a string or a list: the first is documented). */
function declaredPath(target: object): string {
  const path: unknown = Reflect.getMetadata(PATH_METADATA, target);
  const first = Array.isArray(path) ? path[0] : path;
  return typeof first === 'string' ? first : '';
}

/** The path a route answers at, as clients send it: `/api/v1/files/:id`. */
export function routePath(globalPrefix: string, ...parts: string[]): string {
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

/** The OpenAPI response for every declared class that answers with `status`. */
function openApiResponse(
  status: number,
  classes: readonly ApiExceptionClass[],
  format: ErrorFormat,
  docsBaseUrl: string | undefined,
) {
  const examples: Record<string, { summary: string; value: unknown }> = {};
  for (const exceptionClass of classes) {
    const { code, message } = exceptionClass.definition;
    examples[exceptionClass.name] = {
      summary: `${code}: ${message}`,
      value: exampleBody(exceptionClass, format, docsBaseUrl),
    };
  }
  return {
    description: `${STATUS_CODES[status] ?? 'Error'}: ${classes.map((each) => each.definition.code).join(', ')}`,
    content: { [format.contentType]: { schema: schemaOf(format), examples } },
  };
}

/**
 * Declares which errors a route (or every route of a controller) can answer with. With
 * `@nestjs/swagger` installed, each status becomes an OpenAPI response whose schema is the body of
 * the active format (the route's `UseErrorFormat`, else the format of the application's
 * `ErrorsModule`) with one named example per
 * class; several classes sharing a status are examples of one response. Without swagger it only
 * records the classes (`API_ERRORS_METADATA`).
 *
 * The responses are computed when the document is built, not when the decorator runs, so they
 * follow a `UseErrorFormat` written in any order and the format `forRoot` was given.
 *
 * @example
 * @Get(':id')
 * @ApiErrors(EntryNotFoundException, EntryDeletedException, ValidationFailedException)
 * get(@Param('id', ParseUUIDPipe) id: string) {}
 */
export function ApiErrors(
  ...exceptionClasses: ApiExceptionClass[]
): ClassDecorator & MethodDecorator {
  const decorator = (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder: object = descriptor?.value ?? target;
    const declared: ApiExceptionClass[] = Reflect.getMetadata(API_ERRORS_METADATA, holder) ?? [];
    Reflect.defineMetadata(API_ERRORS_METADATA, [...declared, ...exceptionClasses], holder);
    if (swaggerInstalled()) {
      const controller = descriptor === undefined ? (target as object) : target.constructor;
      // Precedence as for the errors themselves: the handler's UseErrorFormat, the controller's,
      // the app's routes for this route's path, the app's format.
      const formatNow = (): ErrorFormat => {
        const documentation = documentations.get(controller);
        return (
          Reflect.getMetadata(ERROR_FORMAT_METADATA, holder) ??
          Reflect.getMetadata(ERROR_FORMAT_METADATA, controller) ??
          documentation?.formatFor(
            routePath(
              documentation.globalPrefix(),
              declaredPath(controller),
              holder === controller ? '' : declaredPath(holder),
            ),
          ) ??
          timestampedFormat
        );
      };
      const byStatus = new Map<number, ApiExceptionClass[]>();
      for (const exceptionClass of Reflect.getMetadata(
        API_ERRORS_METADATA,
        holder,
      ) as ApiExceptionClass[]) {
        const { status } = exceptionClass.definition;
        byStatus.set(status, [...(byStatus.get(status) ?? []), exceptionClass]);
      }
      const responses = {
        ...(Reflect.getMetadata(SWAGGER_API_RESPONSE, holder) as object | undefined),
      };
      for (const [status, classes] of byStatus) {
        // A getter: swagger reads it when the document is built, after the app (and its format) exist.
        Object.defineProperty(responses, String(status), {
          enumerable: true,
          configurable: true,
          get: () =>
            openApiResponse(
              status,
              classes,
              formatNow(),
              documentations.get(controller)?.docsBaseUrl,
            ),
        });
      }
      Reflect.defineMetadata(SWAGGER_API_RESPONSE, responses, holder);
    }
    return descriptor ?? target;
  };
  return decorator as ClassDecorator & MethodDecorator;
}
