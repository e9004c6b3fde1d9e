import { SecretsException } from './domain.bases.js';

// Messages: "Secrets" of the documented API the `simple` format reproduces (README § Formats).

/** `SECRET_HOST_IS_URL` 400: hostPattern includes a protocol prefix. */
export class SecretHostIsUrlException extends SecretsException.define({
  code: 'SECRET_HOST_IS_URL',
  status: 400,
  message: 'Enter a hostname, not a URL (remove http:// or https://)',
}) {}

/** `SECRET_HOST_HAS_PATH` 400: hostPattern includes a `/` path. */
export class SecretHostHasPathException extends SecretsException.define({
  code: 'SECRET_HOST_HAS_PATH',
  status: 400,
  message: 'Enter a hostname only, not a path (use the path pattern field for paths)',
}) {}

/** `SECRET_HOST_HAS_SPACES` 400: hostPattern contains whitespace. */
export class SecretHostHasSpacesException extends SecretsException.define({
  code: 'SECRET_HOST_HAS_SPACES',
  status: 400,
  message: 'Host pattern must not contain spaces',
}) {}

/** `SECRET_INJECTION_MISSING` 400: a generic secret needs a header or param injection. */
export class SecretInjectionMissingException extends SecretsException.define({
  code: 'SECRET_INJECTION_MISSING',
  status: 400,
  message: 'At least one injection method (header/param) must be configured',
}) {}

/** `NO_FIELDS_TO_UPDATE` 400: a PATCH with an empty body. */
export class NoFieldsToUpdateException extends SecretsException.define({
  code: 'NO_FIELDS_TO_UPDATE',
  status: 400,
  message: 'No fields to update',
}) {}

/** `SECRET_NOT_FOUND` 404: Secret not found. */
export class SecretNotFoundException extends SecretsException.define({
  code: 'SECRET_NOT_FOUND',
  status: 404,
  message: 'Secret not found',
}) {}

/** Every secrets class, in catalog order. */
export const SECRETS_EXCEPTIONS = [
  SecretHostIsUrlException,
  SecretHostHasPathException,
  SecretHostHasSpacesException,
  SecretInjectionMissingException,
  NoFieldsToUpdateException,
  SecretNotFoundException,
] as const;
