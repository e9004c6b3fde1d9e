import type { HttpException } from '@nestjs/common';
import type { ApiError } from '../core/api-error.interface.js';
import type { ApiExceptionClass } from '../core/api.exception.js';
import { API_ERRORS_METADATA, type DocumentedErrorClass } from './api-errors.decorator.js';

/**
 * What a route's `@ApiErrors` (on the handler and on its controller) declares, as an answered
 * error is matched against it: the codes of typed errors, and the statuses of Nest's own
 * exceptions, which answer without a code. `warned` keeps what was already said, once per route.
 */
export interface DeclaredErrors {
  readonly codes: ReadonlySet<string>;
  readonly statuses: ReadonlySet<number>;
  readonly warned: Set<string>;
}

/** The errors `@ApiErrors` declares for a handler, its own and its controller's. */
export function declaredErrorsOf(handler: object, controller: object): DeclaredErrors {
  const codes = new Set<string>();
  const statuses = new Set<number>();
  const classes = [handler, controller].flatMap(
    (target) => (Reflect.getMetadata(API_ERRORS_METADATA, target) ?? []) as DocumentedErrorClass[],
  );
  for (const errorClass of classes) {
    const { definition } = errorClass as Partial<ApiExceptionClass>;
    if (definition === undefined) {
      // `ApiErrors` checked when it was declared that this builds an HttpException.
      statuses.add(new (errorClass as new () => HttpException)().getStatus());
    } else {
      codes.add(definition.code);
    }
  }
  return { codes, statuses, warned: new Set() };
}

/**
 * The warning for an error its route does not declare, the first time the route answers it;
 * undefined when it is declared, or was already warned about. A typed error is matched by its
 * code; a generic one (no code) by its status, against the Nest exceptions declared.
 */
export function undeclaredErrorWarning(
  declared: DeclaredErrors,
  error: ApiError,
  route: string,
): string | undefined {
  const { code, status } = error;
  if (code === undefined ? declared.statuses.has(status) : declared.codes.has(code)) {
    return undefined;
  }
  const key = `${route} ${code ?? status}`;
  if (declared.warned.has(key)) {
    return undefined;
  }
  declared.warned.add(key);
  return code === undefined
    ? `${route} answered ${status} without a code, which its @ApiErrors does not declare (declare the Nest exception of status ${status})`
    : `${route} answered ${code}, which its @ApiErrors does not declare`;
}
