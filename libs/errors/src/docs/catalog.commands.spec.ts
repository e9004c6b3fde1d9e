import { describe, expect, it } from 'vitest';
import { ApiException } from '../core/api.exception.js';
import { ApiErrors } from './api-errors.decorator.js';
import { memoryCliIo } from './cli-io.spec-helper.js';
import { runCli } from './docs.cli.js';

/** A CLI whose files live in a map: what `catalog --out` writes, `diff` reads back. */
function cli(modules: Record<string, () => unknown> = {}) {
  const memory = memoryCliIo(modules);
  const run = (...argv: string[]) => runCli(argv, memory.io);
  return { run, ...memory };
}

const COMMON_CATALOG = [
  '{',
  '  "catalog": "nest-api-errors",',
  '  "version": 1,',
  '  "errors": [',
  '    {"code":"EXTERNAL_SERVICE_ERROR","status":500,"category":"EXTERNAL_SERVICE","retryable":true,"message":"Third-party service call failed","fields":[],"class":"ExternalServiceException","domain":"common","deprecated":null},',
  '    {"code":"RATE_LIMITED","status":429,"category":"RATE_LIMIT","retryable":true,"message":"Too many requests","fields":[],"class":"RateLimitedException","domain":"common","deprecated":null},',
  '    {"code":"VALIDATION_ERROR","status":400,"category":"VALIDATION","retryable":false,"message":"Validation failed","fields":[],"class":"ValidationFailedException","domain":"common","deprecated":null}',
  '  ]',
  '}',
  '',
].join('\n');

/** The app's compiled module, declaring its own codes: evaluated once, as import() does. */
let appModule: object | undefined;
const APP = {
  'dist/app.module.js': () => (appModule ??= declareAppClasses()),
};

function declareAppClasses(): object {
  abstract class FlowsException extends ApiException {
    static override readonly domain: string = 'flows';
  }
  class FlowLockedException extends FlowsException.define({
    code: 'FLOW_LOCKED',
    status: 409,
    message: 'Flow {flowId} is locked by another editor',
    deprecated: 'use FLOW_ARCHIVED',
  }) {}
  class FlowArchivedException extends FlowsException.define({
    code: 'FLOW_ARCHIVED',
    status: 410,
    message: 'Flow {flowId} is archived',
  }) {}
  return { FlowLockedException, FlowArchivedException };
}

describe('nest-api-errors catalog and diff', () => {
  // First: no class of the app's is loaded yet in this file.
  it('catalog: the common domain without --module; --out writes the file and says so', async () => {
    const { run, out, err, files } = cli();
    expect(await run('catalog')).toBe(0);
    expect(out.join('')).toBe(COMMON_CATALOG);
    expect(await run('catalog', '--out', 'errors-catalog.json')).toBe(0);
    expect(files.get('errors-catalog.json')).toBe(COMMON_CATALOG);
    expect(err.join('')).toBe('Wrote 3 codes to errors-catalog.json\n');
  });

  it('diff: two identical catalogs print "no changes" and exit 0', async () => {
    const { run, out, files } = cli();
    files.set('base.json', COMMON_CATALOG);
    files.set('head.json', COMMON_CATALOG);
    expect(await run('diff', 'base.json', 'head.json')).toBe(0);
    expect(out.join('')).toBe('no changes\n');
  });

  it('diff BASE HEAD: one line per change, exit 1 when one breaks, 0 when all are compatible', async () => {
    const { run, out, files } = cli();
    files.set('base.json', COMMON_CATALOG);
    files.set(
      'breaking.json',
      COMMON_CATALOG.replace('"status":429', '"status":503')
        .replace(
          '"Too many requests"',
          '"Too many requests, retry in {seconds}s","fields":["seconds"]',
        )
        .replace(',"fields":[],"class":"RateLimitedException"', ',"class":"RateLimitedException"'),
    );
    files.set(
      'compatible.json',
      COMMON_CATALOG.replace('"Validation failed"', '"The request is invalid"').replace(
        '"domain":"common","deprecated":null}\n  ]',
        '"domain":"common","deprecated":"use the details"}\n  ]',
      ),
    );
    expect(await run('diff', 'base.json', 'breaking.json')).toBe(1);
    expect(out.splice(0).join('')).toBe(
      [
        'breaking: RATE_LIMITED status 429 → 503',
        'breaking: RATE_LIMITED template field {seconds} added',
        '2 breaking, 0 compatible',
        '',
      ].join('\n'),
    );
    expect(await run('diff', 'base.json', 'compatible.json')).toBe(0);
    expect(out.join('')).toBe(
      [
        'compatible: VALIDATION_ERROR wording changed: "Validation failed" → "The request is invalid"',
        'compatible: VALIDATION_ERROR deprecated: use the details',
        '0 breaking, 2 compatible',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [['diff', 'missing.json'], 'cannot read missing.json: no such file'],
    [['diff', 'base.json', 'nope.json'], 'cannot read nope.json: no such file'],
    [['diff', 'package.json'], 'package.json is not a nest-api-errors catalog'],
    [['diff', 'broken.json'], 'broken.json is not a catalog: not JSON ('],
    [
      ['diff'],
      'diff takes the base catalog: nest-api-errors diff BASE.json [HEAD.json | --module FILE...]',
    ],
    [
      ['diff', 'a.json', 'b.json', 'c.json'],
      'diff compares two catalogs, not 3 (a.json, b.json, c.json)',
    ],
    [
      ['diff', 'base.json', 'base.json', '--module', 'dist/app.module.js'],
      'diff compares base.json with base.json, or with the catalog of --module and --domains: not both',
    ],
    [['diff', 'base.json', '--out', 'x.json'], '--out is not an option of diff'],
    [['catalog', '--format', 'envelope'], '--format is not an option of catalog'],
    [['catalog', '--json'], '--json is not an option of catalog'],
    [['catalog', '--domains', 'nosuch'], 'unknown domain "nosuch" (known: sessions,'],
  ])('refuses %j in one line, with exit code 2', async (argv, reason) => {
    const { run, out, err, files } = cli();
    files.set('base.json', COMMON_CATALOG);
    files.set('package.json', '{"name": "app", "version": "1.0.0"}');
    files.set('broken.json', '{"catalog": ');
    expect(await run(...argv)).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('')).toContain(`nest-api-errors: ${reason}`);
    expect(err.join('').trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([[['catalog', '--help']], [['diff', '--help']], [['--help']]])(
    '%j prints the usage, which names both commands',
    async (argv) => {
      const { run, out } = cli();
      expect(await run(...argv)).toBe(0);
      expect(out.join('')).toContain(
        'nest-api-errors catalog [--module FILE...] [--domains a,b] [--out FILE]\n       nest-api-errors diff BASE.json [HEAD.json | --module FILE... [--domains a,b]]',
      );
    },
  );

  // Last: loads the app's classes, which then stay registered.
  it("catalog and diff --module: the app's own codes, with --domains as docs takes them", async () => {
    const first = cli(APP);
    expect(await first.run('catalog', '--module', 'dist/app.module.js', '--domains', 'users')).toBe(
      0,
    );
    const catalog = JSON.parse(first.out.join('')) as { errors: Record<string, unknown>[] };
    expect(catalog.errors.map((entry) => entry.code)).toEqual([
      'EXTERNAL_SERVICE_ERROR',
      'FLOW_ARCHIVED',
      'FLOW_LOCKED',
      'RATE_LIMITED',
      'USER_NAME_INVALID',
      'USER_NOT_FOUND',
      'VALIDATION_ERROR',
    ]);
    expect(catalog.errors[2]).toEqual({
      code: 'FLOW_LOCKED',
      status: 409,
      category: 'CONFLICT',
      retryable: false,
      message: 'Flow {flowId} is locked by another editor',
      fields: ['flowId'],
      class: 'FlowLockedException',
      domain: 'flows',
      deprecated: 'use FLOW_ARCHIVED',
    });

    // The last release had the common codes only: the app's two codes are additions.
    const second = cli(APP);
    second.files.set('base.json', COMMON_CATALOG);
    expect(await second.run('diff', 'base.json', '--module', 'dist/app.module.js')).toBe(0);
    expect(second.out.join('')).toBe(
      [
        'compatible: FLOW_ARCHIVED added (410 NOT_FOUND)',
        'compatible: FLOW_LOCKED added (409 CONFLICT)',
        '0 breaking, 2 compatible',
        '',
      ].join('\n'),
    );
    // A release that had the users domain: without --domains users its codes are gone.
    const third = cli(APP);
    third.files.set('base.json', first.out.join(''));
    expect(await third.run('diff', 'base.json', '--module', 'dist/app.module.js')).toBe(1);
    expect(third.out.join('')).toBe(
      [
        'breaking: USER_NAME_INVALID removed (UserNameInvalidException, 400)',
        'breaking: USER_NOT_FOUND removed (UserNotFoundException, 404)',
        '2 breaking, 0 compatible',
        '',
      ].join('\n'),
    );
    expect(
      await third.run('diff', 'base.json', '--module', 'dist/app.module.js', '--domains', 'users'),
    ).toBe(0);
    expect(third.out.at(-1)).toBe('no changes\n');
  });

  // After the test above: its classes stay registered.
  it('catalog names the classes as the app declared them, exported or named in ApiErrors', async () => {
    const { run, out } = cli({
      'dist/payments.js': () => {
        class CardDeclinedError extends ApiException.define({
          code: 'PAYMENT_REQUIRED',
          status: 402,
          message: 'The card was declined',
        }) {}
        // Not exported: only a route's ApiErrors names it.
        class CardExpiredError extends ApiException.define({
          code: 'CARD_EXPIRED',
          status: 402,
          message: 'The card has expired',
        }) {}
        class PaymentsController {
          pay() {
            throw new CardExpiredError();
          }
        }
        const pay = Object.getOwnPropertyDescriptor(PaymentsController.prototype, 'pay')!;
        ApiErrors(CardExpiredError)(PaymentsController.prototype, 'pay', pay);
        return { CardDeclinedError, PaymentsController };
      },
    });
    expect(await run('catalog', '--module', 'dist/payments.js')).toBe(0);
    const { errors } = JSON.parse(out.join('')) as { errors: { code: string; class: string }[] };
    expect(errors.map((entry) => [entry.code, entry.class])).toEqual([
      ['CARD_EXPIRED', 'CardExpiredError'],
      ['EXTERNAL_SERVICE_ERROR', 'ExternalServiceException'],
      ['FLOW_ARCHIVED', 'FlowArchivedException'],
      ['FLOW_LOCKED', 'FlowLockedException'],
      ['PAYMENT_REQUIRED', 'CardDeclinedError'],
      ['RATE_LIMITED', 'RateLimitedException'],
      ['VALIDATION_ERROR', 'ValidationFailedException'],
    ]);
  });
});
