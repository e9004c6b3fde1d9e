import { ApiException } from '../core/api.exception.js';

// One abstract base per documented domain, so a caller can catch a whole domain
// (`instanceof VaultFilesException`) and `errorCatalog()` and the generated reference can group
// codes by it, under the domain's title.

/** Base of the session and flow-execution errors (reference-docs/000). */
export abstract class SessionsException extends ApiException {
  static override readonly domain: string = 'sessions';
  static override readonly domainTitle: string = 'Session and flow execution errors';
}

/** Base of the vault file errors (reference-docs/000). */
export abstract class VaultFilesException extends ApiException {
  static override readonly domain: string = 'vault-files';
  static override readonly domainTitle: string = 'File errors';
}

/** Base of the authentication and authorization errors (reference-docs/002 and 004). */
export abstract class AuthException extends ApiException {
  static override readonly domain: string = 'auth';
  static override readonly domainTitle: string = 'Authentication and authorization errors';
}

/** Base of the agent errors (reference-docs/003). */
export abstract class AgentsException extends ApiException {
  static override readonly domain: string = 'agents';
  static override readonly domainTitle: string = 'Agents';
}

/** Base of the secret errors (reference-docs/003). */
export abstract class SecretsException extends ApiException {
  static override readonly domain: string = 'secrets';
  static override readonly domainTitle: string = 'Secrets';
}

/** Base of the policy rule errors (reference-docs/003). */
export abstract class RulesException extends ApiException {
  static override readonly domain: string = 'rules';
  static override readonly domainTitle: string = 'Rules';
}

/** Base of the app and provider connection errors (reference-docs/003). */
export abstract class AppsException extends ApiException {
  static override readonly domain: string = 'apps';
  static override readonly domainTitle: string = 'Apps';
}

/** Base of the user errors (reference-docs/003 and 004). */
export abstract class UsersException extends ApiException {
  static override readonly domain: string = 'users';
  static override readonly domainTitle: string = 'Users';
}

/** Base of the tenant (company), membership and content errors (reference-docs/004). */
export abstract class TenantsException extends ApiException {
  static override readonly domain: string = 'tenants';
  static override readonly domainTitle: string = 'Companies, members and content';
}
