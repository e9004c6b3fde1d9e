#!/usr/bin/env node
// The `nest-api-errors` command (package.json "bin", through bin/nest-api-errors.js).
import { runCli } from './docs/docs.cli.js';
import { appErrorsIn } from './module/errors.options-finder.js';

process.exitCode = await runCli(process.argv.slice(2), undefined, appErrorsIn);
