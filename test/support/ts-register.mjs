// `node --import ./test/support/ts-register.mjs app.ts`: runs TypeScript sources of this repository
// in a child process (see ts-hooks.mjs). Add `--conditions=nest-api-errors:source` to reach the
// library by its package name from its sources, as the tests do.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
