import { Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ErrorsModule } from 'nest-api-errors';
import { API_FORMATS } from './api-formats.js';
import { AGENTS_API_MESSAGES_DE } from './agents-api/agents-api.messages.js';
import { AgentsApiModule } from './agents-api/agents-api.module.js';
import { DashboardApiModule } from './dashboard-api/dashboard-api.module.js';
import { DocsController } from './docs/docs.controller.js';
import { FlowsGraphQLModule } from './flows-graphql/flows-graphql.module.js';
import { IdentityApiModule } from './identity-api/identity-api.module.js';
import { PlatformModule } from './platform/platform.module.js';
import { SdkApiModule } from './sdk-api/sdk-api.module.js';

/**
 * The reference app: one process serving the documented API styles side by side. The error
 * contract comes from one line: `ErrorsModule.forRoot()`.
 */
@Module({
  imports: [
    ErrorsModule.forRoot({
      docsBaseUrl: 'https://docs.platform.test/errors',
      routes: API_FORMATS,
      // The `/api` messages in German too, for clients that ask (Accept-Language: de).
      messages: { de: AGENTS_API_MESSAGES_DE },
    }),
    PlatformModule,
    AgentsApiModule,
    SdkApiModule,
    IdentityApiModule,
    FlowsGraphQLModule,
    DashboardApiModule,
  ],
  controllers: [DocsController],
})
export class AppModule implements OnApplicationShutdown {
  /** With enableShutdownHooks (main.ts): in-flight requests have finished when this runs. */
  onApplicationShutdown(signal?: string): void {
    new Logger('ReferenceApp').log(`Closed cleanly${signal === undefined ? '' : ` on ${signal}`}`);
  }
}
