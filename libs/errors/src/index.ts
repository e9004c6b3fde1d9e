// The public API of nest-api-errors (the README documents each export): nothing else is meant to be imported.

export { ErrorsModule } from './module/errors.module.js';
export { ErrorsFilter } from './module/errors.filter.js';
export { ErrorPipeline, type ErrorSteps } from './module/error.pipeline.js';
export { UseErrorFormat } from './module/use-error-format.decorator.js';
export { ERRORS_MODULE_OPTIONS } from './module/errors.constants.js';
export type {
  ErrorsModuleOptions,
  ErrorsLoggingOptions,
  GrpcErrorsOptions,
  RequestIdOptions,
} from './module/errors-options.interface.js';
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

export type { ErrorFormat, JsonSchema, RenderedError } from './formats/error-format.interface.js';
export type { ErrorReporter, ErrorReportFunction } from './core/error.reporters.js';
export type { ErrorMapper } from './core/error.mapping.js';
export { defaultErrorMappers } from './mappers/error-mappers.js';
export { prismaErrors } from './mappers/prisma.mapper.js';
export { typeormErrors } from './mappers/typeorm.mapper.js';
export { mongooseErrors } from './mappers/mongoose.mapper.js';
export { httpClientErrors } from './mappers/http-client.mapper.js';
export type { FormatName, FormatOption } from './formats/format.registry.js';
export type { FormatRoute } from './formats/format.routes.js';
export type { TimestampedErrorBody } from './formats/timestamped.format.js';
export type { TracedErrorBody } from './formats/traced.format.js';
export type { SimpleErrorBody } from './formats/simple.format.js';
export type { EnvelopeErrorBody } from './formats/envelope.format.js';
export type { ProblemDetailsBody } from './formats/problem.format.js';
export type { GraphQLErrorBody, GraphQLErrorExtensions } from './formats/graphql.format.js';

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
} from './domains/domain.bases.js';
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
  ExternalServiceException,
  RateLimitedException,
  ValidationFailedException,
} from './domains/common.exceptions.js';
export { errorCatalog, type ErrorCatalogEntry } from './domains/error.catalog.js';

export { createValidationPipe } from './validation/validation.pipe-factory.js';
export { formatGraphQLError, type GraphQLFormattedErrorLike } from './protocols/graphql.writer.js';
export { parseGrpcError, type ParsedGrpcError } from './protocols/grpc-error.parser.js';
export {
  ApiErrors,
  API_ERRORS_METADATA,
  type DocumentedErrorClass,
} from './docs/api-errors.decorator.js';
export { shareResponseHeaders } from './docs/response-headers.openapi.js';
export {
  renderErrorReference,
  type ErrorReference,
  type ErrorReferenceOptions,
} from './docs/error-reference.renderer.js';
