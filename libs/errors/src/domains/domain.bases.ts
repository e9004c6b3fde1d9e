import { ApiException } from '../core/api.exception.js';

// One abstract base per documented domain, so a caller can catch a whole domain
// (`instanceof VaultFilesException`) and `errorCatalog()` and the generated reference can group
// codes by it, under the domain's title. The reference (`npx nest-api-errors docs --domains
// sessions,…`) lists every code of a domain.

/** Base of the session and flow-execution errors: the `sessions` domain of the error reference. */
export abstract class SessionsException extends ApiException {
  static override readonly domain: string = 'sessions';
  static override readonly domainTitle: string = 'Session and flow execution errors';
}

/** Base of the vault file errors: the `vault-files` domain of the error reference. */
export abstract class VaultFilesException extends ApiException {
  static override readonly domain: string = 'vault-files';
  static override readonly domainTitle: string = 'File errors';
}

/** Base of the authentication and authorization errors: the `auth` domain of the reference. */
export abstract class AuthException extends ApiException {
  static override readonly domain: string = 'auth';
  static override readonly domainTitle: string = 'Authentication and authorization errors';
}

/** Base of the agent errors: the `agents` domain of the error reference. */
export abstract class AgentsException extends ApiException {
  static override readonly domain: string = 'agents';
  static override readonly domainTitle: string = 'Agents';
}

/** Base of the secret errors: the `secrets` domain of the error reference. */
export abstract class SecretsException extends ApiException {
  static override readonly domain: string = 'secrets';
  static override readonly domainTitle: string = 'Secrets';
}

/** Base of the policy rule errors: the `rules` domain of the error reference. */
export abstract class RulesException extends ApiException {
  static override readonly domain: string = 'rules';
  static override readonly domainTitle: string = 'Rules';
}

/** Base of the app and provider connection errors: the `apps` domain of the error reference. */
export abstract class AppsException extends ApiException {
  static override readonly domain: string = 'apps';
  static override readonly domainTitle: string = 'Apps';
}

/** Base of the user errors: the `users` domain of the error reference. */
export abstract class UsersException extends ApiException {
  static override readonly domain: string = 'users';
  static override readonly domainTitle: string = 'Users';
}

/**
 * Base of the tenant (company), membership and content errors: the `tenants` domain of the error
 * reference.
 */
export abstract class TenantsException extends ApiException {
  static override readonly domain: string = 'tenants';
  static override readonly domainTitle: string = 'Companies, members and content';
}
