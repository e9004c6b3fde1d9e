#!/usr/bin/env node
// The `nest-api-errors` command (package.json "bin").
import { runCli } from './docs/docs.cli.js';

process.exitCode = runCli(process.argv.slice(2));
