import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SDK_KEYS } from '../../src/sdk-api/sdk-api.store.js';
import { SDK_RATE_LIMIT } from '../../src/sdk-api/sdk-throttler.guard.js';
import { REDIS_SERVER, serversMissing } from '../support/external-server.js';
import { type RedisServer, dropConnections, startRedisServer } from '../support/redis-server.js';
import { allPassed, sdkRequest, spreadSdkRequests } from '../support/sdk-traffic.js';
import { ADAPTERS, type CapturingLogger, listen } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

// Issue 19: with REDIS_URL, every instance of the reference app draws from one budget per API key
// (a real redis-server, started by this file on a free port); while Redis is unreachable each
// instance counts in its own memory, and goes back to Redis when it answers again.

const RATE_LIMITED =
  '{"error":{"message":"Too many requests","statusCode":429,"code":"RATE_LIMITED","category":"RATE_LIMIT"}}';

/**
 * README § Several instances, one rate limit (Redis): the two commands (their REDIS_URL and PORT),
 * the requests after them and the response shown.
 */
function readmeTwoInstances() {
  const text = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = text.slice(text.indexOf('<!-- two-instances -->'));
  const commands = [
    ...section.matchAll(/^REDIS_URL=(\S+) PORT=(\d+) (npm start|node dist\/main\.js)$/gm),
  ].map(([, redisUrl, port, command]) => ({ redisUrl: redisUrl!, port: port!, command: command! }));
  const loop = section.match(
    /for i in \$\(seq (\d+)\); do curl -s -o \/dev\/null http:\/\/127\.0\.0\.1:(\d+)(\S+) -H 'X-API-Key: ([^']+)'; done/,
  )!;
  const last = section.match(
    /^curl -si http:\/\/127\.0\.0\.1:(\d+)(\S+) -H 'X-API-Key: ([^']+)'/m,
  )!;
  const shown = section.match(/<!-- two-instances: (\{.*\}) -->\n\n```json\n(.*)\n```/)!;
  return {
    commands,
    loop: { count: Number(loop[1]), port: loop[2]!, path: loop[3]!, key: loop[4]! },
    last: { port: last[1]!, path: last[2]!, key: last[3]! },
    expected: JSON.parse(shown[1]!) as { status: number; headers: Record<string, string> },
    body: shown[2]!,
  };
}

/** What the storage logged (context `RateLimit`), as `level message` lines. */
function rateLimitLog(logger: CapturingLogger): string[] {
  return logger.entries
    .filter((entry) => entry.params.at(-1) === 'RateLimit')
    .map((entry) => `${entry.level} ${entry.message}`);
}

/** Waits (bounded) until `condition` holds: for an asynchronous reconnection, not a timing check. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}

describe.skipIf(serversMissing('the Redis rate-limit tests', REDIS_SERVER)).each(ADAPTERS)(
  'reference app SDK rate limit shared through Redis on %s',
  (adapter) => {
    let redis: RedisServer;
    const apps: INestApplication[] = [];

    /** A reference app instance with REDIS_URL set, listening on its own free port. */
    async function instance(): Promise<{ url: string; logger: CapturingLogger }> {
      vi.stubEnv('REDIS_URL', redis.url);
      const { app, logger } = await createReferenceApp(adapter);
      apps.push(app);
      return { url: await listen(app), logger };
    }

    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterEach(async () => {
      await Promise.all(apps.splice(0).map((app) => app.close()));
      vi.unstubAllEnvs();
      // Every test starts from an empty Redis (no persistence: a restart empties it).
      await redis.stop();
      await redis.start();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('two instances, one budget per key: 600 spread over both pass, the 601st on either is 429', async () => {
      const a = await instance();
      const b = await instance();
      const both = [a.url, b.url];

      // 300 to each instance, each half on GET /api/sdk/content/:id and half on POST /api/sdk/events.
      expect(await spreadSdkRequests(both, SDK_RATE_LIMIT.limit, SDK_KEYS.active)).toEqual(
        allPassed(both, SDK_RATE_LIMIT.limit),
      );

      const onA = await sdkRequest(a.url, 'content', SDK_KEYS.active);
      expect(onA.status).toBe(429);
      expect(onA.text).toBe(RATE_LIMITED);
      expect(onA.headers['content-type']).toBe('application/json; charset=utf-8');
      // The request that exceeded the limit blocks the key for the window: the full 60 s.
      expect(onA.headers['retry-after']).toBe(String(SDK_RATE_LIMIT.ttl / 1000));

      const onB = await sdkRequest(b.url, 'events', SDK_KEYS.active);
      expect(onB.status).toBe(429);
      expect(onB.text).toBe(RATE_LIMITED);
      expect(Number(onB.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(onB.headers['retry-after'])).toBeLessThanOrEqual(60);

      // Another key has its own budget, on either instance.
      for (const url of both) {
        const other = await sdkRequest(url, 'events', SDK_KEYS.another);
        expect(other.status).toBe(202);
      }
      const last = await sdkRequest(b.url, 'content', SDK_KEYS.another);
      expect(last.headers['x-ratelimit-remaining']).toBe(String(SDK_RATE_LIMIT.limit - 3));

      expect(rateLimitLog(b.logger)).toContain(
        `log Rate limits are counted in Redis at ${redis.url}, shared across instances`,
      );
    });

    it('Redis goes down: requests are answered from memory, the outage is logged once; when it is back, Redis again', async () => {
      const { url, logger } = await instance();
      expect(rateLimitLog(logger)).toEqual([
        `log Rate limits are counted in Redis at ${redis.url}, shared across instances`,
      ]);
      const before = await sdkRequest(url, 'content', SDK_KEYS.active);
      expect(before.headers['x-ratelimit-remaining']).toBe(String(SDK_RATE_LIMIT.limit - 1));
      expect(await spreadSdkRequests([url], 9, SDK_KEYS.active)).toEqual(allPassed([url], 9));

      await redis.stop();
      // Nothing fails and nothing hangs (the test's timeout would catch it); still limited, per
      // instance: the memory's count starts at this request.
      const during = await spreadSdkRequests([url], 40, SDK_KEYS.active);
      expect(during).toEqual(allPassed([url], 40));
      const counted = await sdkRequest(url, 'events', SDK_KEYS.active);
      expect(counted.status).toBe(202);
      expect(counted.headers['x-ratelimit-remaining']).toBe(String(SDK_RATE_LIMIT.limit - 41));
      // The app keeps trying to reconnect (each attempt fails): still one line for the outage.
      const dropper = await dropConnections(redis.port);
      await eventually(() => dropper.attempts() >= 3, 'three reconnection attempts');
      expect(await spreadSdkRequests([url], 10, SDK_KEYS.active)).toEqual(allPassed([url], 10));
      await dropper.close();
      const outage = rateLimitLog(logger).slice(1);
      expect(outage).toHaveLength(1);
      expect(outage[0]).toMatch(
        new RegExp(
          `^warn Redis at ${redis.url} is unreachable( \\(.+\\))?: rate limits are counted in this instance's memory until it is back$`,
        ),
      );

      await redis.start();
      await eventually(() => rateLimitLog(logger).length === 3, 'the recovery is logged');
      expect(rateLimitLog(logger)[2]).toBe(
        `log Redis at ${redis.url} is back: rate limits are shared across instances again`,
      );
      // Redis came back empty: the count is Redis's (1), not the memory's (52).
      const after = await sdkRequest(url, 'content', SDK_KEYS.active);
      expect(after.status).toBe(200);
      expect(after.headers['x-ratelimit-remaining']).toBe(String(SDK_RATE_LIMIT.limit - 1));
      expect(rateLimitLog(logger)).toHaveLength(3);
    });

    it('Redis unreachable at start-up: the app starts and serves from memory, then uses Redis once it is up', async () => {
      await redis.stop();
      const { url, logger } = await instance();
      const log = rateLimitLog(logger);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatch(new RegExp(`^warn Redis at ${redis.url} is unreachable`));
      expect(await spreadSdkRequests([url], 20, SDK_KEYS.active)).toEqual(allPassed([url], 20));
      expect(rateLimitLog(logger)).toHaveLength(1);

      await redis.start();
      await eventually(() => rateLimitLog(logger).length === 2, 'the recovery is logged');
      expect(rateLimitLog(logger)[1]).toBe(
        `log Redis at ${redis.url} is back: rate limits are shared across instances again`,
      );
      // Now counted in Redis: a second instance sees the first one's hits.
      expect(
        (await sdkRequest(url, 'content', SDK_KEYS.active)).headers['x-ratelimit-remaining'],
      ).toBe(String(SDK_RATE_LIMIT.limit - 1));
      const second = await instance();
      expect(
        (await sdkRequest(second.url, 'content', SDK_KEYS.active)).headers['x-ratelimit-remaining'],
      ).toBe(String(SDK_RATE_LIMIT.limit - 2));
    });

    it('Redis stops answering (hung, connection open): requests fall back to memory instead of waiting', async () => {
      const a = await instance();
      const b = await instance();
      expect((await sdkRequest(a.url, 'content', SDK_KEYS.active)).status).toBe(200);

      await redis.pause();
      // Each Redis command gives up after its timeout: every request is answered, none fails.
      expect(await spreadSdkRequests([a.url], 20, SDK_KEYS.active)).toEqual(allPassed([a.url], 20));
      // Nest's logger is process-wide: both instances log into the last one created (B's). Only A had
      // traffic, so only A's client noticed.
      const outage = rateLimitLog(b.logger).filter((line) => line.startsWith('warn'));
      expect(outage).toEqual([
        `warn Redis at ${redis.url} is unreachable (Command timed out): rate limits are counted in this instance's memory until it is back`,
      ]);

      redis.resume();
      await eventually(
        () => rateLimitLog(b.logger).some((line) => line.includes(' is back: ')),
        'the recovery is logged',
      );
      // Shared again: B sees A's hit.
      const fromA = await sdkRequest(a.url, 'content', SDK_KEYS.another);
      const fromB = await sdkRequest(b.url, 'content', SDK_KEYS.another);
      expect(fromA.headers['x-ratelimit-remaining']).toBe(String(SDK_RATE_LIMIT.limit - 1));
      expect(fromB.headers['x-ratelimit-remaining']).toBe(String(SDK_RATE_LIMIT.limit - 2));
    });

    it('README: two instances against one Redis, in two commands, then the 601st request on the other one', async () => {
      const readme = readmeTwoInstances();
      // Two commands, one Redis, two ports; the second serves the build the first one made.
      expect(readme.commands.map(({ command }) => command)).toEqual([
        'npm start',
        'node dist/main.js',
      ]);
      expect(new Set(readme.commands.map(({ redisUrl }) => redisUrl)).size).toBe(1);
      expect(new Set(readme.commands.map(({ port }) => port)).size).toBe(2);

      // Each command as an in-process instance with its REDIS_URL, pointed at this file's Redis (the
      // README's fixed port may be anyone's here); PORT maps to the instance's own free port.
      const byPort = new Map<string, string>();
      for (const { port } of readme.commands) {
        byPort.set(port, (await instance()).url);
      }
      const looped = byPort.get(readme.loop.port)!;
      for (let sent = 0; sent < readme.loop.count; sent += 20) {
        const batch = Array.from({ length: Math.min(20, readme.loop.count - sent) }, () =>
          request(looped).get(readme.loop.path).set('X-API-Key', readme.loop.key),
        );
        expect(new Set((await Promise.all(batch)).map((response) => response.status))).toEqual(
          new Set([200]),
        );
      }
      expect(readme.last.port).not.toBe(readme.loop.port);
      const response = await request(byPort.get(readme.last.port)!)
        .get(readme.last.path)
        .set('X-API-Key', readme.last.key);
      expect(response.status).toBe(readme.expected.status);
      for (const [name, value] of Object.entries(readme.expected.headers)) {
        expect(response.headers[name]).toBe(value);
      }
      expect(response.text).toBe(readme.body);
    });
  },
);
