import type { LoggerService } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import type { ApiError, ErrorContext } from './api-error.interface.js';
import { describeThrown, logApiError } from './error.logger.js';

const context: ErrorContext = {
  requestId: 'req-9',
  method: 'POST',
  path: '/api/v1/files',
  timestamp: '2026-02-17T09:18:05.040Z',
  protocol: 'http',
  docsBaseUrl: undefined,
};

function recorder() {
  const lines: [string, ...unknown[]][] = [];
  const logger: LoggerService = {
    log: (...args: [string]) => lines.push(['log', ...args]),
    error: (...args: [string]) => lines.push(['error', ...args]),
    warn: (...args: [string]) => lines.push(['warn', ...args]),
    debug: (...args: [string]) => lines.push(['debug', ...args]),
  };
  return { lines, logger };
}

function apiError(status: number, cause: unknown, code?: string): ApiError {
  return {
    status,
    code,
    message: status >= 500 ? 'Internal server error' : 'Requested file entry does not exist',
    category: status >= 500 ? 'INTERNAL' : 'NOT_FOUND',
    details: undefined,
    retryable: status >= 500,
    retryAfterSeconds: undefined,
    cause,
  };
}

const defaults = { serverErrors: 'error', clientErrors: 'debug' } as const;

describe('logApiError', () => {
  it('logs a 5xx at error level with the request id and the stack of what was thrown', () => {
    const { lines, logger } = recorder();
    const thrown = new Error('password=hunter2');
    logApiError(logger, apiError(500, thrown), context, defaults);
    expect(lines).toHaveLength(1);
    const [level, line, stack] = lines[0]!;
    expect(level).toBe('error');
    expect(line).toBe('POST /api/v1/files 500 requestId=req-9: Internal server error');
    expect(stack).toContain('Error: password=hunter2');
    expect(stack).toContain('error.logger.spec.ts');
  });

  it('logs a 4xx as one line at the client level', () => {
    const { lines, logger } = recorder();
    logApiError(logger, apiError(404, undefined, 'ENTRY_NOT_FOUND'), context, defaults);
    expect(lines).toEqual([
      [
        'debug',
        'POST /api/v1/files 404 ENTRY_NOT_FOUND requestId=req-9: Requested file entry does not exist',
      ],
    ]);
  });

  it('logs a 4xx outside a request as a 5xx: at the server level, with its stack', () => {
    const { lines, logger } = recorder();
    const thrown = new Error('Requested file entry does not exist');
    logApiError(
      logger,
      apiError(404, thrown, 'ENTRY_NOT_FOUND'),
      { ...context, method: 'CRON', path: 'purge-files', protocol: 'background' },
      defaults,
    );
    expect(lines).toEqual([
      [
        'error',
        'CRON purge-files 404 ENTRY_NOT_FOUND requestId=req-9: Requested file entry does not exist',
        expect.stringMatching(/^Error: Requested file entry does not exist\n {4}at /),
      ],
    ]);
  });

  it('logs nothing at a level set to false', () => {
    const { lines, logger } = recorder();
    logApiError(logger, apiError(404, undefined), context, {
      serverErrors: false,
      clientErrors: false,
    });
    logApiError(logger, apiError(500, new Error('x')), context, {
      serverErrors: false,
      clientErrors: false,
    });
    expect(lines).toEqual([]);
  });

  it('puts the stack in the line when the server level is not error', () => {
    const { lines, logger } = recorder();
    logApiError(logger, apiError(500, 'thrown string'), context, {
      ...defaults,
      serverErrors: 'warn',
    });
    expect(lines[0]).toEqual([
      'warn',
      "POST /api/v1/files 500 requestId=req-9: Internal server error\nNon-error value thrown: 'thrown string'",
    ]);
  });

  it('falls back to log() for a level the logger lacks', () => {
    const { lines, logger } = recorder();
    logApiError(logger, apiError(404, undefined), context, {
      ...defaults,
      clientErrors: 'verbose',
    });
    expect(lines[0]![0]).toBe('log');
  });
});

describe('describeThrown', () => {
  it('includes the cause chain of an Error', () => {
    const text = describeThrown(new Error('outer', { cause: new Error('inner') }));
    expect(text).toMatch(/^Error: outer\n/);
    expect(text).toContain('Caused by: Error: inner');
  });

  it('stops at a cause that loops back, and after five causes', () => {
    const looping = new Error('loop');
    (looping as { cause?: unknown }).cause = looping;
    expect(describeThrown(looping)).toMatch(/Caused by: \(further causes omitted\)$/);
    let deep = new Error('e0');
    for (let index = 1; index < 50; index++) {
      deep = new Error(`e${index}`, { cause: deep });
    }
    expect(describeThrown(deep).match(/Caused by:/g)).toHaveLength(5);
  });

  it('describes circular objects and never throws on hostile ones', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeThrown(circular)).toBe(
      'Non-error value thrown: <ref *1> { self: [Circular *1] }',
    );
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(describeThrown(hostile)).toBe('Non-error value thrown (it could not be described)');
  });
});
