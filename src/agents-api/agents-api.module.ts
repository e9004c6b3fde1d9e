import { Module } from '@nestjs/common';
import { AgentsApiController } from './agents-api.controller.js';
import { AgentsApiService } from './agents-api.service.js';
import { ApiKeyGuard } from './api-key.guard.js';

/** `/api` agents, secrets, rules, apps, user: reference-docs/003 in the `simple` format. */
@Module({ controllers: [AgentsApiController], providers: [AgentsApiService, ApiKeyGuard] })
export class AgentsApiModule {}
