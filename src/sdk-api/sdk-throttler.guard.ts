import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/** "SDK routes allow 600 requests/min per API key", as the `/api/sdk` API documents. */
export const SDK_RATE_LIMIT = { ttl: 60_000, limit: 600 } as const;

/**
 * `SDK_RATE_LIMIT`: one budget per key for all SDK routes. Runs after `SdkApiKeyGuard`, so the key
 * is a valid one.
 */
@Injectable()
export class SdkThrottlerGuard extends ThrottlerGuard {
  /** Per API key, not per IP: one customer's many end users share one key. */
  protected override async getTracker(request: Record<string, any>): Promise<string> {
    return String(request.headers['x-api-key']);
  }

  /**
   * ThrottlerGuard's own key names the controller and the handler, which would give each SDK
   * route its own 600; this one leaves the route out. Hashed, as the guard's own is, so the store
   * (Redis, when shared) never holds an API key.
   */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return createHash('sha256').update(`sdk-api:${throttlerName}:${tracker}`).digest('hex');
  }
}
