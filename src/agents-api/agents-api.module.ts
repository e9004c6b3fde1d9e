import { Module } from '@nestjs/common';
import { AgentsApiController } from './agents-api.controller.js';
import { AgentsApiService } from './agents-api.service.js';
import { AgentsApiStore } from './agents-api.store.js';
import { ApiKeyGuard } from './api-key.guard.js';

/** `/api`: agents, secrets, rules, apps and the user (README § `/api`), in the `simple` format. */
@Module({
  controllers: [AgentsApiController],
  providers: [AgentsApiStore, AgentsApiService, ApiKeyGuard],
})
export class AgentsApiModule {}
