import { createServer } from 'node:net';
import { type ExternalServer, REDIS_SERVER, startExternalServer } from './external-server.js';

/**
 * A real `redis-server` (Debian's package) owned by one test file: on a free port found at start,
 * without persistence (a restart comes back empty). See `external-server.ts`.
 */
export interface RedisServer extends ExternalServer {
  /** `redis://127.0.0.1:<port>`, what the app gets as `REDIS_URL`. */
  readonly url: string;
}

export async function startRedisServer(): Promise<RedisServer> {
  const server = await startExternalServer(REDIS_SERVER);
  return { ...server, url: `redis://127.0.0.1:${server.port}` };
}

/**
 * While Redis is stopped, something on its port that accepts every connection and drops it at
 * once: counts the app's reconnection attempts, which a refused connection would not show.
 */
export async function dropConnections(
  port: number,
): Promise<{ attempts: () => number; close: () => Promise<void> }> {
  let attempts = 0;
  const server = createServer((socket) => {
    attempts++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    attempts: () => attempts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
