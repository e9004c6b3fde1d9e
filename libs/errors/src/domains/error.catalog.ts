import { type ApiExceptionClass, definedExceptionClasses } from '../core/api.exception.js';
import type { ErrorCategory } from '../core/api-error.interface.js';
import { AGENTS_EXCEPTIONS } from './agents.exceptions.js';
import { APPS_EXCEPTIONS } from './apps.exceptions.js';
import { AUTH_EXCEPTIONS } from './auth.exceptions.js';
import { COMMON_EXCEPTIONS } from './common.exceptions.js';
import { RULES_EXCEPTIONS } from './rules.exceptions.js';
import { SECRETS_EXCEPTIONS } from './secrets.exceptions.js';
import { SESSIONS_EXCEPTIONS } from './sessions.exceptions.js';
import { TENANTS_EXCEPTIONS } from './tenants.exceptions.js';
import { USERS_EXCEPTIONS } from './users.exceptions.js';
import { VAULT_FILES_EXCEPTIONS } from './vault-files.exceptions.js';

/** One row of the error catalog: what a client can rely on for one code. */
export interface ErrorCatalogEntry {
  code: string;
  status: number;
  /** Name of the class to throw: `InvalidClientException`. */
  className: string;
  domain: string;
  /** Heading of the domain in generated references. */
  domainTitle: string;
  /** The documented message; `{field}` marks template fields. */
  message: string;
  /** The message's template fields, in order (`['provider']`). */
  fields: readonly string[];
  category: ErrorCategory;
  retryable: boolean;
  /** What to use instead, when the code is deprecated (`define({ deprecated })`); else undefined. */
  deprecated: string | undefined;
  /** The class itself, to throw or to pass to `ApiErrors()`. */
  exceptionClass: ApiExceptionClass;
}

const BUILT_IN: readonly ApiExceptionClass[] = [
  ...SESSIONS_EXCEPTIONS,
  ...VAULT_FILES_EXCEPTIONS,
  ...AUTH_EXCEPTIONS,
  ...AGENTS_EXCEPTIONS,
  ...SECRETS_EXCEPTIONS,
  ...RULES_EXCEPTIONS,
  ...APPS_EXCEPTIONS,
  ...USERS_EXCEPTIONS,
  ...TENANTS_EXCEPTIONS,
  ...COMMON_EXCEPTIONS,
];

/**
 * Every error definition the library ships, in catalog order (domain by domain, `common` last),
 * followed by `extra` classes of your own. The source for generated references and OpenAPI
 * responses.
 *
 * @example errorCatalog().filter((entry) => entry.domain === 'sessions').map((entry) => entry.code)
 */
export function errorCatalog(extra: readonly ApiExceptionClass[] = []): ErrorCatalogEntry[] {
  return catalogEntries([...BUILT_IN, ...extra]);
}

/** The catalog rows of these classes, in order, one per definition. */
export function catalogEntries(classes: readonly ApiExceptionClass[]): ErrorCatalogEntry[] {
  const seen = new Set<object>();
  const unique = classes.filter((exceptionClass) => {
    const fresh = !seen.has(exceptionClass.definition);
    seen.add(exceptionClass.definition);
    return fresh;
  });
  return unique.map((exceptionClass) => {
    const { code, status, message, fields, category, retryable, domain, domainTitle, deprecated } =
      exceptionClass.definition;
    return {
      code,
      status,
      className: exceptionClass.name,
      domain,
      domainTitle,
      message,
      fields,
      category,
      retryable,
      deprecated,
      exceptionClass,
    };
  });
}

const SHIPPED_DEFINITIONS = new Set<object>(BUILT_IN.map((each) => each.definition));

/**
 * The classes the app declared itself with `define()` (loaded in this process), in declaration
 * order: every defined class whose definition is not one of the shipped catalog's.
 */
export function ownExceptionClasses(): ApiExceptionClass[] {
  return definedExceptionClasses().filter((each) => !SHIPPED_DEFINITIONS.has(each.definition));
}

/**
 * Every class of the domains named, shipped (`sessions`, `common`, …) or the app's own (the
 * `static domain` of its base), in catalog then declaration order.
 */
export function exceptionClassesOf(domains: readonly string[]): ApiExceptionClass[] {
  const named = new Set(domains);
  return [...BUILT_IN, ...ownExceptionClasses()].filter((each) =>
    named.has(each.definition.domain),
  );
}
