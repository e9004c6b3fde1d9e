// The public API of nest-api-errors: nothing else is meant to be imported.

export { ErrorsModule } from './core/errors.module.js';
export { ErrorsFilter } from './core/errors.filter.js';
export { RequestIdMiddleware } from './core/request-id.middleware.js';
export { UseErrorFormat, ERROR_FORMAT_METADATA } from './core/use-error-format.decorator.js';
export { ERRORS_MODULE_OPTIONS, DEFAULT_REQUEST_ID_HEADER } from './core/errors.constants.js';
export type {
  ErrorsModuleOptions,
  ErrorsLoggingOptions,
  RequestIdOptions,
} from './core/errors-options.interface.js';
export type {
  ApiError,
  ErrorCategory,
  ErrorContext,
  ErrorProtocol,
  FieldLocation,
  FieldViolation,
} from './core/api-error.interface.js';
export {
  ApiException,
  type ApiErrorDefinition,
  type ApiErrorDefinitionInput,
  type ApiExceptionArgs,
  type ApiExceptionClass,
  type ApiExceptionInit,
  type ApiExceptionOptions,
  type DefinedApiExceptionClass,
  type TemplateFields,
} from './core/api.exception.js';
export { normalizeError, type NormalizeOptions } from './core/normalize.js';
export { REQUEST_ID_PATTERN } from './core/error-context.js';
export { categoryForStatus, genericCodeForStatus, isRetryableStatus } from './core/http-status.js';

export type { ErrorFormat, RenderedError } from './formats/error-format.interface.js';
export {
  ERROR_FORMATS,
  type ErrorFormatName,
  type ErrorFormatOption,
} from './formats/error-formats.js';
export { timestampedFormat, type TimestampedErrorBody } from './formats/timestamped.format.js';
export { tracedFormat, type TracedErrorBody } from './formats/traced.format.js';
export { simpleFormat, type SimpleErrorBody } from './formats/simple.format.js';
export { envelopeFormat, type EnvelopeErrorBody } from './formats/envelope.format.js';
export { problemFormat, type ProblemDetailsBody } from './formats/problem.format.js';

export {
  AgentsException,
  AppsException,
  AuthException,
  RulesException,
  SecretsException,
  SessionsException,
  TenantsException,
  UsersException,
  VaultFilesException,
} from './domains/domain-bases.js';
export {
  InvalidClientException,
  RedirectNotAllowedException,
  UnauthorizedAccessException,
  VaultEntryDeletedException,
  VaultEntryNotFoundException,
} from './domains/sessions.exceptions.js';
export {
  EntryAlreadyAttachedException,
  EntryDeletedException,
  EntryIsNotABinaryException,
  EntryIsNotADataBlockException,
  EntryIsWrongTypeOfDataBlockException,
  EntryNotFoundException,
  InvalidFlowExecutionException,
  PresignedUrlGenerationFailedException,
  UploadFailedException,
} from './domains/vault-files.exceptions.js';
export {
  AuthFailedException,
  AuthInvalidCredentialsException,
  AuthInvalidRefreshTokenException,
  AuthInvalidTokenException,
  AuthNoRefreshTokenException,
  AuthNoTokenException,
  AuthProviderMismatchException,
  AuthTokenRevokedException,
  InsufficientRoleException,
  InvalidGrantException,
  InvalidInviteTokenException,
  InvalidResetTokenException,
  MfaRequiredException,
  MissingTenantIdException,
  SsoRequiredException,
} from './domains/auth.exceptions.js';
export {
  AgentAlreadyDefaultException,
  AgentIdentifierInvalidException,
  AgentIdentifierTakenException,
  AgentNameInvalidException,
  AgentNotFoundException,
  AgentSecretsNotFoundException,
  DefaultAgentNotDeletableException,
  SelectiveModeWithoutSecretsException,
} from './domains/agents.exceptions.js';
export {
  NoFieldsToUpdateException,
  SecretHostHasPathException,
  SecretHostHasSpacesException,
  SecretHostIsUrlException,
  SecretInjectionMissingException,
  SecretNotFoundException,
} from './domains/secrets.exceptions.js';
export {
  EmptyUpdateException,
  RuleNotFoundException,
  RuleRateLimitFieldsRequiredException,
} from './domains/rules.exceptions.js';
export {
  ClientIdRequiredException,
  ClientSecretRequiredException,
  ConnectionIdRequiredException,
  FieldRequiredException,
  MissingFieldsException,
  ProviderNotAvailableException,
  UnknownProviderException,
} from './domains/apps.exceptions.js';
export { UserNameInvalidException, UserNotFoundException } from './domains/users.exceptions.js';
export {
  AudienceInUseException,
  ContentNotFoundException,
  EmailExistsException,
  MemberExistsException,
  RegistrationFailedException,
  TenantExistsException,
  TenantNotFoundException,
} from './domains/tenants.exceptions.js';
export {
  MAX_FIELD_VIOLATIONS,
  ExternalServiceException,
  RateLimitedException,
  ValidationFailedException,
} from './domains/common.exceptions.js';
export { errorCatalog, type ErrorCatalogEntry } from './domains/error-catalog.js';

export {
  createValidationPipe,
  ErrorsValidationPipe,
} from './validation/validation.pipe-factory.js';
export {
  ApiGraphQLError,
  formatGraphQLError,
  type GraphQLErrorExtensions,
  type GraphQLFormattedErrorLike,
} from './protocols/graphql.js';
export { ApiErrors, API_ERRORS_METADATA } from './docs/api-errors.decorator.js';
export {
  renderErrorReference,
  buildErrorReference,
  type ErrorReference,
  type ErrorReferenceOptions,
} from './docs/error-reference.js';
export { FORMAT_SCHEMAS, type JsonSchema } from './formats/format-schemas.js';
