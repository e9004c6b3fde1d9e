import { ConflictException, type LoggerService, NotFoundException } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { ValidationFailedException } from '../domains/common.exceptions.js';
import { InvalidClientException } from '../domains/sessions.exceptions.js';
import type { ErrorContext } from './api-error.interface.js';
import { describeThrown, logApiError } from './error.logger.js';
import {
  type ErrorMapper,
  ErrorMapperFailure,
  describeOrigin,
  mappedErrorRecord,
  noteMappedError,
  originLine,
  stackFrames,
} from './error.mapping.js';
import { normalizeError } from './error.normalizer.js';

const SECRET = 'postgres://app:hunter2@db.internal:5432/shop';

/** What an ORM throws: a class of its own, a code, and a message that must stay in the process. */
class DriverError extends Error {
  override readonly name = 'DriverError';
  readonly code = 'E_DUP';
}

const options = (mappers: readonly ErrorMapper[]) => ({ exposeInternalErrors: false, mappers });

const context: ErrorContext = {
  requestId: 'req-4',
  method: 'POST',
  path: '/authors',
  timestamp: '2026-02-17T09:18:05.040Z',
  protocol: 'http',
  docsBaseUrl: undefined,
};

function recorder() {
  const lines: unknown[][] = [];
  const logger: LoggerService = {
    log: (...args: unknown[]) => lines.push(['log', ...args]),
    error: (...args: unknown[]) => lines.push(['error', ...args]),
    warn: (...args: unknown[]) => lines.push(['warn', ...args]),
    debug: (...args: unknown[]) => lines.push(['debug', ...args]),
  };
  return { lines, logger };
}

const logging = { serverErrors: 'error', clientErrors: 'debug' } as const;

describe('normalizeError with mappers', () => {
  it('offers what was thrown to each mapper in order; the first replacement wins', () => {
    const thrown = new DriverError(SECRET);
    const second = vi.fn(() => new ConflictException());
    const third = vi.fn(() => new NotFoundException());
    const error = normalizeError(thrown, options([() => undefined, second, third]));
    expect(second).toHaveBeenCalledWith(thrown);
    expect(third).not.toHaveBeenCalled();
    expect(error).toMatchObject({ status: 409, message: 'Conflict', code: undefined });
    expect(error.cause).toBeInstanceOf(ConflictException);
  });

  it('never offers an ApiException or an HttpException (the typed path costs nothing more)', () => {
    const mapper = vi.fn(() => new ConflictException());
    expect(normalizeError(new InvalidClientException(), options([mapper])).status).toBe(400);
    expect(normalizeError(new NotFoundException(), options([mapper])).status).toBe(404);
    expect(mapper).not.toHaveBeenCalled();
  });

  it('without mappers, or with none, what was thrown is normalized as it is', () => {
    expect(normalizeError(new DriverError(SECRET), { exposeInternalErrors: false }).status).toBe(
      500,
    );
    expect(normalizeError(new DriverError(SECRET), options([])).status).toBe(500);
  });

  it('a mapper that returns what it was given changes nothing', () => {
    const thrown = new DriverError(SECRET);
    const error = normalizeError(thrown, options([(value) => value]));
    expect(error).toMatchObject({ status: 500, message: 'Internal server error', cause: thrown });
  });

  it('a replacement is not offered again, and keeps its own 5xx redaction', () => {
    const again = vi.fn(() => new NotFoundException());
    const error = normalizeError(
      new DriverError(SECRET),
      options([() => new Error(SECRET), again]),
    );
    expect(again).not.toHaveBeenCalled();
    expect(error.message).toBe('Internal server error');
  });

  it("applies a shipped mapper's note: details and retryability a Nest exception cannot carry", () => {
    const details = [{ path: 'email', message: 'email must be unique', rule: 'unique' }];
    const mapper: ErrorMapper = (thrown) =>
      noteMappedError(new ConflictException(undefined, { cause: thrown }), thrown, {
        origin: 'DriverError code=E_DUP fields=email',
        details,
        retryable: true,
      });
    const error = normalizeError(new DriverError(SECRET), options([mapper]));
    expect(error).toMatchObject({ status: 409, details, retryable: true });
    // A replacement returned for another original is not given this one's note.
    const reused = mapper(new DriverError('first'));
    const other = normalizeError(new DriverError(SECRET), options([() => reused]));
    expect(other).toMatchObject({ status: 409, details: undefined, retryable: false });
    expect(mappedErrorRecord(reused)?.origin).toBe('DriverError code=E_DUP');
  });

  it("describes the original of an app's own mapper by its class name and code only", () => {
    const error = normalizeError(
      new DriverError(SECRET),
      options([(thrown) => new ValidationFailedException({ cause: thrown })]),
    );
    expect(mappedErrorRecord(error.cause)).toMatchObject({ origin: 'DriverError code=E_DUP' });
  });

  describe('a mapper that breaks gives a generic 500 whose cause names it', () => {
    function failureOf(mapper: ErrorMapper, thrown: unknown = new DriverError(SECRET)) {
      const error = normalizeError(thrown, options([() => undefined, mapper]));
      expect(error).toMatchObject({
        status: 500,
        message: 'Internal server error',
        code: undefined,
      });
      expect(error.cause).toBeInstanceOf(ErrorMapperFailure);
      return error.cause as ErrorMapperFailure;
    }

    it('one that throws: its error is the cause of the failure', () => {
      const bug = new TypeError("Cannot read properties of undefined (reading 'target')");
      const failure = failureOf(function brokenMapper() {
        throw bug;
      });
      expect(failure.message).toBe(
        'The error mapper mappers[1] (brokenMapper) threw while mapping DriverError code=E_DUP; a generic 500 was sent',
      );
      expect(failure.cause).toBe(bug);
    });

    it.each([
      ['a string', 'conflict'],
      ['an object', { status: 409 }],
      ['null', null],
      ['a number', 409],
      ['a Promise (mappers are synchronous)', Promise.resolve(new ConflictException())],
    ])('one that returns %s', (kind, value) => {
      const failure = failureOf(() => value);
      expect(failure.message).toBe(
        `The error mapper mappers[1] returned ${kind} while mapping DriverError code=E_DUP; a generic 500 was sent`,
      );
      expect(failure.message).not.toContain(SECRET);
    });

    it('one that returns an error which fights back: the plain generic 500', () => {
      const throwing = () => {
        throw new Error('boom');
      };
      const hostile = Object.defineProperty(new Error('x'), 'name', { get: throwing });
      const thrown = new DriverError(SECRET);
      const error = normalizeError(
        thrown,
        options([() => new Proxy(hostile, { getPrototypeOf: throwing })]),
      );
      expect(error).toMatchObject({ status: 500, message: 'Internal server error' });
    });
  });
});

describe('the log of a mapped error', () => {
  function mapped(status: 409 | 503) {
    const original = new DriverError(SECRET);
    const replacement = noteMappedError(
      status === 409
        ? new ConflictException(undefined, { cause: original })
        : new Error('Service Unavailable', { cause: original }),
      original,
      { origin: 'DriverError code=E_DUP constraint=author_email_key fields=email' },
    );
    return { original, error: normalizeError(replacement, { exposeInternalErrors: false }) };
  }

  it('a 4xx line ends with what it was mapped from', () => {
    const { lines, logger } = recorder();
    logApiError(logger, mapped(409).error, context, logging);
    expect(lines).toEqual([
      [
        'debug',
        'POST /authors 409 requestId=req-4: Conflict (mapped from DriverError code=E_DUP constraint=author_email_key fields=email)',
      ],
    ]);
  });

  it("a 5xx: the replacement's stack, then the original as described and where it was thrown, never its message", () => {
    const { original } = mapped(503);
    const replacement = new Error('Service Unavailable', { cause: original });
    noteMappedError(replacement, original, { origin: 'DriverError code=E_DUP' });
    const stack = describeThrown(replacement);
    expect(stack).toMatch(/^Error: Service Unavailable\n {4}at /);
    expect(stack).toContain(`\nCaused by: DriverError code=E_DUP\n    at `);
    expect(stack).toContain('error.mapping.spec.ts');
    expect(stack).not.toContain(SECRET);
  });
});

describe('origin descriptions', () => {
  it('originLine keeps identifiers and leaves anything else out', () => {
    expect(
      originLine('QueryFailedError', {
        code: 23505,
        constraint: "users_email_key'; --",
        table: 'users',
        fields: ['email', 'a b', 'tenant_id'],
        empty: [],
        missing: undefined,
      }),
    ).toBe('QueryFailedError code=23505 table=users fields=email,tenant_id');
    expect(originLine('not a name', {})).toBe('Error');
  });

  it('describeOrigin names errors by class and code, other values by their type, and never throws', () => {
    expect(describeOrigin(new DriverError(SECRET))).toBe('DriverError code=E_DUP');
    expect(describeOrigin(Object.assign(new Error(SECRET), { code: SECRET }))).toBe('Error');
    expect(describeOrigin(SECRET)).toBe('a thrown string');
    expect(describeOrigin(null)).toBe('null');
    const throwing = () => {
      throw new Error(SECRET);
    };
    expect(describeOrigin(new Proxy({}, { getPrototypeOf: throwing }))).toBe(
      'a value that could not be described',
    );
  });

  it('stackFrames keeps only the frames of a stack', () => {
    const error = new Error(`${SECRET}\n    at ${SECRET} (as if a frame)`);
    expect(stackFrames(error)).toMatch(/^\n {4}at .*error\.mapping\.spec\.ts/);
    expect(stackFrames(error)).not.toContain(SECRET);
    expect(stackFrames('not an error')).toBe('');
  });
});
