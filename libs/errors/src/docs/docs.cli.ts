import { writeFileSync } from 'node:fs';
import { ERROR_FORMATS, type FormatName } from '../formats/format.registry.js';
import { renderErrorReference } from './error-reference.renderer.js';

const USAGE = `Usage: nest-api-errors docs [--format ${Object.keys(ERROR_FORMATS).join('|')}] [--json] [--out FILE] [--docs-base-url URL]

Writes the error reference of every shipped error code, in the given format (default timestamped),
as Markdown (or JSON with --json), to FILE or standard output.`;

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  writeFile(path: string, text: string): void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  writeFile: (path, text) => writeFileSync(path, text),
};

/** `npx nest-api-errors docs …`; returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo = processIo): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'docs') {
    io.stderr(
      `${command === undefined ? 'No command given.' : `Unknown command "${command}".`}\n${USAGE}\n`,
    );
    return 2;
  }
  let format: FormatName = 'timestamped';
  let json = false;
  let out: string | undefined;
  let docsBaseUrl: string | undefined;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index]!;
    const value = () => rest[++index];
    if (arg === '--json') {
      json = true;
    } else if (arg === '--format') {
      const name = value();
      if (name === undefined || !(name in ERROR_FORMATS)) {
        io.stderr(`--format takes one of ${Object.keys(ERROR_FORMATS).join(', ')}\n`);
        return 2;
      }
      format = name as FormatName;
    } else if (arg === '--out') {
      out = value();
      if (out === undefined) {
        io.stderr('--out takes a file path\n');
        return 2;
      }
    } else if (arg === '--docs-base-url') {
      docsBaseUrl = value();
    } else {
      io.stderr(`Unknown option "${arg}".\n${USAGE}\n`);
      return 2;
    }
  }
  const text = renderErrorReference({ format, as: json ? 'json' : 'markdown', docsBaseUrl });
  if (out === undefined) {
    io.stdout(text);
  } else {
    io.writeFile(out, text);
    io.stderr(`Wrote the ${format} error reference to ${out}\n`);
  }
  return 0;
}
