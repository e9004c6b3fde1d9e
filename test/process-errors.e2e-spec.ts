import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { ErrorsModule } from 'nest-api-errors';
import { readmeLogLines, withoutRequestId } from './support/readme-log-lines.js';

// `processErrors: true`: an uncaught exception and an unhandled rejection are logged and reported,
// then the process ends exactly as Node ends it. Each case runs in a child process (a standalone
// Nest app, test/fixtures/process-errors.app.ts, compiled from its TypeScript as it loads), once
// with the option and once without: Node's own printing, exit code and signal must not change.

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runWorker(mode: 'uncaught' | 'rejection', processErrors: 'on' | 'off'): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        './test/support/ts-register.mjs',
        '--conditions=nest-api-errors:source',
        'test/fixtures/process-errors.app.ts',
        mode,
        processErrors,
      ],
      // Node's default for unhandled rejections (`throw`), whatever this runner was started with.
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The line Nest's console logger prints, without its `[Nest] <pid>  - <date>   ` prefix. */
const NEST_LINE = /^\[Nest\] \d+ {2}- .+? {3}(ERROR \[ErrorsFilter\] .*)$/;

describe.each([
  {
    mode: 'uncaught' as const,
    origin: 'uncaughtException',
    thrown: 'Error: worker crashed: token=hunter2',
  },
  {
    mode: 'rejection' as const,
    origin: 'unhandledRejection',
    thrown: 'Error: job rejected: token=hunter2',
  },
])('processErrors and an $origin', ({ mode, origin, thrown }) => {
  it('logs one line with an id and the stack, tells the reporters, then Node ends the process as it would', async () => {
    const [withOption, without] = await Promise.all([
      runWorker(mode, 'on'),
      runWorker(mode, 'off'),
    ]);

    // Node's default: its own account of the error on stderr, exit code 1, no signal.
    expect(without.stderr).toContain(`\n${thrown}\n    at `);
    expect(without.stderr).toMatch(/\nNode\.js v\d+\.\d+\.\d+\n$/);
    expect({ code: without.code, signal: without.signal }).toEqual({ code: 1, signal: null });
    expect(without.stdout).toBe('');

    // The same with the option, after the library's line.
    expect({ code: withOption.code, signal: withOption.signal }).toEqual({
      code: without.code,
      signal: without.signal,
    });
    expect(withOption.stderr.endsWith(without.stderr)).toBe(true);
    const logged = withOption.stderr.slice(0, -without.stderr.length).split('\n');
    expect(logged[0]).toMatch(NEST_LINE);
    expect(NEST_LINE.exec(logged[0]!)?.[1]).toBe(
      `ERROR [ErrorsFilter] PROCESS ${origin} 500 requestId=process-1: Internal server error`,
    );
    expect(logged[1]).toBe(thrown);
    expect(logged[2]).toMatch(/^ {4}at /);

    expect(withOption.stdout.split('\n').filter(Boolean)).toEqual([
      `REPORTED ${JSON.stringify({
        status: 500,
        message: 'Internal server error',
        method: 'PROCESS',
        path: origin,
        protocol: 'background',
        requestId: 'process-1',
        thrown: thrown.slice('Error: '.length),
      })}`,
    ]);
    if (mode === 'uncaught') {
      expect(readmeLogLines('Errors outside a request')).toContain(
        withoutRequestId(NEST_LINE.exec(logged[0]!)![1]!),
      );
    }
  });
});

describe('processErrors watches the process only while the app runs', () => {
  const EVENTS = ['uncaughtExceptionMonitor', 'uncaughtException', 'unhandledRejection'] as const;
  const counts = () => EVENTS.map((event) => process.listenerCount(event));

  /** Process listeners the app adds while it runs, and those left once it closed. */
  async function listenersAdded(processErrors: boolean | undefined) {
    const before = counts();
    const added = () => counts().map((count, index) => count - before[index]!);
    @Module({ imports: [ErrorsModule.forRoot({ processErrors })] })
    class WorkerModule {}
    const app = await Test.createTestingModule({ imports: [WorkerModule] }).compile();
    app.useLogger(false);
    await app.init();
    const running = added();
    await app.close();
    return { running, closed: added() };
  }

  it('adds one uncaughtExceptionMonitor listener, no uncaughtException or unhandledRejection listener, and removes it on close', async () => {
    expect(await listenersAdded(true)).toEqual({ running: [1, 0, 0], closed: [0, 0, 0] });
  });

  it('adds none by default', async () => {
    expect(await listenersAdded(undefined)).toEqual({ running: [0, 0, 0], closed: [0, 0, 0] });
  });
});
