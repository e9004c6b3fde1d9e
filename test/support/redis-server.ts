import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { freePort } from './free-port.js';

/**
 * A real `redis-server` (Debian's package) owned by one test file: on a free port found at start
 * (never a fixed one), without persistence (a restart comes back empty), stopped by `stop()` and,
 * should the test process end without it, killed on exit.
 */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, what the app gets as `REDIS_URL`. */
  readonly url: string;
  /** Stops the server (an outage) and resolves once the process has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (a recovery), resolving once it accepts connections. */
  start(): Promise<void>;
  /**
   * Freezes the process (SIGSTOP): connections stay open and are even accepted, but nothing is
   * answered, as with a hung Redis or a network that drops packets.
   */
  pause(): Promise<void>;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) {
    child.kill('SIGKILL');
  }
});

/** Fails with the command to run when redis-server is missing (`.ci/run` installs it). */
function requireRedisServer(): void {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error !== undefined || found.status !== 0) {
    throw new Error(
      'redis-server is not installed: the Redis rate-limit tests need it (apt-get install -y redis-server; .ci/run installs it)',
    );
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Spawns redis-server on `port`; resolves once it accepts connections, rejects if it exits first. */
async function spawnRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.add(child);
  let exited = false;
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.once('exit', () => {
    exited = true;
    children.delete(child);
  });
  // A bounded wait for start-up (redis-server is up in milliseconds), not a timed assertion.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (exited) {
      throw new Error(`redis-server on port ${port} exited at start: ${stderr.trim()}`);
    }
    if (await accepts(port)) {
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server on port ${port} did not accept connections`);
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // A paused process would keep SIGTERM pending for ever.
    child.kill('SIGCONT');
    child.kill('SIGTERM');
  });
}

/** The process state letter of /proc/<pid>/stat (`T` once SIGSTOP has taken effect). */
function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
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

export async function startRedisServer(): Promise<RedisServer> {
  requireRedisServer();
  let child: ChildProcess | undefined;
  let port = 0;
  // Another process may take the free port between the probe and redis-server's bind: try again.
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await spawnRedis(port);
    } catch (error) {
      if (attempt === 5) {
        throw error;
      }
    }
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(child);
      child = undefined;
    },
    start: async () => {
      child ??= await spawnRedis(port);
    },
    pause: async () => {
      child!.kill('SIGSTOP');
      for (let attempt = 0; processState(child!.pid!) !== 'T'; attempt++) {
        if (attempt === 200) {
          throw new Error('redis-server did not stop on SIGSTOP');
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    resume: () => {
      child!.kill('SIGCONT');
    },
  };
}
