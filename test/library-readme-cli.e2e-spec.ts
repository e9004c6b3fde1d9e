import { describe, expect, it } from 'vitest';
import { memoryCliIo } from '../libs/errors/src/docs/cli-io.spec-helper.js';
import { runCli } from '../libs/errors/src/docs/docs.cli.js';
import * as governance from './fixtures/governance-fixture.js';
import { type ReadmeOutputRequest, readmeOutputs } from './support/readme-examples.js';

// The README's CLI output blocks, run in process against the governed API's fixture. In a file of
// their own: a catalog lists every exception class the process has declared, as the CLI's own
// process does, and test/library-readme loads many other apps' classes.

const README = new URL('../libs/errors/README.md', import.meta.url);
const CLI_OUTPUTS = readmeOutputs(README).filter((output) => output.request.argv !== undefined);

/**
 * `npx nest-api-errors …` as an output block runs it, in process: `--module dist/app.module.js`
 * loads the governed API's fixture; `base.json` is its current catalog, changed as the block says.
 */
async function cliOutput(spec: ReadmeOutputRequest): Promise<{ code: number; text: string }> {
  const { io, out, err, files } = memoryCliIo({ 'dist/app.module.js': () => governance });
  if (spec.base !== undefined) {
    expect(
      await runCli(['catalog', '--module', 'dist/app.module.js', '--out', 'now.json'], io),
    ).toBe(0);
    err.length = 0;
    const catalog = JSON.parse(files.get('now.json')!) as { errors: { code: string }[] };
    catalog.errors = catalog.errors.flatMap((entry) => {
      const change = spec.base![entry.code];
      return change === null ? [] : [{ ...entry, ...change }];
    });
    files.set('base.json', JSON.stringify(catalog));
  }
  const code = await runCli(spec.argv!, io);
  return { code, text: [...out, ...err].join('') };
}

describe('libs/errors/README.md CLI output', () => {
  it('has the CLI output blocks this file replays', () => {
    expect(CLI_OUTPUTS.length).toBeGreaterThan(0);
  });

  it.each(CLI_OUTPUTS.map((output) => [output.request.argv!.join(' '), output]))(
    '%s',
    async (_, { request: spec, shown }) => {
      const { code, text } = await cliOutput(spec);
      expect(text).toBe(shown);
      expect(code).toBe(spec.exit ?? 0);
    },
  );
});
