import { AppsException } from './domain.bases.js';

// Messages: "Apps" of the documented API the `simple` format reproduces (README § Formats).
// Three are templates: their fields are required by the
// constructor (`new UnknownProviderException({ provider: 'slack' })`).

/** `UNKNOWN_PROVIDER` 404: `Unknown provider: {provider}`. */
export class UnknownProviderException extends AppsException.define({
  code: 'UNKNOWN_PROVIDER',
  status: 404,
  message: 'Unknown provider: {provider}',
}) {}

/** `PROVIDER_NOT_AVAILABLE` 400: `Provider "{provider}" is not available`. */
export class ProviderNotAvailableException extends AppsException.define({
  code: 'PROVIDER_NOT_AVAILABLE',
  status: 400,
  message: 'Provider "{provider}" is not available',
}) {}

/** `MISSING_FIELDS` 400: no fields object in the connect request. */
export class MissingFieldsException extends AppsException.define({
  code: 'MISSING_FIELDS',
  status: 400,
  message: 'Missing fields in request body',
}) {}

/** `FIELD_REQUIRED` 400: `{field} is required` (a required credential field is empty). */
export class FieldRequiredException extends AppsException.define({
  code: 'FIELD_REQUIRED',
  status: 400,
  message: '{field} is required',
}) {}

/** `CONNECTION_ID_REQUIRED` 400: disconnecting needs the connectionId query parameter. */
export class ConnectionIdRequiredException extends AppsException.define({
  code: 'CONNECTION_ID_REQUIRED',
  status: 400,
  message: 'connectionId query parameter is required',
}) {}

/** `CLIENT_ID_REQUIRED` 400: a bring-your-own-client config is missing its client id. */
export class ClientIdRequiredException extends AppsException.define({
  code: 'CLIENT_ID_REQUIRED',
  status: 400,
  message: 'clientId is required',
}) {}

/** `CLIENT_SECRET_REQUIRED` 400: a bring-your-own-client config is missing its client secret. */
export class ClientSecretRequiredException extends AppsException.define({
  code: 'CLIENT_SECRET_REQUIRED',
  status: 400,
  message: 'clientSecret is required',
}) {}

/** Every apps class, in catalog order. */
export const APPS_EXCEPTIONS = [
  UnknownProviderException,
  ProviderNotAvailableException,
  MissingFieldsException,
  FieldRequiredException,
  ConnectionIdRequiredException,
  ClientIdRequiredException,
  ClientSecretRequiredException,
] as const;
