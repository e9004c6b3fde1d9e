import { describe, expect, it } from 'vitest';
import { type CliIo, runCli } from './docs.cli.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  const sink: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    writeFile: (path, text) => files.set(path, text),
  };
  return { sink, out, err, files };
}

describe('nest-api-errors CLI', () => {
  it('docs: the timestamped Markdown reference on stdout', () => {
    const { sink, out } = io();
    expect(runCli(['docs'], sink)).toBe(0);
    expect(out.join('')).toMatch(/^# Error reference\n/);
    expect(out.join('')).toContain('`INVALID_CLIENT`');
  });

  it('docs --format envelope --json --out FILE', () => {
    const { sink, files, err } = io();
    expect(runCli(['docs', '--format', 'envelope', '--json', '--out', 'errors.json'], sink)).toBe(
      0,
    );
    expect(JSON.parse(files.get('errors.json')!)).toMatchObject({
      format: 'envelope',
      contentType: 'application/json; charset=utf-8',
    });
    expect(err.join('')).toBe('Wrote the envelope error reference to errors.json\n');
  });

  it.each([
    [['docs', '--format', 'xml']],
    [['docs', '--out']],
    [['docs', '--verbose']],
    [['publish']],
    [[]],
  ])('refuses %j with exit code 2 and the usage', (argv) => {
    const { sink, err } = io();
    expect(runCli(argv, sink)).toBe(2);
    expect(err.join('')).not.toBe('');
  });

  it('--help prints the usage', () => {
    const { sink, out } = io();
    expect(runCli(['--help'], sink)).toBe(0);
    expect(out.join('')).toContain('Usage: nest-api-errors docs');
  });
});
