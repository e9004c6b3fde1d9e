import type { ApiExceptionClass } from '../core/api.exception.js';
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
  category: ErrorCategory;
  retryable: boolean;
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
 * Every error definition the library ships, in catalog order (DESIGN § Domain catalogs), followed
 * by `extra` classes of your own. The source for generated references and OpenAPI responses.
 *
 * @example errorCatalog().filter((entry) => entry.domain === 'sessions').map((entry) => entry.code)
 */
export function errorCatalog(extra: readonly ApiExceptionClass[] = []): ErrorCatalogEntry[] {
  return [...BUILT_IN, ...extra].map((exceptionClass) => {
    const { code, status, message, category, retryable, domain, domainTitle } =
      exceptionClass.definition;
    return {
      code,
      status,
      className: exceptionClass.name,
      domain,
      domainTitle,
      message,
      category,
      retryable,
      exceptionClass,
    };
  });
}
