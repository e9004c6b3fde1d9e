import { AgentsException } from './domain.bases.js';

// Messages: "Agents" of the documented API the `simple` format reproduces (README § Formats),
// which documents messages only; the codes are this library's own.

/** `AGENT_NAME_INVALID` 400: Agent name must be 1-255 characters. */
export class AgentNameInvalidException extends AgentsException.define({
  code: 'AGENT_NAME_INVALID',
  status: 400,
  message: 'Agent name must be 1-255 characters',
}) {}

/** `AGENT_IDENTIFIER_INVALID` 400: the identifier format is invalid. */
export class AgentIdentifierInvalidException extends AgentsException.define({
  code: 'AGENT_IDENTIFIER_INVALID',
  status: 400,
  message:
    'Identifier must be 1-50 characters, start with a letter, and contain only lowercase letters, numbers, and hyphens',
}) {}

/** `AGENT_IDENTIFIER_TAKEN` 409: an agent with this identifier already exists. */
export class AgentIdentifierTakenException extends AgentsException.define({
  code: 'AGENT_IDENTIFIER_TAKEN',
  status: 409,
  message: 'Agent with this identifier already exists',
}) {}

/** `DEFAULT_AGENT_NOT_DELETABLE` 400: the project's default agent cannot be deleted. */
export class DefaultAgentNotDeletableException extends AgentsException.define({
  code: 'DEFAULT_AGENT_NOT_DELETABLE',
  status: 400,
  message: 'Cannot delete the default agent',
}) {}

/** `AGENT_ALREADY_DEFAULT` 400: the agent is already the default. */
export class AgentAlreadyDefaultException extends AgentsException.define({
  code: 'AGENT_ALREADY_DEFAULT',
  status: 400,
  message: 'Agent is already the default',
}) {}

/** `SELECTIVE_MODE_WITHOUT_SECRETS` 400: selective secret mode needs assigned secrets. */
export class SelectiveModeWithoutSecretsException extends AgentsException.define({
  code: 'SELECTIVE_MODE_WITHOUT_SECRETS',
  status: 400,
  message: 'Cannot use selective secret mode without assigned secrets',
}) {}

/** `AGENT_SECRETS_NOT_FOUND` 400: secret ids in the request do not exist in the project. */
export class AgentSecretsNotFoundException extends AgentsException.define({
  code: 'AGENT_SECRETS_NOT_FOUND',
  status: 400,
  message: 'One or more secrets not found',
}) {}

/** `AGENT_NOT_FOUND` 404: Agent not found. */
export class AgentNotFoundException extends AgentsException.define({
  code: 'AGENT_NOT_FOUND',
  status: 404,
  message: 'Agent not found',
}) {}

/** Every agents class, in catalog order. */
export const AGENTS_EXCEPTIONS = [
  AgentNameInvalidException,
  AgentIdentifierInvalidException,
  AgentIdentifierTakenException,
  DefaultAgentNotDeletableException,
  AgentAlreadyDefaultException,
  SelectiveModeWithoutSecretsException,
  AgentSecretsNotFoundException,
  AgentNotFoundException,
] as const;
