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
  UseGuards,
} from '@nestjs/common';
import { JsonBody } from '../common/json-body.decorator.js';
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
 * `/api`: agents, secrets, rules, apps and the user (reference-docs/003, `{"error": "message"}`).
 * The DTOs check JSON types; the service checks the documented rules, so each of those failures
 * carries the documented message.
 */
@Controller('api')
@UseGuards(ApiKeyGuard)
export class AgentsApiController {
  constructor(private readonly platform: AgentsApiService) {}

  @Get('agents')
  agents() {
    return this.platform.listAgents();
  }

  @Post('agents')
  createAgent(@JsonBody() body: CreateAgentDto) {
    return this.platform.createAgent(body);
  }

  @Get('agents/:id')
  agent(@Param('id') id: string) {
    return this.platform.agent(id);
  }

  @Delete('agents/:id')
  @HttpCode(204)
  deleteAgent(@Param('id') id: string): void {
    this.platform.deleteAgent(id);
  }

  @Post('agents/:id/default')
  @HttpCode(200)
  makeDefault(@Param('id') id: string) {
    return this.platform.makeDefault(id);
  }

  @Get('secrets')
  secrets() {
    return this.platform.listSecrets();
  }

  @Post('secrets')
  createSecret(@JsonBody() body: CreateSecretDto) {
    return this.platform.createSecret(body);
  }

  @Patch('secrets/:id')
  updateSecret(@Param('id') id: string, @JsonBody() body: UpdateSecretDto) {
    return this.platform.updateSecret(id, body);
  }

  @Get('rules')
  rules() {
    return this.platform.listRules();
  }

  @Post('rules')
  createRule(@JsonBody() body: CreateRuleDto) {
    return this.platform.createRule(body);
  }

  @Patch('rules/:id')
  updateRule(@Param('id') id: string, @JsonBody() body: UpdateRuleDto) {
    return this.platform.updateRule(id, body);
  }

  @Get('apps')
  apps() {
    return this.platform.listApps();
  }

  @Post('apps/:provider/connect')
  connect(@Param('provider') provider: string, @JsonBody() body: ConnectAppDto) {
    return this.platform.connect(provider, body);
  }

  @Delete('apps/:provider/connections')
  @HttpCode(204)
  disconnect(
    @Param('provider') provider: string,
    @Query('connectionId') connectionId?: string,
  ): void {
    this.platform.disconnect(provider, connectionId);
  }

  @Put('apps/:provider/byoc')
  configureClient(@Param('provider') provider: string, @JsonBody() body: ConfigureClientDto) {
    return this.platform.configureClient(provider, body);
  }

  @Patch('user')
  renameUser(@JsonBody() body: RenameUserDto) {
    return this.platform.renameUser(body);
  }
}
