import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../libs/errors/src/docs/docs.cli.js';

// `npx nest-api-errors types`: a TypeScript client narrows an error body on its code, and an
// unknown code does not compile. Checked with the workspace's own tsc.

const TSC = fileURLToPath(new URL('../node_modules/.bin/tsc', import.meta.url));

/** A client of the agents API: narrows on two codes, reads what each body carries. */
const CLIENT = `
import { type ApiErrorBody, isApiError } from './errors.js';

export function explain(body: unknown): string {
  if (isApiError(body, 'AGENT_NOT_FOUND')) {
    const status: 404 = body.error.statusCode;
    const category: 'NOT_FOUND' = body.error.category;
    return \`\${status} \${category} \${body.error.message}\`;
  }
  if (isApiError(body, 'VALIDATION_ERROR')) {
    return (body.error.details ?? []).map((detail) => detail.path).join(',');
  }
  return 'other';
}

export function codeOf(body: ApiErrorBody): string {
  switch (body.error.code) {
    case 'AGENT_IDENTIFIER_TAKEN':
      return 'taken';
    default:
      return body.error.code;
  }
}
`;

/**
 * A client of the same API in the default timestamped format, which leaves the code out of a
 * validation failure and of a generic error: a typed code is always there, and a response cast to
 * `ApiErrorBody` may be either kind of body.
 */
const TIMESTAMPED_CLIENT = `
import { type ApiErrorBody, isApiError } from './errors.js';

export function explain(body: ApiErrorBody): string {
  if (body.code === undefined) {
    const status: number = body.statusCode;
    return \`\${status} \${body.message}\`;
  }
  const status: 404 | 409 | 400 | 429 | 500 = body.statusCode;
  return \`\${status} \${body.code}\`;
}

export function notFound(body: unknown): 'AGENT_NOT_FOUND' | undefined {
  if (isApiError(body, 'AGENT_NOT_FOUND')) {
    const code: 'AGENT_NOT_FOUND' = body.code;
    const status: 404 = body.statusCode;
    return status === 404 ? code : undefined;
  }
  return undefined;
}

const at = { timestamp: '2026-02-17T09:18:05.040Z', path: '/api/agents' };
export const validation: ApiErrorBody = {
  statusCode: 400,
  ...at,
  message: 'Validation failed: name: name must be a string',
};
export const unknownRoute: ApiErrorBody = { statusCode: 404, ...at, message: 'Cannot GET /api/agent' };
// A guard's 403: no code of this API answers 403.
export const forbidden: ApiErrorBody = { statusCode: 403, ...at, message: 'Forbidden resource' };
// @ts-expect-error a body with a code is the body of that code
export const mistyped: ApiErrorBody = { statusCode: 404, ...at, message: 'x', code: 'AGENT_GONE' };
`;

function tsc(dir: string) {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        types: [],
      },
      files: ['client.ts'],
    }),
  );
  return spawnSync(TSC, ['-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
}

describe('nest-api-errors types', () => {
  let dir: string;
  const io = () => ({
    stdout: () => undefined,
    stderr: () => undefined,
    writeFile: (path: string, text: string) => writeFileSync(path, text),
    load: (path: string) => import(pathToFileURL(path).href),
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nest-api-errors-types-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    expect(
      await runCli(
        ['types', '--format', 'envelope', '--domains', 'agents', '--out', join(dir, 'errors.d.ts')],
        io(),
      ),
    ).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a union a TypeScript client narrows on two codes', () => {
    writeFileSync(join(dir, 'client.ts'), CLIENT);
    const result = tsc(dir);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails to compile on a code the API does not have', () => {
    writeFileSync(
      join(dir, 'client.ts'),
      `import { isApiError } from './errors.js';\nexport const x = (body: unknown) => isApiError(body, 'AGENT_GONE');\n`,
    );
    const result = tsc(dir);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain(
      `Argument of type '"AGENT_GONE"' is not assignable to parameter of type 'ApiErrorCode'`,
    );
  });

  it('writes the guard beside it, reading the code where the format puts it', async () => {
    const { isApiError } = (await import(pathToFileURL(join(dir, 'errors.js')).href)) as {
      isApiError(body: unknown, code: string): boolean;
    };
    const body = {
      error: {
        message: 'Agent not found',
        statusCode: 404,
        code: 'AGENT_NOT_FOUND',
        category: 'NOT_FOUND',
      },
    };
    expect(isApiError(body, 'AGENT_NOT_FOUND')).toBe(true);
    expect(isApiError(body, 'NOT_FOUND')).toBe(false);
    expect(isApiError(null, 'AGENT_NOT_FOUND')).toBe(false);
    expect(isApiError('AGENT_NOT_FOUND', 'AGENT_NOT_FOUND')).toBe(false);
    expect(readFileSync(join(dir, 'errors.d.ts'), 'utf8')).toContain(
      'export interface AgentNotFoundErrorBody {\n  error: {\n    message: string;\n    statusCode: 404;\n    code: "AGENT_NOT_FOUND";\n    category: "NOT_FOUND";',
    );
  });

  it.each([
    ['traced', 'error?.code', '"agent_not_found"'],
    ['problem', 'code', '"AGENT_NOT_FOUND"'],
    ['graphql', 'errors?.[0]?.extensions?.code', '"AGENT_NOT_FOUND"'],
  ])('%s: the code where that format carries it', async (format, accessor, code) => {
    const out: string[] = [];
    const files = new Map<string, string>();
    expect(
      await runCli(['types', '--format', format, '--domains', 'agents', '--out', 'x/errors.d.ts'], {
        ...io(),
        writeFile: (path, text) => files.set(path, text),
        stderr: (text) => out.push(text),
      }),
    ).toBe(0);
    expect(files.get('x/errors.js')).toContain(`body?.${accessor} === code`);
    expect(files.get('x/errors.d.ts')).toContain(`  | ${code}`);
  });

  it('timestamped: a typed code is required, and the union has the bodies without a code', async () => {
    const timestamped = mkdtempSync(join(tmpdir(), 'nest-api-errors-types-'));
    try {
      writeFileSync(join(timestamped, 'package.json'), JSON.stringify({ type: 'module' }));
      expect(
        await runCli(
          ['types', '--domains', 'agents', '--out', join(timestamped, 'errors.ts')],
          io(),
        ),
      ).toBe(0);
      const types = readFileSync(join(timestamped, 'errors.ts'), 'utf8');
      expect(types).toContain(
        '/** `AGENT_NOT_FOUND` (404): Agent not found */\nexport interface AgentNotFoundErrorBody {\n  statusCode: 404;\n  timestamp: string;\n  path: string;\n  message: string;\n  code: "AGENT_NOT_FOUND";\n}',
      );
      expect(types).toContain(
        [
          '/**',
          ' * A body without a code:',
          ' * - `VALIDATION_ERROR` (400): Validation failed',
          ' * - any HTTP error without a code of its own (a plain `NotFoundException`, an unknown route)',
          ' */',
          'export interface ApiErrorBodyWithoutCode {',
          '  statusCode: number;',
          '  timestamp: string;',
          '  path: string;',
          '  message: string;',
          '  code?: undefined;',
          '}',
        ].join('\n'),
      );
      expect(types).not.toContain('| "VALIDATION_ERROR"');
      writeFileSync(join(timestamped, 'client.ts'), TIMESTAMPED_CLIENT);
      const result = tsc(timestamped);
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(timestamped, { recursive: true, force: true });
    }
  });

  it('refuses the simple format, which carries no code', async () => {
    const err: string[] = [];
    expect(
      await runCli(['types', '--format', 'simple'], { ...io(), stderr: (text) => err.push(text) }),
    ).toBe(2);
    expect(err.join('')).toBe(
      'nest-api-errors: the simple format carries no code to tell errors apart; use another --format\n',
    );
  });
});
