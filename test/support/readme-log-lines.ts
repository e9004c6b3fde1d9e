import { readFileSync } from 'node:fs';

/** `requestId=0b6c1f9e-…:` and `requestId=process-1:` alike: the README shortens ids. */
const REQUEST_ID = /requestId=[^:]*:/;

/**
 * The example log lines of one section of the library README (the ``` block whose first line is
 * a log line), with their request ids left out: what a test compares the lines it captured with.
 */
export function readmeLogLines(heading: string): string[] {
  const readme = readFileSync(new URL('../../libs/errors/README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const block = /```\n((?:ERROR|WARN|DEBUG) \[[\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => /^[A-Z]+ \[ErrorsFilter\] /.test(line))
    .map(withoutRequestId);
}

/** A captured log line with its request id left out, as the README shows it. */
export function withoutRequestId(line: string): string {
  return line.replace(REQUEST_ID, 'requestId=…:');
}
