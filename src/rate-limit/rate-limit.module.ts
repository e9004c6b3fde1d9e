import { Module } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { RedisThrottlerStorage } from './redis-throttler-storage.js';

/** The Redis URL the throttler counts in (`REDIS_URL`); absent, each instance counts in memory. */
export const RATE_LIMIT_REDIS_URL = Symbol('RATE_LIMIT_REDIS_URL');
/** The throttler storage for `ThrottlerModule`'s `storage`, or `null` for its in-memory default. */
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

/**
 * Chooses where the app's rate limits are counted. Without `REDIS_URL` nothing changes:
 * `@nestjs/throttler`'s own in-memory storage, nothing else to run (`npm start`). With it, a
 * storage shared through Redis by every instance. The app waits for the first connection's outcome
 * (at most the connect timeout) before it serves, so its first requests are already counted in
 * Redis; an unreachable Redis does not stop it from starting.
 */
@Module({
  providers: [
    {
      provide: RATE_LIMIT_REDIS_URL,
      useFactory: (): string | null => process.env.REDIS_URL || null,
    },
    {
      provide: RATE_LIMIT_STORAGE,
      inject: [RATE_LIMIT_REDIS_URL],
      useFactory: async (url: string | null): Promise<ThrottlerStorage | null> => {
        if (url === null) {
          return null;
        }
        const storage = new RedisThrottlerStorage(url);
        await storage.connected();
        return storage;
      },
    },
  ],
  exports: [RATE_LIMIT_STORAGE],
})
export class RateLimitStorageModule {}
