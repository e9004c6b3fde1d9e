import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import { RATE_LIMIT_STORAGE, RateLimitStorageModule } from '../rate-limit/rate-limit.module.js';
import { HealthController } from './health.controller.js';
import { HeapHealthIndicator } from './heap.health.js';
import { SdkApiKeyGuard } from './sdk-api-key.guard.js';
import { SdkController } from './sdk-api.controller.js';
import { SdkService } from './sdk-api.service.js';
import { SdkStore } from './sdk-api.store.js';
import { SDK_RATE_LIMIT, SdkThrottlerGuard } from './sdk-throttler.guard.js';

/**
 * `/api/sdk` and `/api/health`: the product-tours SDK (README § `/api/sdk`), in the `envelope`
 * format of their prefixes.
 */
@Module({
  imports: [
    // Global: `/v2`'s exchange limit counts in the same storage.
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [RATE_LIMIT_STORAGE],
      useFactory: (storage: ThrottlerStorage | null) => ({
        throttlers: [{ name: 'default', ...SDK_RATE_LIMIT }],
        storage: storage ?? undefined,
      }),
    }),
    TerminusModule,
  ],
  controllers: [SdkController, HealthController],
  providers: [SdkStore, SdkService, SdkApiKeyGuard, SdkThrottlerGuard, HeapHealthIndicator],
})
export class SdkApiModule {}
