import { ApiException } from '../core/api.exception.js';

// One abstract base per documented domain, so a caller can catch a whole domain
// (`instanceof VaultFilesException`) and `errorCatalog()` and the generated reference can group
// codes by it, under the domain's title. The reference (`npx nest-api-errors docs --domains
// sessions,…`) lists every code of a domain.

/** The base of one domain's errors: its name in the reference, and the title of its section. */
function domainBase(domain: string, domainTitle: string): typeof ApiException {
  abstract class DomainException extends ApiException {
    static override readonly domain: string = domain;
    static override readonly domainTitle: string = domainTitle;
  }
  return DomainException as typeof ApiException;
}

/** Base of the session and flow-execution errors: the `sessions` domain of the error reference. */
export abstract class SessionsException extends domainBase(
  'sessions',
  'Session and flow execution errors',
) {}

/** Base of the vault file errors: the `vault-files` domain of the error reference. */
export abstract class VaultFilesException extends domainBase('vault-files', 'File errors') {}

/** Base of the authentication and authorization errors: the `auth` domain of the reference. */
export abstract class AuthException extends domainBase(
  'auth',
  'Authentication and authorization errors',
) {}

/** Base of the agent errors: the `agents` domain of the error reference. */
export abstract class AgentsException extends domainBase('agents', 'Agents') {}

/** Base of the secret errors: the `secrets` domain of the error reference. */
export abstract class SecretsException extends domainBase('secrets', 'Secrets') {}

/** Base of the policy rule errors: the `rules` domain of the error reference. */
export abstract class RulesException extends domainBase('rules', 'Rules') {}

/** Base of the app and provider connection errors: the `apps` domain of the error reference. */
export abstract class AppsException extends domainBase('apps', 'Apps') {}

/** Base of the user errors: the `users` domain of the error reference. */
export abstract class UsersException extends domainBase('users', 'Users') {}

/**
 * Base of the tenant (company), membership and content errors: the `tenants` domain of the error
 * reference.
 */
export abstract class TenantsException extends domainBase(
  'tenants',
  'Companies, members and content',
) {}
