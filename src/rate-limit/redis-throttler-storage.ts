import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { Redis, type RedisOptions } from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * ioredis, set so that Redis being down never stalls or fails a request. By default ioredis queues
 * commands while it is disconnected and retries each one up to 20 times: a request would wait for
 * Redis to come back. Here a command is refused at once while the connection is not ready (no
 * offline queue), is never re-sent after a disconnect (no retries per request), and gives up after
 * `commandTimeout` on a Redis that accepts the connection but does not answer. The connection
 * itself is retried for ever, backing off to one attempt a second, so a Redis that comes back is
 * used again within about a second.
 */
export const REDIS_CLIENT_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  commandTimeout: 500,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
};

type State = 'connecting' | 'up' | 'down' | 'closed';

/**
 * Throttler storage shared by every instance of the app through Redis (`REDIS_URL`), so a limit
 * such as `/api/sdk`'s "600 requests/min per API key" holds across instances behind a load balancer
 * instead of being multiplied by their number.
 *
 * The counting is `@nest-lab/throttler-storage-redis` (the throttler maintainers' adapter: one
 * Lua script per hit, atomic across instances, the same blocking semantics as the in-memory
 * storage). This class adds what the adapter leaves to the app: what happens while Redis is
 * unreachable. Then each instance counts in its own memory (`@nestjs/throttler`'s default
 * storage), so every request is still answered and still limited, per instance, as it is without
 * Redis; it does not fail open. The outage is logged once, when it starts, and the recovery once,
 * when Redis answers again; from then on the counts are Redis's again (the hits counted in memory
 * during the outage are not carried over).
 */
export class RedisThrottlerStorage
  implements ThrottlerStorage, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger('RateLimit');
  private readonly redis: Redis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly memory = new ThrottlerStorageService();
  private readonly where: string;
  private state: State = 'connecting';
  /** Changes of state are logged from bootstrap on, when the app's logger is in place. */
  private announced = false;
  private lastError: Error | undefined;
  /** Settles on the first connection's outcome, whichever it is. */
  private readonly settled: Promise<void>;

  constructor(url: string, options: RedisOptions = {}) {
    this.where = redactedUrl(url);
    this.redis = new Redis(url, { ...REDIS_CLIENT_OPTIONS, ...options });
    this.shared = new ThrottlerStorageRedisService(this.redis);
    this.settled = new Promise((resolve) => {
      this.redis.once('ready', resolve);
      this.redis.once('error', resolve);
      this.redis.once('end', resolve);
    });
    this.redis.on('ready', () => this.up());
    // ioredis emits `error` on every failed reconnection attempt: only a change of state is logged.
    this.redis.on('error', (error: Error) => this.down(error));
    this.redis.on('close', () => this.down());
  }

  /** Resolves once the first connection succeeded or failed (bounded by `connectTimeout`). */
  connected(): Promise<void> {
    return this.settled;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (this.state === 'up') {
      try {
        return await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      } catch (error) {
        this.down(error as Error);
        if (this.redis.status === 'ready') {
          // Connected but not answering (a timed-out command): only a new connection's `ready`
          // can say Redis is back, so drop this one.
          this.redis.disconnect(true);
        }
      }
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  /** Says once where the limits are counted; from now on every change of state is logged. */
  onApplicationBootstrap(): void {
    if (this.announced) {
      return;
    }
    this.announced = true;
    if (this.state === 'up') {
      this.logger.log(`Rate limits are counted in Redis at ${this.where}, shared across instances`);
    } else if (this.state === 'down') {
      this.logOutage(this.lastError);
    }
  }

  onApplicationShutdown(): void {
    if (this.state === 'closed') {
      return;
    }
    this.state = 'closed';
    this.redis.disconnect();
    this.memory.onApplicationShutdown();
  }

  private up(): void {
    if (this.state === 'closed' || this.state === 'up') {
      return;
    }
    const wasDown = this.state === 'down';
    this.state = 'up';
    if (this.announced) {
      this.logger.log(
        wasDown
          ? `Redis at ${this.where} is back: rate limits are shared across instances again`
          : `Rate limits are counted in Redis at ${this.where}, shared across instances`,
      );
    }
  }

  private down(error?: Error): void {
    if (this.state === 'closed' || this.state === 'down') {
      return;
    }
    this.state = 'down';
    this.lastError = error;
    if (this.announced) {
      this.logOutage(error);
    }
  }

  private logOutage(error: Error | undefined): void {
    this.logger.warn(
      `Redis at ${this.where} is unreachable${error === undefined ? '' : ` (${reason(error)})`}: ` +
        "rate limits are counted in this instance's memory until it is back",
    );
  }
}

/** The URL without credentials, for logs: `redis://127.0.0.1:6379/0`. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'REDIS_URL';
  }
}

function reason(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message;
}
