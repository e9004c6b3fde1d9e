import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { ArgumentsHost } from '@nestjs/common';
import { type HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationFailedException } from '../domains/common.exceptions.js';
import { UploadFailedException } from '../domains/vault-files.exceptions.js';
import { ERROR_FORMATS, type FormatName } from '../formats/format.registry.js';
import type { ErrorContext } from '../core/api-error.interface.js';
import { describeThrown } from '../core/error.logger.js';
import { mappedErrorRecord } from '../core/error.mapping.js';
import { normalizeError } from '../core/error.normalizer.js';
import { ErrorFormatResolver } from './error-format.resolver.js';
import { ErrorPipeline } from './error.pipeline.js';
import { createErrorWriters } from './error.writers.js';
import { defaultErrorMappers } from '../mappers/error-mappers.js';
import { ErrorsFilter } from './errors.filter.js';
import { resolveErrorsSettings } from './errors.settings.js';

// Property tests over the pipeline: whatever is thrown, normalize never throws, every format
// renders a body that matches its schema, and no body carries a stack frame or what was hidden.

const SECRET = 'SECRET-7f3a-hunter2';
const STACK_FRAME = /\n\s+at |\bat [^\s]+ \(.*:\d+:\d+\)/;

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
const validators = Object.fromEntries(
  Object.entries(ERROR_FORMATS).map(([name, format]) => [name, ajv.compile(format.schema!)]),
) as Record<FormatName, ReturnType<Ajv['compile']>>;

const context: ErrorContext = {
  requestId: 'req-1',
  method: 'GET',
  path: '/p',
  timestamp: '2026-02-17T09:18:05.040Z',
  protocol: 'http',
  docsBaseUrl: 'https://docs.example.com/errors',
};

const throwing = () => {
  throw new Error(SECRET);
};

/** Values whose secret must never reach a body. */
const hiddenValues: fc.Arbitrary<unknown>[] = [
  fc
    .tuple(fc.string(), fc.string())
    .map(([name, message]) => Object.assign(new Error(`${message}${SECRET}`), { name })),
  fc.string().map((text) => `${text}${SECRET}`),
  fc.string().map((text) => Symbol(text)),
  fc.bigInt(),
  fc.double(),
  fc.constantFrom(null, undefined, true, 0, Number.NaN),
  fc.string().map((text) => {
    const circular: Record<string, unknown> = { text, secret: SECRET };
    circular.self = circular;
    return circular;
  }),
  fc.string().map((text) => new InternalServerErrorException(`${text}${SECRET}`)),
  fc.string().map((text) => new ServiceUnavailableException(`${text}${SECRET}`)),
  fc
    .string()
    .map(
      (text) =>
        new UploadFailedException({ message: `${text}${SECRET}`, cause: new Error(SECRET) }),
    ),
  fc.string().map((text) => new BadRequestException(text, { cause: new Error(SECRET) })),
  fc
    .string()
    .map((text) => Object.assign(new Error(SECRET), { statusCode: 500, expose: false, text })),
  fc
    .integer({ min: -1000, max: 2000 })
    .map((status) =>
      new HttpException(SECRET, status).getStatus() >= 500 || status < 400
        ? new HttpException(SECRET, status)
        : new HttpException('client', status),
    ),
];

/**
 * The shapes the default mappers recognize, with the secret where drivers and clients put
 * values, SQL, URLs and credentials (their messages, pg's `detail`, Prisma's `meta` values, a
 * request's config and response) and arbitrary text where they put schema names.
 */
const mappedValues: fc.Arbitrary<unknown>[] = [
  fc
    .tuple(
      fc.string(),
      fc.constantFrom('23505', '23503', '23502', '23514', '08006', 'SQLITE_CONSTRAINT_UNIQUE', 'X'),
    )
    .map(([text, code]) =>
      Object.assign(new Error(`${text}${SECRET}`), {
        name: 'QueryFailedError',
        query: SECRET,
        parameters: [SECRET],
        driverError: {
          code,
          constraint: text,
          detail: `Key (${text})=(${SECRET}) already exists.`,
          message: `UNIQUE constraint failed: ${text}`,
        },
      }),
    ),
  fc
    .tuple(
      fc.string(),
      fc.constantFrom('P2002', 'P2025', 'P2003', 'P2000', 'P2005', 'P2011', 'P2012', 'P1001'),
    )
    .map(([text, code]) =>
      Object.assign(new Error(`${text}${SECRET}`), {
        name: 'PrismaClientKnownRequestError',
        code,
        // Schema names (model, fields, path) beside the values Prisma also puts in meta.
        meta: {
          modelName: text,
          target: [text],
          field_name: text,
          path: text,
          field_value: SECRET,
          database_error: SECRET,
        },
      }),
    ),
  fc.tuple(fc.string(), fc.integer({ min: 100, max: 599 })).map(([text, status]) =>
    Object.assign(new Error(`${text}${SECRET}`), {
      isAxiosError: true,
      code: text,
      config: { url: SECRET },
      response: { status, headers: { 'retry-after': text }, data: SECRET },
    }),
  ),
  fc.string().map((text) =>
    Object.assign(new Error(`${text}${SECRET}`), {
      name: 'ValidationError',
      errors: {
        [text]: {
          name: 'ValidatorError',
          kind: text,
          path: text,
          value: SECRET,
          message: `${text}${SECRET}`,
        },
        cast: {
          name: 'CastError',
          path: 'cast',
          value: text,
          message: `Cast failed for ${SECRET}`,
        },
      },
    }),
  ),
  fc.string().map((text) =>
    Object.assign(new Error(`E11000 index: ${text} dup key: { email: "${SECRET}" }`), {
      name: 'MongoServerError',
      code: 11000,
      keyPattern: { [text]: 1, email: 1 },
    }),
  ),
  fc
    .string()
    .map((text) => new TypeError('fetch failed', { cause: new Error(`${text}${SECRET}`) })),
];

/** Values whose message is meant for the client (4xx), odd as they may be. */
const shownValues: fc.Arbitrary<unknown>[] = [
  fc
    .tuple(fc.string({ maxLength: 2000 }), fc.integer({ min: 400, max: 499 }))
    .map(([message, status]) => new HttpException(message, status)),
  fc.array(fc.string(), { maxLength: 20 }).map((messages) => new BadRequestException(messages)),
  fc
    .array(fc.record({ path: fc.string(), message: fc.string() }), { maxLength: 300 })
    .map((details) => new ValidationFailedException({ details })),
];

/**
 * The values are made inside the property, never handed to fast-check itself: it inspects the
 * values it generates (to clone and print them), and these are built to fight inspection.
 */
type Thunk = () => unknown;
const lazily = (arbitraries: fc.Arbitrary<unknown>[]): fc.Arbitrary<Thunk> =>
  fc.oneof(...arbitraries.map((arbitrary) => arbitrary.map((value) => () => value)));
const hostile: Thunk[] = [
  () =>
    new Proxy(
      {},
      {
        get: throwing,
        getPrototypeOf: throwing,
        ownKeys: throwing,
        has: throwing,
        getOwnPropertyDescriptor: throwing,
      },
    ),
  () => Object.defineProperty(new Error('x'), 'message', { get: throwing }),
  () => ({ toString: throwing, valueOf: throwing, [Symbol.toPrimitive]: throwing }),
  () => new Error(`${'x'.repeat(1_000_000)}${SECRET}`),
];
const hidden: fc.Arbitrary<Thunk> = fc.oneof(
  lazily(hiddenValues),
  lazily(mappedValues),
  fc.constantFrom(...hostile),
);
const shown: fc.Arbitrary<Thunk> = lazily(shownValues);

/** As the module normalizes by default: the default mappers first. */
const defaults = { exposeInternalErrors: false, mappers: defaultErrorMappers };

function renderEverywhere(thrown: unknown): string[] {
  const error = normalizeError(thrown, defaults);
  expect(error.status).toBeGreaterThanOrEqual(400);
  expect(error.status).toBeLessThanOrEqual(599);
  expect(typeof error.message).toBe('string');
  const texts: string[] = [];
  for (const [name, format] of Object.entries(ERROR_FORMATS) as [
    FormatName,
    (typeof ERROR_FORMATS)[FormatName],
  ][]) {
    const rendered = format.render(error, context);
    expect(rendered.status).toBe(error.status);
    const valid = validators[name](rendered.body);
    expect(valid, `${name}: ${ajv.errorsText(validators[name].errors)}`).toBe(true);
    const text = JSON.stringify(rendered.body);
    expect(text).not.toMatch(STACK_FRAME);
    texts.push(text);
  }
  return texts;
}

describe('the pipeline under arbitrary thrown values', () => {
  it('never throws, always conforms, never shows a stack frame or a hidden message or cause', () => {
    fc.assert(
      fc.property(hidden, (make) => {
        for (const text of renderEverywhere(make())) {
          expect(text).not.toContain(SECRET);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('client-facing messages of any content still give conforming bodies', () => {
    fc.assert(
      fc.property(shown, (make) => {
        renderEverywhere(make());
      }),
      { numRuns: 300 },
    );
  });

  it('caps validation details at 100 and summarizes the rest', () => {
    const details = Array.from({ length: 10_000 }, (_, index) => ({
      path: `items.${index}.name`,
      message: 'name must be a string',
    }));
    const error = normalizeError(new ValidationFailedException({ details }), {
      exposeInternalErrors: false,
    });
    expect(error.details).toHaveLength(101);
    expect(error.details!.at(-1)).toEqual({
      path: '',
      message: '…and 9,900 more violations',
      rule: 'truncated',
      location: undefined,
    });
    expect(error.message.length).toBeLessThan(5_000);
  });

  it("a mapped error's log never carries what its original's message, SQL, meta or URL held", () => {
    fc.assert(
      fc.property(lazily(mappedValues), (make) => {
        const error = normalizeError(make(), defaults);
        expect(mappedErrorRecord(error.cause)).toBeDefined();
        expect(describeThrown(error.cause)).not.toContain(SECRET);
        expect(mappedErrorRecord(error.cause)!.origin).not.toContain(SECRET);
      }),
      { numRuns: 300 },
    );
  });

  it('describing any thrown value for the log never throws', () => {
    fc.assert(
      fc.property(fc.oneof(hidden, shown), (make) => {
        expect(typeof describeThrown(make())).toBe('string');
      }),
      { numRuns: 200 },
    );
  });

  it('the filter never throws and always ends the response, whatever is thrown', () => {
    // Logging is exercised by the describeThrown property; here it would only print.
    const settings = resolveErrorsSettings({
      logging: { clientErrors: false, serverErrors: false },
    });
    const adapterHost = { httpAdapter: { getType: () => 'express' } } as unknown as HttpAdapterHost;
    const filter = new ErrorsFilter(
      new ErrorPipeline(
        settings,
        new ErrorFormatResolver(settings, new ModulesContainer()),
        createErrorWriters(settings, adapterHost),
      ),
    );
    fc.assert(
      fc.property(fc.oneof(hidden, shown), (make) => {
        const thrown = make();
        let sent: string | undefined;
        const response = {
          headersSent: false,
          writableEnded: false,
          destroyed: false,
          statusCode: 200,
          setHeader() {},
          removeHeader() {},
          getHeader: () => undefined,
          end(body?: string) {
            sent = body;
          },
        };
        const host = {
          getType: () => 'http',
          getArgByIndex: (index: number) =>
            index === 0 ? { method: 'GET', url: '/p?token=x', headers: {} } : response,
        } as unknown as ArgumentsHost;
        expect(() => filter.catch(thrown, host)).not.toThrow();
        expect(sent).toBeDefined();
        expect(validators.timestamped(JSON.parse(sent!))).toBe(true);
        expect(sent).not.toContain('token=x');
      }),
      { numRuns: 200 },
    );
  });
});
