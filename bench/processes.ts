import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type AppCommand,
  type AppReply,
  type BenchVariant,
  VARIANTS,
  type VariantName,
} from './bench-app.js';
import type { AppHandle } from './harness.js';

const APP_SCRIPT = fileURLToPath(new URL('./bench-app.js', import.meta.url));

/**
 * With taskset and at least two CPUs, the apps run on the last CPU and the runner (the autocannon
 * client) on the first, so client and server never compete for one core and the OS does not move
 * them between samples.
 */
export const PINNED = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
export const SERVER_CPU = String(cpus().length - 1);
export const CLIENT_CPU = '0';

/** Pins this process (the client) to the client CPU. */
export function pinSelf(): void {
  if (PINNED) {
    spawnSync('taskset', ['-pc', CLIENT_CPU, String(process.pid)]);
  }
}

/** `node …args` on the server CPU; taskset execs node, so the child's pid is node's. */
export function spawnPinned(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  ipc = false,
): ChildProcess {
  const [command, commandArgs] = PINNED
    ? ['taskset', ['-c', SERVER_CPU, process.execPath, ...args]]
    : [process.execPath, [...args]];
  return spawn(command, commandArgs, {
    env,
    stdio: ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
  });
}

/** An app in its own pinned process, answering CPU and profiler requests over IPC. */
export interface ChildApp extends AppHandle {
  child: ChildProcess;
  profileStart(): Promise<void>;
  profileStop(file: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts one variant in a pinned child process (after `npm run build` and bench's tsc). */
export async function startApp(variant: VariantName, nodeArgs: string[] = []): Promise<ChildApp> {
  const definition: BenchVariant = VARIANTS[variant];
  const child = spawnPinned(
    [...nodeArgs, APP_SCRIPT],
    { ...process.env, ...definition.env, VARIANT: variant, NODE_ENV: 'production' },
    true,
  );
  // One request at a time per app: the runner awaits each answer before asking again.
  const ask = <T extends AppReply['type']>(
    command: AppCommand,
    answer: T,
  ): Promise<Extract<AppReply, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (reply: AppReply) => {
        if (reply.type === answer) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(reply as Extract<AppReply, { type: T }>);
        }
      };
      const onExit = (code: number | null) => reject(new Error(`${variant} exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(command);
    });
  const ready = await new Promise<Extract<AppReply, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${variant} did not start within 30 s`)),
      30_000,
    );
    child.once('exit', (code) => reject(new Error(`${variant} exited with ${code}`)));
    child.on('message', (reply: AppReply) => {
      if (reply.type === 'ready') {
        clearTimeout(timer);
        resolve(reply);
      }
    });
  });
  return {
    variant,
    child,
    url: `http://127.0.0.1:${ready.port}`,
    sizedBytes: ready.sizedBytes,
    cpu: async () => {
      const { user, system } = await ask({ type: 'cpu' }, 'cpu');
      return user + system;
    },
    profileStart: async () => {
      await ask({ type: 'profile-start' }, 'profile-started');
    },
    profileStop: async (file) => {
      await ask({ type: 'profile-stop', file }, 'profile-stopped');
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
