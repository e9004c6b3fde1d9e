import { AuthException } from './domain.bases.js';

// Codes, statuses and messages: the authentication, authorization and validation tables of the
// documented API the `envelope` format reproduces, and the invalid_grant, mfa_required and
// sso_required errors of the one the `traced` format reproduces (README § Formats).

/** `AUTH_FAILED` 401: API key is missing, invalid, revoked, or expired. */
export class AuthFailedException extends AuthException.define({
  code: 'AUTH_FAILED',
  status: 401,
  message: 'API key is missing, invalid, revoked, or expired',
}) {}

/** `AUTH_NO_TOKEN` 401: no JWT in the cookie or the Authorization header. */
export class AuthNoTokenException extends AuthException.define({
  code: 'AUTH_NO_TOKEN',
  status: 401,
  message: 'No JWT token found in cookie or Authorization header',
}) {}

/** `AUTH_INVALID_TOKEN` 401: the JWT is malformed or expired. */
export class AuthInvalidTokenException extends AuthException.define({
  code: 'AUTH_INVALID_TOKEN',
  status: 401,
  message: 'JWT token is malformed or expired',
}) {}

/** `AUTH_TOKEN_REVOKED` 401: the JWT has been explicitly revoked. */
export class AuthTokenRevokedException extends AuthException.define({
  code: 'AUTH_TOKEN_REVOKED',
  status: 401,
  message: 'JWT token has been explicitly revoked',
}) {}

/** `AUTH_INVALID_CREDENTIALS` 401: the email/password combination is incorrect. */
export class AuthInvalidCredentialsException extends AuthException.define({
  code: 'AUTH_INVALID_CREDENTIALS',
  status: 401,
  message: 'Email/password combination is incorrect',
}) {}

/** `AUTH_PROVIDER_MISMATCH` 401: the account was registered with another auth method. */
export class AuthProviderMismatchException extends AuthException.define({
  code: 'AUTH_PROVIDER_MISMATCH',
  status: 401,
  message: 'Account was registered with a different auth method',
}) {}

/** `AUTH_NO_REFRESH_TOKEN` 401: the refresh token cookie is missing. */
export class AuthNoRefreshTokenException extends AuthException.define({
  code: 'AUTH_NO_REFRESH_TOKEN',
  status: 401,
  message: 'Refresh token cookie is missing',
}) {}

/** `AUTH_INVALID_REFRESH_TOKEN` 401: the refresh token is invalid or expired. */
export class AuthInvalidRefreshTokenException extends AuthException.define({
  code: 'AUTH_INVALID_REFRESH_TOKEN',
  status: 401,
  message: 'Refresh token is invalid or expired',
}) {}

/** `INVALID_GRANT` 401: the subject_token given to /auth/exchange could not be verified. */
export class InvalidGrantException extends AuthException.define({
  code: 'INVALID_GRANT',
  status: 401,
  message: 'The subject_token passed to /auth/exchange is invalid or could not be verified',
}) {}

/** `INSUFFICIENT_ROLE` 403: the user's role does not have access to this operation. */
export class InsufficientRoleException extends AuthException.define({
  code: 'INSUFFICIENT_ROLE',
  status: 403,
  message: 'User role does not have access to this operation',
}) {}

/** `MFA_REQUIRED` 403: the workspace requires MFA enrollment. */
export class MfaRequiredException extends AuthException.define({
  code: 'MFA_REQUIRED',
  status: 403,
  message: 'MFA enrollment is required by this workspace',
}) {}

/** `SSO_REQUIRED` 403: the workspace enforces SSO. */
export class SsoRequiredException extends AuthException.define({
  code: 'SSO_REQUIRED',
  status: 403,
  message: 'SSO is enforced for this workspace — use the SSO flow',
}) {}

/** `INVALID_INVITE_TOKEN` 400: the invite token is malformed or expired. */
export class InvalidInviteTokenException extends AuthException.define({
  code: 'INVALID_INVITE_TOKEN',
  status: 400,
  message: 'Invite token is malformed or expired',
}) {}

/** `INVALID_RESET_TOKEN` 400: the password reset token is malformed or expired. */
export class InvalidResetTokenException extends AuthException.define({
  code: 'INVALID_RESET_TOKEN',
  status: 400,
  message: 'Password reset token is malformed or expired',
}) {}

/** `MISSING_TENANT_ID` 400: the company context could not be determined. */
export class MissingTenantIdException extends AuthException.define({
  code: 'MISSING_TENANT_ID',
  status: 400,
  message: 'Company context could not be determined',
}) {}

/** Every auth class, in catalog order. */
export const AUTH_EXCEPTIONS = [
  AuthFailedException,
  AuthNoTokenException,
  AuthInvalidTokenException,
  AuthTokenRevokedException,
  AuthInvalidCredentialsException,
  AuthProviderMismatchException,
  AuthNoRefreshTokenException,
  AuthInvalidRefreshTokenException,
  InvalidGrantException,
  InsufficientRoleException,
  MfaRequiredException,
  SsoRequiredException,
  InvalidInviteTokenException,
  InvalidResetTokenException,
  MissingTenantIdException,
] as const;
