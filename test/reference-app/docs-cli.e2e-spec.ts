import { errorCatalog } from 'nest-api-errors';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../libs/errors/src/docs/docs.cli.js';
import {
  appErrorsIn,
  declaredErrorClassesIn,
  errorsModuleOptionsIn,
} from '../../libs/errors/src/module/errors.options-finder.js';
import { API_FORMATS } from '../../src/api-formats.js';
import { AppModule } from '../../src/app.module.js';

// `npx nest-api-errors docs --module dist/app.module.js` on the reference app, as the command's
// entry point wires it, with the app module loaded from source instead of dist/.
describe('the docs command on the reference app module', () => {
  it("reads the app's ErrorsModule.forRoot(): its routes, each API's prefix and format", async () => {
    expect(errorsModuleOptionsIn([{ AppModule }])?.routes).toBe(API_FORMATS);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['docs', '--module', 'dist/app.module.js', '--domains', 'sessions'],
      {
        stdout: (text) => out.push(text),
        stderr: (text) => err.push(text),
        writeFile: () => {
          throw new Error('not expected');
        },
        load: async () => ({ AppModule }),
      },
      appErrorsIn,
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    // Every class its controllers declare with @ApiErrors, though only `sessions` is named.
    const markdown = out.join('');
    const declared = declaredErrorClassesIn([{ AppModule }]).map((each) => each.definition.code);
    expect(declared.length).toBeGreaterThan(40);
    for (const { code, domain } of errorCatalog()) {
      const documented = declared.includes(code) || ['sessions', 'common'].includes(domain);
      expect([code, markdown.includes(`\`${code}\``)]).toEqual([code, documented]);
    }
    expect(markdown).toContain('| <a id="AGENT_NOT_FOUND"></a>`AGENT_NOT_FOUND` | 404 |');
    expect(out.join('')).toContain(
      [
        '| `/api/v1` | timestamped | `application/json; charset=utf-8` |',
        '| `/graphql` | graphql | `application/json; charset=utf-8` |',
        '| `/v2` | traced | `application/json; charset=utf-8` |',
        '| `/api` | simple | `application/json; charset=utf-8` |',
      ].join('\n'),
    );
  });
});
