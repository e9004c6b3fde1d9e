import { TenantsException } from './domain.bases.js';

// Codes and messages: the not found, conflict and internal tables of the documented API the
// `envelope` format reproduces (README § Formats).

/** `TENANT_NOT_FOUND` 404: the referenced company does not exist. */
export class TenantNotFoundException extends TenantsException.define({
  code: 'TENANT_NOT_FOUND',
  status: 404,
  message: 'Referenced company does not exist',
}) {}

/** `CONTENT_NOT_FOUND` 404: flow, tooltip, survey, or other content not found. */
export class ContentNotFoundException extends TenantsException.define({
  code: 'CONTENT_NOT_FOUND',
  status: 404,
  message: 'Flow, tooltip, survey, or other content not found',
}) {}

/** `EMAIL_EXISTS` 409: the email address is already registered. */
export class EmailExistsException extends TenantsException.define({
  code: 'EMAIL_EXISTS',
  status: 409,
  message: 'Email address is already registered',
}) {}

/** `TENANT_EXISTS` 409: a company with this name already exists. */
export class TenantExistsException extends TenantsException.define({
  code: 'TENANT_EXISTS',
  status: 409,
  message: 'A company with this name already exists',
}) {}

/** `MEMBER_EXISTS` 409: the user is already a member of this company. */
export class MemberExistsException extends TenantsException.define({
  code: 'MEMBER_EXISTS',
  status: 409,
  message: 'User is already a member of this company',
}) {}

/** `AUDIENCE_IN_USE` 409: the audience is referenced by active content. */
export class AudienceInUseException extends TenantsException.define({
  code: 'AUDIENCE_IN_USE',
  status: 409,
  message: 'Audience is referenced by active content and cannot be deleted',
}) {}

/** `REGISTRATION_FAILED` 500 (retryable): user/company registration could not be completed. */
export class RegistrationFailedException extends TenantsException.define({
  code: 'REGISTRATION_FAILED',
  status: 500,
  message: 'User/company registration could not be completed',
}) {}

/** Every tenants class, in catalog order. */
export const TENANTS_EXCEPTIONS = [
  TenantNotFoundException,
  ContentNotFoundException,
  EmailExistsException,
  TenantExistsException,
  MemberExistsException,
  AudienceInUseException,
  RegistrationFailedException,
] as const;
