import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AgentAlreadyDefaultException,
  AgentIdentifierInvalidException,
  AgentIdentifierTakenException,
  AgentNameInvalidException,
  AgentNotFoundException,
  AgentSecretsNotFoundException,
  ApiErrors,
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
  ValidationFailedException,
} from 'nest-api-errors';
import { JsonBody } from '../common/json-body.decorator.js';
import { SECURITY, TAGS } from '../openapi.js';
import { ApiKeyGuard } from './api-key.guard.js';
import {
  ConfigureClientDto,
  ConnectAppDto,
  CreateAgentDto,
  CreateRuleDto,
  CreateSecretDto,
  RenameUserDto,
  UpdateRuleDto,
  UpdateSecretDto,
} from './agents-api.dto.js';
import { AgentsApiService } from './agents-api.service.js';

/**
 * `/api`: agents, secrets, rules, apps and the user (README § `/api`, `{"error": "message"}`).
 * The DTOs check JSON types; the service checks the documented rules, so each of those failures
 * carries the documented message.
 */
@Controller('api')
@UseGuards(ApiKeyGuard)
@ApiTags(TAGS.agents)
@ApiBearerAuth(SECURITY.agentsApiKey)
// ApiKeyGuard: a missing or unknown API key.
@ApiErrors(UnauthorizedException)
export class AgentsApiController {
  constructor(private readonly platform: AgentsApiService) {}

  @Get('agents')
  @ApiOperation({ summary: 'The agents' })
  @ApiOkResponse({ description: 'The agents' })
  agents() {
    return this.platform.listAgents();
  }

  @Post('agents')
  @ApiOperation({ summary: 'Create an agent' })
  @ApiErrors(
    ValidationFailedException,
    AgentNameInvalidException,
    AgentIdentifierInvalidException,
    AgentIdentifierTakenException,
    SelectiveModeWithoutSecretsException,
    AgentSecretsNotFoundException,
  )
  @ApiCreatedResponse({ description: 'The agent' })
  createAgent(@JsonBody() body: CreateAgentDto) {
    return this.platform.createAgent(body);
  }

  @Get('agents/:id')
  @ApiOperation({ summary: 'An agent' })
  @ApiErrors(AgentNotFoundException)
  @ApiOkResponse({ description: 'The agent' })
  agent(@Param('id') id: string) {
    return this.platform.agent(id);
  }

  @Delete('agents/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an agent (not the default one)' })
  @ApiErrors(AgentNotFoundException, DefaultAgentNotDeletableException)
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteAgent(@Param('id') id: string): void {
    this.platform.deleteAgent(id);
  }

  @Post('agents/:id/default')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make an agent the default one' })
  @ApiErrors(AgentNotFoundException, AgentAlreadyDefaultException)
  @ApiOkResponse({ description: 'The new default agent' })
  makeDefault(@Param('id') id: string) {
    return this.platform.makeDefault(id);
  }

  @Get('secrets')
  @ApiOperation({ summary: 'The secrets' })
  @ApiOkResponse({ description: 'The secrets' })
  secrets() {
    return this.platform.listSecrets();
  }

  @Post('secrets')
  @ApiOperation({ summary: 'Create a secret' })
  @ApiErrors(
    ValidationFailedException,
    SecretHostIsUrlException,
    SecretHostHasPathException,
    SecretHostHasSpacesException,
    SecretInjectionMissingException,
  )
  @ApiCreatedResponse({ description: 'The secret' })
  createSecret(@JsonBody() body: CreateSecretDto) {
    return this.platform.createSecret(body);
  }

  @Patch('secrets/:id')
  @ApiOperation({ summary: 'Update a secret' })
  @ApiErrors(
    ValidationFailedException,
    SecretNotFoundException,
    NoFieldsToUpdateException,
    SecretHostIsUrlException,
    SecretHostHasPathException,
    SecretHostHasSpacesException,
  )
  @ApiOkResponse({ description: 'The secret' })
  updateSecret(@Param('id') id: string, @JsonBody() body: UpdateSecretDto) {
    return this.platform.updateSecret(id, body);
  }

  @Get('rules')
  @ApiOperation({ summary: 'The policy rules' })
  @ApiOkResponse({ description: 'The rules' })
  rules() {
    return this.platform.listRules();
  }

  @Post('rules')
  @ApiOperation({ summary: 'Create a policy rule' })
  @ApiErrors(ValidationFailedException, RuleRateLimitFieldsRequiredException)
  @ApiCreatedResponse({ description: 'The rule' })
  createRule(@JsonBody() body: CreateRuleDto) {
    return this.platform.createRule(body);
  }

  @Patch('rules/:id')
  @ApiOperation({ summary: 'Update a policy rule' })
  @ApiErrors(ValidationFailedException, RuleNotFoundException, EmptyUpdateException)
  @ApiOkResponse({ description: 'The rule' })
  updateRule(@Param('id') id: string, @JsonBody() body: UpdateRuleDto) {
    return this.platform.updateRule(id, body);
  }

  @Get('apps')
  @ApiOperation({ summary: 'The app registry: which providers exist and which can be connected' })
  @ApiOkResponse({ description: 'The providers' })
  apps() {
    return this.platform.listApps();
  }

  @Post('apps/:provider/connect')
  @ApiOperation({ summary: 'Connect an app with its credential fields' })
  @ApiErrors(
    ValidationFailedException,
    UnknownProviderException,
    ProviderNotAvailableException,
    MissingFieldsException,
    FieldRequiredException,
  )
  @ApiCreatedResponse({ description: 'The connection' })
  connect(@Param('provider') provider: string, @JsonBody() body: ConnectAppDto) {
    return this.platform.connect(provider, body);
  }

  @Delete('apps/:provider/connections')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a connection of an app' })
  @ApiErrors(UnknownProviderException, ConnectionIdRequiredException)
  @ApiNoContentResponse({ description: 'Removed' })
  disconnect(
    @Param('provider') provider: string,
    @Query('connectionId') connectionId?: string,
  ): void {
    this.platform.disconnect(provider, connectionId);
  }

  @Put('apps/:provider/byoc')
  @ApiOperation({ summary: "Configure the OAuth client of the customer's own app" })
  @ApiErrors(
    ValidationFailedException,
    UnknownProviderException,
    ClientIdRequiredException,
    ClientSecretRequiredException,
  )
  @ApiOkResponse({ description: 'Configured' })
  configureClient(@Param('provider') provider: string, @JsonBody() body: ConfigureClientDto) {
    return this.platform.configureClient(provider, body);
  }

  @Patch('user')
  @ApiOperation({ summary: 'Rename the user' })
  @ApiErrors(ValidationFailedException, UserNameInvalidException)
  @ApiOkResponse({ description: 'The new name' })
  renameUser(@JsonBody() body: RenameUserDto) {
    return this.platform.renameUser(body);
  }
}
