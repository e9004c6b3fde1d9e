import { SessionsException } from './domain.bases.js';

// Codes, statuses and messages: "Session and flow execution errors" of the documented API the
// `timestamped` format reproduces (README § Formats).

/** `INVALID_CLIENT` 400: client_id is missing, not found, or has no allowed redirect URLs configured. */
export class InvalidClientException extends SessionsException.define({
  code: 'INVALID_CLIENT',
  status: 400,
  message: 'client_id is missing, not found, or has no allowed redirect URLs configured',
}) {}

/** `REDIRECT_NOT_ALLOWED` 400: the redirect_url is not in the client's allowlist. */
export class RedirectNotAllowedException extends SessionsException.define({
  code: 'REDIRECT_NOT_ALLOWED',
  status: 400,
  message: "The provided redirect_url is not in the client's allowlist",
}) {}

/** `UNAUTHORIZED_ACCESS` 403: session environment mismatch or organization ownership violation. */
export class UnauthorizedAccessException extends SessionsException.define({
  code: 'UNAUTHORIZED_ACCESS',
  status: 403,
  message: 'Session environment mismatch or organization ownership violation',
}) {}

/** `VAULT_ENTRY_NOT_FOUND` 404: a file referenced by a session does not exist. */
export class VaultEntryNotFoundException extends SessionsException.define({
  code: 'VAULT_ENTRY_NOT_FOUND',
  status: 404,
  message: 'Referenced file does not exist',
}) {}

/** `VAULT_ENTRY_DELETED` 404: a file referenced by a session was deleted. */
export class VaultEntryDeletedException extends SessionsException.define({
  code: 'VAULT_ENTRY_DELETED',
  status: 404,
  message: 'Referenced file was deleted',
}) {}

/** Every sessions class, in catalog order. */
export const SESSIONS_EXCEPTIONS = [
  InvalidClientException,
  RedirectNotAllowedException,
  UnauthorizedAccessException,
  VaultEntryNotFoundException,
  VaultEntryDeletedException,
] as const;
