import { Injectable } from '@nestjs/common';
import {
  AgentAlreadyDefaultException,
  AgentIdentifierInvalidException,
  AgentIdentifierTakenException,
  AgentNameInvalidException,
  AgentNotFoundException,
  AgentSecretsNotFoundException,
  ClientIdRequiredException,
  ClientSecretRequiredException,
  ConnectionIdRequiredException,
  DefaultAgentNotDeletableException,
  EmptyUpdateException,
  FieldRequiredException,
  MissingFieldsException,
  NoFieldsToUpdateException,
  ProviderNotAvailableException,
  RuleNotFoundException,
  RuleRateLimitFieldsRequiredException,
  SecretHostHasPathException,
  SecretHostHasSpacesException,
  SecretHostIsUrlException,
  SecretInjectionMissingException,
  SecretNotFoundException,
  SelectiveModeWithoutSecretsException,
  UnknownProviderException,
  UserNameInvalidException,
} from 'nest-api-errors';
import type {
  ConfigureClientDto,
  ConnectAppDto,
  CreateAgentDto,
  CreateRuleDto,
  CreateSecretDto,
  RenameUserDto,
  UpdateRuleDto,
  UpdateSecretDto,
} from './agents-api.dto.js';
import {
  type Agent,
  AgentsApiStore,
  type Provider,
  type Rule,
  type Secret,
} from './agents-api.store.js';

const IDENTIFIER = /^[a-z][a-z0-9-]{0,49}$/;
const isBlank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

/**
 * The agents, secrets, rules, apps and user platform behind `/api` (README § `/api`): every rule
 * the API documents a message for is checked here, over `AgentsApiStore`.
 */
@Injectable()
export class AgentsApiService {
  constructor(private readonly store: AgentsApiStore) {}

  listAgents(): Agent[] {
    return [...this.store.agents.values()];
  }

  createAgent(input: CreateAgentDto): Agent {
    const name = typeof input.name === 'string' ? input.name : '';
    if (name.length < 1 || name.length > 255) {
      throw new AgentNameInvalidException();
    }
    const identifier = typeof input.identifier === 'string' ? input.identifier : '';
    if (!IDENTIFIER.test(identifier)) {
      throw new AgentIdentifierInvalidException();
    }
    if ([...this.store.agents.values()].some((agent) => agent.identifier === identifier)) {
      throw new AgentIdentifierTakenException();
    }
    const secretIds = Array.isArray(input.secretIds) ? input.secretIds.map(String) : [];
    const secretMode = input.secretMode === 'selective' ? 'selective' : 'all';
    if (secretMode === 'selective' && secretIds.length === 0) {
      throw new SelectiveModeWithoutSecretsException();
    }
    if (secretIds.some((id) => !this.store.secrets.has(id))) {
      throw new AgentSecretsNotFoundException();
    }
    const agent: Agent = { id: this.store.newId('agt'), name, identifier, secretMode, secretIds };
    this.store.agents.set(agent.id, agent);
    return agent;
  }

  agent(id: string): Agent {
    const agent = this.store.agents.get(id);
    if (agent === undefined) {
      throw new AgentNotFoundException();
    }
    return agent;
  }

  deleteAgent(id: string): void {
    this.agent(id);
    if (id === this.store.defaultAgentId) {
      throw new DefaultAgentNotDeletableException();
    }
    this.store.agents.delete(id);
  }

  makeDefault(id: string): Agent {
    const agent = this.agent(id);
    if (id === this.store.defaultAgentId) {
      throw new AgentAlreadyDefaultException();
    }
    this.store.defaultAgentId = id;
    return agent;
  }

  /** The documented host pattern rules: a hostname, no scheme, no path, no spaces. */
  private checkHostPattern(hostPattern: unknown): string {
    const pattern = typeof hostPattern === 'string' ? hostPattern : '';
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pattern)) {
      throw new SecretHostIsUrlException();
    }
    if (pattern.includes('/')) {
      throw new SecretHostHasPathException();
    }
    if (/\s/.test(pattern)) {
      throw new SecretHostHasSpacesException();
    }
    return pattern;
  }

  listSecrets(): Secret[] {
    return [...this.store.secrets.values()];
  }

  createSecret(input: CreateSecretDto): Secret {
    const hostPattern = this.checkHostPattern(input.hostPattern);
    const type = input.type === 'generic' ? 'generic' : 'bearer';
    if (
      type === 'generic' &&
      isBlank(input.injectionConfig?.headerName) &&
      isBlank(input.injectionConfig?.paramName)
    ) {
      throw new SecretInjectionMissingException();
    }
    const secret: Secret = {
      id: this.store.newId('sec'),
      name: String(input.name ?? ''),
      type,
      hostPattern,
      injectionConfig: input.injectionConfig,
    };
    this.store.secrets.set(secret.id, secret);
    return secret;
  }

  updateSecret(id: string, input: UpdateSecretDto): Secret {
    const secret = this.store.secrets.get(id);
    if (secret === undefined) {
      throw new SecretNotFoundException();
    }
    if (Object.keys(input).length === 0) {
      throw new NoFieldsToUpdateException();
    }
    if ('hostPattern' in input) {
      secret.hostPattern = this.checkHostPattern(input.hostPattern);
    }
    if (typeof input.name === 'string') {
      secret.name = input.name;
    }
    return secret;
  }

  listRules(): Rule[] {
    return [...this.store.rules.values()];
  }

  createRule(input: CreateRuleDto): Rule {
    const action =
      input.action === 'rate_limit' || input.action === 'allow' ? input.action : 'deny';
    if (
      action === 'rate_limit' &&
      (typeof input.rateLimit !== 'number' || typeof input.rateLimitWindow !== 'number')
    ) {
      throw new RuleRateLimitFieldsRequiredException();
    }
    const rule: Rule = {
      id: this.store.newId('rul'),
      action,
      ...(action === 'rate_limit'
        ? { rateLimit: input.rateLimit as number, rateLimitWindow: input.rateLimitWindow as number }
        : {}),
    };
    this.store.rules.set(rule.id, rule);
    return rule;
  }

  updateRule(id: string, input: UpdateRuleDto): Rule {
    const rule = this.store.rules.get(id);
    if (rule === undefined) {
      throw new RuleNotFoundException();
    }
    if (Object.keys(input).length === 0) {
      throw new EmptyUpdateException();
    }
    return Object.assign(rule, input.action === undefined ? {} : { action: input.action });
  }

  private provider(name: string): Provider {
    const provider = this.store.providers.get(name);
    if (provider === undefined) {
      throw new UnknownProviderException({ provider: name });
    }
    return provider;
  }

  /** The app registry: which providers exist and which can be connected. */
  listApps(): { provider: string; available: boolean; requiredFields: string[] }[] {
    return [...this.store.providers].map(([provider, { available, requiredFields }]) => ({
      provider,
      available,
      requiredFields,
    }));
  }

  connect(providerName: string, input: ConnectAppDto): { provider: string; connectionId: string } {
    const provider = this.provider(providerName);
    if (!provider.available) {
      throw new ProviderNotAvailableException({ provider: providerName });
    }
    if (typeof input.fields !== 'object' || input.fields === null) {
      throw new MissingFieldsException();
    }
    for (const field of provider.requiredFields) {
      if (isBlank((input.fields as Record<string, unknown>)[field])) {
        throw new FieldRequiredException({ field });
      }
    }
    return { provider: providerName, connectionId: this.store.newId('con') };
  }

  disconnect(providerName: string, connectionId: string | undefined): void {
    this.provider(providerName);
    if (isBlank(connectionId)) {
      throw new ConnectionIdRequiredException();
    }
  }

  configureClient(providerName: string, input: ConfigureClientDto): { provider: string } {
    this.provider(providerName);
    if (isBlank(input.clientId)) {
      throw new ClientIdRequiredException();
    }
    if (isBlank(input.clientSecret)) {
      throw new ClientSecretRequiredException();
    }
    return { provider: providerName };
  }

  renameUser(input: RenameUserDto): { name: string } {
    const name = typeof input.name === 'string' ? input.name : '';
    if (name.length < 1 || name.length > 255) {
      throw new UserNameInvalidException();
    }
    this.store.userName = name;
    return { name };
  }
}
