import { Module } from '@nestjs/common';
import { AccessTokenGuard } from './access-token.guard.js';
import { AuthExchangeController } from './auth-exchange.controller.js';
import { AuthExchangeService } from './auth-exchange.service.js';
import { IdentityStore } from './identity-api.store.js';
import { ServiceAccountsController } from './service-accounts.controller.js';
import { ServiceAccountsService } from './service-accounts.service.js';

/**
 * `/v2`: the identity / workspace API (README § `/v2`), in the `traced` format of its prefix. The
 * exchange's rate limit counts in the throttler storage `SdkApiModule` configures globally.
 */
@Module({
  controllers: [AuthExchangeController, ServiceAccountsController],
  providers: [IdentityStore, AccessTokenGuard, AuthExchangeService, ServiceAccountsService],
})
export class IdentityApiModule {}
