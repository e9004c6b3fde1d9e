import {
  Body,
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
import { UseErrorFormat } from 'nest-api-errors';
import { ApiKeyGuard } from './api-key.guard.js';
import { AgentsApiService } from './agents-api.service.js';

type Json = Record<string, unknown>;

/**
 * `/api`: agents, secrets, rules, apps and the user (reference-docs/003, `{"error": "message"}`).
 * Request bodies are checked by the service against the documented rules, so each failure carries
 * the documented message.
 */
@Controller('api')
@UseGuards(ApiKeyGuard)
@UseErrorFormat('simple')
export class AgentsApiController {
  constructor(private readonly platform: AgentsApiService) {}

  @Post('agents')
  createAgent(@Body() body: Json = {}) {
    return this.platform.createAgent(body ?? {});
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

  @Post('secrets')
  createSecret(@Body() body: Json = {}) {
    return this.platform.createSecret(body ?? {});
  }

  @Patch('secrets/:id')
  updateSecret(@Param('id') id: string, @Body() body: Json = {}) {
    return this.platform.updateSecret(id, body ?? {});
  }

  @Post('rules')
  createRule(@Body() body: Json = {}) {
    return this.platform.createRule(body ?? {});
  }

  @Patch('rules/:id')
  updateRule(@Param('id') id: string, @Body() body: Json = {}) {
    return this.platform.updateRule(id, body ?? {});
  }

  @Post('apps/:provider/connect')
  connect(@Param('provider') provider: string, @Body() body: Json = {}) {
    return this.platform.connect(provider, body ?? {});
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
  configureClient(@Param('provider') provider: string, @Body() body: Json = {}) {
    return this.platform.configureClient(provider, body ?? {});
  }

  @Patch('user')
  renameUser(@Body() body: Json = {}) {
    return this.platform.renameUser(body ?? {});
  }
}
