import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port.js';

/**
 * A server program some tests run for real (Debian's package of it), and how to start one on a
 * given loopback port with nothing kept on disk.
 */
export interface ServerProgram {
  /** The executable's name. */
  readonly command: string;
  /** How to install it, for the line that says why a test was skipped. */
  readonly install: string;
  /** Its arguments for a server on 127.0.0.1:`port`. */
  args(port: number): string[];
}

export const REDIS_SERVER: ServerProgram = {
  command: 'redis-server',
  install: 'apt-get install redis-server (Debian, Ubuntu) or brew install redis (macOS)',
  // No persistence: a restart comes back empty.
  args: (port) => [
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
};

export const NATS_SERVER: ServerProgram = {
  command: 'nats-server',
  install: 'apt-get install nats-server (Debian, Ubuntu) or brew install nats-server (macOS)',
  args: (port) => ['--addr', '127.0.0.1', '--port', String(port)],
};

export const MOSQUITTO: ServerProgram = {
  command: 'mosquitto',
  install: 'apt-get install mosquitto (Debian, Ubuntu) or brew install mosquitto (macOS)',
  // Without a configuration file, mosquitto 2 listens on loopback only and lets anyone in.
  args: (port) => ['-p', String(port)],
};

/**
 * Set (to anything but `0` or empty) by `.ci/run`: there a missing server fails the test file
 * instead of skipping it, so CI never passes on tests that did not run.
 */
export const REQUIRE_SERVERS = 'NEST_API_ERRORS_REQUIRE_SERVERS';

/**
 * Debian installs daemons (mosquitto, nats-server) into sbin folders that many users' PATH
 * leaves out; they are looked for there after PATH.
 */
const SBIN_FOLDERS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The program's executable: on PATH, else in an sbin folder; undefined when it is nowhere. */
export function locateServer(program: ServerProgram): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), ...SBIN_FOLDERS];
  for (const folder of folders) {
    if (folder === '') {
      continue;
    }
    const candidate = join(folder, program.command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function serversRequired(): boolean {
  const flag = process.env[REQUIRE_SERVERS];
  return flag !== undefined && flag !== '' && flag !== '0';
}

/**
 * For suites that need `programs` (`tests` names them), called while the file is collected and
 * given to `describe.skipIf`: true when one is missing. Each missing one prints one line naming it
 * and how to install it (a skip is never silent); with `NEST_API_ERRORS_REQUIRE_SERVERS` set
 * (CI), a missing one throws instead, failing the file.
 */
export function serversMissing(tests: string, ...programs: ServerProgram[]): boolean {
  const missing = programs.filter((program) => locateServer(program) === undefined);
  for (const program of missing) {
    const line = `${program.command} is not installed: ${program.install}`;
    if (serversRequired()) {
      throw new Error(`${line}. ${REQUIRE_SERVERS} is set, so ${tests} must run.`);
    }
    console.warn(`Skipped ${tests}: ${line}.`);
  }
  return missing.length > 0;
}

/** One running server program, owned by one test file. */
export interface ExternalServer {
  readonly port: number;
  /** Stops the server (an outage) and resolves once the process has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (a recovery), resolving once it accepts connections. */
  start(): Promise<void>;
  /**
   * Freezes the process (SIGSTOP): connections stay open and are even accepted, but nothing is
   * answered, as with a hung server or a network that drops packets.
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

/** Spawns the program on `port`; resolves once it accepts connections, rejects if it exits first. */
async function spawnServer(
  program: ServerProgram,
  executable: string,
  port: number,
): Promise<ChildProcess> {
  const child = spawn(executable, program.args(port), { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let exited = false;
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.once('exit', () => {
    exited = true;
    children.delete(child);
  });
  // A bounded wait for start-up (each is up in milliseconds), not a timed assertion.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (exited) {
      throw new Error(`${program.command} on port ${port} exited at start: ${stderr.trim()}`);
    }
    if (await accepts(port)) {
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`${program.command} on port ${port} did not accept connections`);
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
 * Starts `program` on a free loopback port (never a fixed one); it is stopped by `stop()` and,
 * should the test process end without that, killed on exit. Call it only in suites that
 * `serversMissing` let run.
 */
export async function startExternalServer(program: ServerProgram): Promise<ExternalServer> {
  const executable = locateServer(program);
  if (executable === undefined) {
    throw new Error(`${program.command} is not installed: ${program.install}`);
  }
  let child: ChildProcess | undefined;
  let port = 0;
  // Another process may take the free port between the probe and the server's bind: try again.
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await spawnServer(program, executable, port);
    } catch (error) {
      if (attempt === 5) {
        throw error;
      }
    }
  }
  return {
    port,
    stop: async () => {
      await stopChild(child);
      child = undefined;
    },
    start: async () => {
      child ??= await spawnServer(program, executable, port);
    },
    pause: async () => {
      child!.kill('SIGSTOP');
      for (let attempt = 0; processState(child!.pid!) !== 'T'; attempt++) {
        if (attempt === 200) {
          throw new Error(`${program.command} did not stop on SIGSTOP`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    resume: () => {
      child!.kill('SIGCONT');
    },
  };
}
