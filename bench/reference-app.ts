import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { HookCommand, MemoryReply, SnapshotReply } from './app-hook.js';
import { PINNED, SERVER_CPU } from './processes.js';

/** dist/main.js, as `npm start` runs it (after `npm run build`). */
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const HOOK = fileURLToPath(new URL('./app-hook.js', import.meta.url));

export type Platform = 'express' | 'fastify';

/** The reference app in its own process, pinned to the server CPU like the bench's apps. */
export interface ReferenceApp {
  platform: Platform;
  url: string;
  port: number;
  child: ChildProcess;
  /** Every line the app wrote to stdout and stderr, in order. */
  lines: string[];
  /** Heap after two full collections, and RSS. */
  memory(): Promise<MemoryReply>;
  /** A heap snapshot (after two full collections) written to `file`. */
  snapshot(file: string): Promise<SnapshotReply>;
  /** Whether the process exited before `stop()` was called. */
  crashed(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code or signal. */
  stop(graceMs?: number): Promise<string>;
}

/** A port nothing listens on now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Nest's log lines of level error or fatal, whatever the colours (Nest colours a TTY only). */
export function isErrorLogLine(line: string): boolean {
  return /^\[Nest\] \d+\s+-\s.*?\s(ERROR|FATAL)\s/.test(line);
}

/**
 * Starts `node --expose-gc --import bench/dist/app-hook.js dist/main.js` with HTTP_ADAPTER and
 * PORT, and resolves once it logs that it listens. The hook answers memory and snapshot requests
 * over IPC; `env` is added to the app's environment (e.g. GRAPHQL_RATE_LIMIT for the hook).
 */
export async function startReferenceApp(
  platform: Platform,
  env: Readonly<Record<string, string>> = {},
): Promise<ReferenceApp> {
  const port = await freePort();
  const args = ['--expose-gc', '--import', HOOK, MAIN];
  const [command, commandArgs] = PINNED
    ? ['taskset', ['-c', SERVER_CPU, process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, commandArgs, {
    env: {
      ...process.env,
      ...env,
      HTTP_ADAPTER: platform,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  let onLine: ((line: string) => void) | undefined;
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        onLine?.(line);
      }
    });
  }
  let stopping = false;
  let crashed = false;
  let exit: string | undefined;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? String(code);
      crashed = !stopping;
      resolve(exit);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${platform}: no "Listening on" within 60 s`)),
      60_000,
    );
    onLine = (line) => {
      if (line.includes('Listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${platform} exited (${code}) before listening:\n${lines.join('\n')}`));
    });
  });
  onLine = undefined;
  const ask = <T extends MemoryReply | SnapshotReply>(command: HookCommand): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: T) => {
        if (reply.type === command.type) {
          child.off('message', onMessage);
          resolve(reply);
        }
      };
      child.on('message', onMessage);
      void exited.then((code) => reject(new Error(`${platform} exited (${code})`)));
      child.send(command);
    });
  return {
    platform,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    lines,
    memory: () => ask<MemoryReply>({ type: 'memory' }),
    snapshot: (file) => ask<SnapshotReply>({ type: 'snapshot', file }),
    crashed: () => crashed,
    stop: async (graceMs = 10_000) => {
      stopping = true;
      if (exit !== undefined) {
        return exit;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
