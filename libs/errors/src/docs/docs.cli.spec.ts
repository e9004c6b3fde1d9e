import { describe, expect, it } from 'vitest';
import {
  AgentAlreadyDefaultException,
  AgentNotFoundException,
  AgentsException,
  ApiException,
} from '../index.js';
import { memoryCliIo } from './cli-io.spec-helper.js';
import { runCli } from './docs.cli.js';

function io(modules: Record<string, () => unknown> = {}, listened = false) {
  const { io: sink, ...written } = memoryCliIo(modules, listened);
  return { sink, ...written };
}

describe('nest-api-errors CLI', () => {
  it('docs: the Markdown reference of the common domain and the shipped domains named', async () => {
    const { sink, out } = io();
    expect(await runCli(['docs', '--domains', 'sessions'], sink)).toBe(0);
    const markdown = out.join('');
    expect(markdown).toMatch(/^# Error reference\n/);
    expect(markdown).toContain('`INVALID_CLIENT`');
    expect(markdown).toContain('`VALIDATION_ERROR`');
    expect(markdown).not.toContain('`AGENT_NOT_FOUND`');
  });

  it('docs --module: the classes the loaded files declare, under their own domain', async () => {
    const { sink, out } = io({
      'dist/orders.js': () => {
        abstract class OrdersException extends ApiException {
          static override readonly domain: string = 'orders';
          static override readonly domainTitle: string = 'Orders';
        }
        class OrderLockedException extends OrdersException.define({
          code: 'ORDER_LOCKED',
          status: 409,
          message: 'Order {orderId} is locked by another editor',
        }) {}
        class RefundWindowClosedException extends AgentsException.define({
          code: 'REFUND_WINDOW_CLOSED',
          status: 422,
          message: 'The refund window has closed',
        }) {}
        return { OrderLockedException, RefundWindowClosedException };
      },
    });
    expect(await runCli(['docs', '--module', 'dist/orders.js', '--format', 'envelope'], sink)).toBe(
      0,
    );
    const markdown = out.join('');
    expect(markdown).toContain(
      '### Orders\n\n| Code | HTTP status | Description | Retryable |\n|---|---|---|---|\n| <a id="ORDER_LOCKED"></a>`ORDER_LOCKED` | 409 | Order {orderId} is locked by another editor | No |',
    );
    // A class on a shipped base sits in that domain's section, without the rest of the domain.
    expect(markdown).toContain('### Agents\n');
    expect(markdown).toContain('`REFUND_WINDOW_CLOSED` | 422 |');
    expect(markdown).not.toContain('`AGENT_NOT_FOUND`');
    // The format example is the app's own first code.
    expect(markdown).toContain('"code": "ORDER_LOCKED"');
  });

  it('docs --format envelope --json --out FILE', async () => {
    const { sink, files, err } = io();
    expect(
      await runCli(['docs', '--format', 'envelope', '--json', '--out', 'docs/errors.json'], sink),
    ).toBe(0);
    expect(JSON.parse(files.get('docs/errors.json')!)).toMatchObject({
      format: 'envelope',
      contentType: 'application/json; charset=utf-8',
    });
    expect(err.join('')).toBe('Wrote the envelope error reference to docs/errors.json\n');
  });

  it.each([
    [['docs', '--format', 'xml'], '--format takes one of'],
    [['docs', '--out'], '--out takes a file path'],
    [['docs', '--verbose'], 'unknown option "--verbose"'],
    [
      ['docs', '--module', 'dist/missing.js'],
      "could not load dist/missing.js: Cannot find module 'dist/missing.js'",
    ],
    [
      ['docs', '--domains', 'nosuch'],
      'unknown domain "nosuch" (known: sessions, vault-files, auth, agents, secrets, rules, apps, users, tenants, common',
    ],
    [
      ['types', '--domains', 'sessions,nosuch, typo'],
      'unknown domains "nosuch", "typo" (known: sessions, vault-files,',
    ],
    [['publish'], 'unknown command "publish"'],
    [
      ['docs', '--module', 'src/app.module.ts'],
      'src/app.module.ts is TypeScript: build the app first (nest build) and give --module the compiled file, e.g. dist/app.module.js',
    ],
    [
      ['types', '--out', 'src/api/errors.js'],
      '--out takes a .ts file (one module your build compiles) or a .d.ts file (types, the guard in a .js beside it), not "src/api/errors.js"',
    ],
    [[], 'no command given'],
  ])('refuses %j in one line, with exit code 2', async (argv, reason) => {
    const { sink, err } = io();
    expect(await runCli(argv, sink)).toBe(2);
    const text = err.join('');
    expect(text).toContain(`nest-api-errors: ${reason}`);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--domains takes a domain of the loaded app, and names it among the known ones', async () => {
    const modules = {
      'dist/billing.js': () => {
        abstract class BillingException extends ApiException {
          static override readonly domain: string = 'billing';
          static override readonly domainTitle: string = 'Billing';
        }
        class InvoiceOverdueException extends BillingException.define({
          code: 'INVOICE_OVERDUE',
          status: 402,
          message: 'The invoice is overdue',
        }) {}
        return { InvoiceOverdueException };
      },
    };
    const accepted = io(modules);
    expect(
      await runCli(['docs', '--module', 'dist/billing.js', '--domains', 'billing'], accepted.sink),
    ).toBe(0);
    expect(accepted.err).toEqual([]);
    expect(accepted.out.join('')).toContain('`INVOICE_OVERDUE` | 402 |');

    const refused = io(modules);
    expect(
      await runCli(['types', '--module', 'dist/billing.js', '--domains', 'bill'], refused.sink),
    ).toBe(2);
    expect(refused.out).toEqual([]);
    expect(refused.err.join('')).toMatch(
      /^nest-api-errors: unknown domain "bill" \(known: sessions, .*, common, .*billing.*\)\n$/,
    );
  });

  it.each([[['--help']], [['docs', '--help']], [['docs', '-h']]])(
    '%j prints the usage and exits 0',
    async (argv) => {
      const { sink, out } = io();
      expect(await runCli(argv, sink)).toBe(0);
      expect(out.join('')).toContain('Usage: nest-api-errors docs');
    },
  );

  it("docs --module: follows the loaded app's ErrorsModule format and routes; --format still wins", async () => {
    const app = { AppModule: class AppModule {} };
    const seen: unknown[][] = [];
    const finder = (loaded: readonly unknown[]) => {
      seen.push([...loaded]);
      return {
        format: 'envelope' as const,
        routes: [{ path: '/v2', format: 'traced' as const }],
        docsBaseUrl: 'https://docs.example.com/errors',
      };
    };
    const first = io({ 'dist/app.module.js': () => app });
    expect(await runCli(['docs', '--module', 'dist/app.module.js'], first.sink, finder)).toBe(0);
    expect(seen).toEqual([[app]]);
    const markdown = first.out.join('');
    expect(markdown).toContain('"category": "VALIDATION"'); // the envelope example
    expect(markdown).toContain('| `/v2` | traced | `application/json; charset=utf-8` |');
    expect(markdown).toContain('Published at https://docs.example.com/errors.');

    const second = io({ 'dist/app.module.js': () => app });
    expect(
      await runCli(
        ['docs', '--module', 'dist/app.module.js', '--format', 'problem', '--out', 'e.md'],
        second.sink,
        finder,
      ),
    ).toBe(0);
    expect(second.files.get('e.md')).toContain('"title": "Bad Request"');
    expect(second.files.get('e.md')).toContain('| `/v2` | traced |');
    expect(second.err.join('')).toBe('Wrote the problem error reference to e.md\n');

    // Without --module nothing is looked up.
    const third = io();
    expect(await runCli(['docs'], third.sink, finder)).toBe(0);
    expect(seen).toHaveLength(2);
    expect(third.out.join('')).not.toContain('Formats by path');

    // types follows the module's format too, unless --format.
    const fourth = io({ 'dist/app.module.js': () => app });
    expect(await runCli(['types', '--module', 'dist/app.module.js'], fourth.sink, finder)).toBe(0);
    expect(fourth.out.join('')).toContain('nest-api-errors types --format envelope');
    const fifth = io({ 'dist/app.module.js': () => app });
    expect(
      await runCli(
        ['types', '--module', 'dist/app.module.js', '--format', 'traced'],
        fifth.sink,
        finder,
      ),
    ).toBe(0);
    expect(fifth.out.join('')).toContain('nest-api-errors types --format traced');
  });

  it('refuses a --module file that starts a server, in one line, before writing anything', async () => {
    const { sink, out, err, files } = io({ 'dist/main.js': () => ({}) }, true);
    expect(await runCli(['docs', '--module', 'dist/main.js', '--out', 'errors.md'], sink)).toBe(2);
    expect(out).toEqual([]);
    expect(files.size).toBe(0);
    expect(err).toEqual([
      'nest-api-errors: dist/main.js started a server when loaded (stopped before it listened): give --module your app module or the files that declare your exception classes (e.g. dist/app.module.js), not the file that starts the app\n',
    ]);
  });

  it('docs and types document the classes the app declares with @ApiErrors, domain named or not', async () => {
    const finder = () => ({ declared: [AgentNotFoundException] });
    const docs = io({ 'dist/app.module.js': () => ({}) });
    expect(await runCli(['docs', '--module', 'dist/app.module.js'], docs.sink, finder)).toBe(0);
    expect(docs.out.join('')).toContain('`AGENT_NOT_FOUND` | 404 |');
    expect(docs.out.join('')).not.toContain(AgentAlreadyDefaultException.definition.code);
    const types = io({ 'dist/app.module.js': () => ({}) });
    expect(
      await runCli(
        ['types', '--module', 'dist/app.module.js', '--format', 'envelope'],
        types.sink,
        finder,
      ),
    ).toBe(0);
    expect(types.out.join('')).toContain('export interface AgentNotFoundErrorBody');
    expect(types.out.join('')).not.toContain('AgentAlreadyDefaultErrorBody');
  });

  it('types --out FILE.ts writes one module; --out FILE.d.ts the types and the guard beside', async () => {
    const module = io();
    expect(
      await runCli(['types', '--format', 'envelope', '--out', 'src/errors.ts'], module.sink),
    ).toBe(0);
    expect([...module.files.keys()]).toEqual(['src/errors.ts']);
    expect(module.files.get('src/errors.ts')).toContain(
      [
        'export function isApiError<Code extends ApiErrorCode>(',
        '  body: unknown,',
        '  code: Code,',
        '): body is ApiErrorBodyOf<Code> {',
        '  return (',
        "    typeof body === 'object' &&",
        '    body !== null &&',
        '    (body as { error?: { code?: unknown } })?.error?.code === code',
        '  );',
        '}',
      ].join('\n'),
    );
    expect(module.err.join('')).toMatch(
      /^Wrote \d+ error bodies \(envelope\) to src\/errors.ts\n$/,
    );
    const split = io();
    expect(await runCli(['types', '--out', 'types/errors.d.ts'], split.sink)).toBe(0);
    expect([...split.files.keys()]).toEqual(['types/errors.d.ts', 'types/errors.js']);
  });
});
