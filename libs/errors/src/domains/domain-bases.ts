import { ApiException } from '../core/api.exception.js';

// One abstract base per documented domain, so a caller can catch a whole domain
// (`instanceof VaultFilesException`) and `errorCatalog()` can group codes by it.

/** Base of the session and flow-execution errors (reference-docs/000). */
export abstract class SessionsException extends ApiException {
  static override readonly domain: string = 'sessions';
}

/** Base of the vault file errors (reference-docs/000). */
export abstract class VaultFilesException extends ApiException {
  static override readonly domain: string = 'vault-files';
}

/** Base of the authentication and authorization errors (reference-docs/002 and 004). */
export abstract class AuthException extends ApiException {
  static override readonly domain: string = 'auth';
}

/** Base of the agent errors (reference-docs/003). */
export abstract class AgentsException extends ApiException {
  static override readonly domain: string = 'agents';
}

/** Base of the secret errors (reference-docs/003). */
export abstract class SecretsException extends ApiException {
  static override readonly domain: string = 'secrets';
}

/** Base of the policy rule errors (reference-docs/003). */
export abstract class RulesException extends ApiException {
  static override readonly domain: string = 'rules';
}

/** Base of the app and provider connection errors (reference-docs/003). */
export abstract class AppsException extends ApiException {
  static override readonly domain: string = 'apps';
}

/** Base of the user errors (reference-docs/003 and 004). */
export abstract class UsersException extends ApiException {
  static override readonly domain: string = 'users';
}

/** Base of the tenant (company), membership and content errors (reference-docs/004). */
export abstract class TenantsException extends ApiException {
  static override readonly domain: string = 'tenants';
}
