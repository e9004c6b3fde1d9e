import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildErrorReference, renderErrorReference } from './error-reference.renderer.js';

/** The reference pages, kept in the repository (test/fixtures/documented/README.md). */
const REFERENCE_DOCS = new URL('../../../../test/fixtures/documented/', import.meta.url);
const page = (name: string) => readFileSync(new URL(name, REFERENCE_DOCS), 'utf8');

/** Rows of 000's flattened tables: `CODE400Description`. */
function codeRows(text: string): { code: string; status: number; description: string }[] {
  return text
    .split('\n')
    .map((line) => /^([A-Z][A-Z_]*[A-Z])(\d{3})(.+)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ code: match[1]!, status: Number(match[2]), description: match[3]! }));
}

/** The rows of 004's "CodeDescription" tables (code and description run together). */
function tableRows(text: string): string[] {
  const rows: string[] = [];
  let inTable = false;
  for (const line of text.split('\n').map((each) => each.trim())) {
    if (line === 'CodeDescription') {
      inTable = true;
    } else if (line === '') {
      inTable = false;
    } else if (inTable) {
      rows.push(line);
    }
  }
  return rows;
}

/** Every shipped domain, in catalog order. */
const SHIPPED = [
  'sessions',
  'vault-files',
  'auth',
  'agents',
  'secrets',
  'rules',
  'apps',
  'users',
  'tenants',
  'common',
];

describe('renderErrorReference', () => {
  it('timestamped: lists every code, status and description of reference-docs/000', () => {
    const markdown = renderErrorReference({
      format: 'timestamped',
      domains: ['sessions', 'vault-files'],
    });
    const rows = codeRows(page('000.txt').slice(page('000.txt').indexOf('Domain-specific')));
    expect(rows).toHaveLength(14);
    for (const { code, status, description } of rows) {
      expect(markdown).toContain(
        `| <a id="${code}"></a>\`${code}\` | ${status} | ${description} |`,
      );
    }
  });

  it('envelope: lists every code of reference-docs/004, generic ones included', () => {
    const markdown = renderErrorReference({ format: 'envelope', domains: SHIPPED });
    const documented = [...markdown.matchAll(/`([A-Z][A-Z_]*[A-Z])`/g)].map((match) => match[1]!);
    const rows = tableRows(page('004.txt'));
    expect(rows).toHaveLength(26);
    for (const row of rows) {
      // The pages run code and description together: the row must start with a documented code,
      // and that code must end where the row's code does.
      const code = documented.find(
        (candidate) => row.startsWith(candidate) && row[candidate.length] !== '_',
      );
      expect(code, row).toBeDefined();
    }
    for (const code of [
      'VALIDATION_ERROR',
      'FORBIDDEN',
      'NOT_FOUND',
      'INTERNAL_ERROR',
      'RATE_LIMITED',
      'AUTH_FAILED',
    ]) {
      expect(documented).toContain(code);
    }
  });

  it('shows the format, an example, the status table, validation and retry guidance', () => {
    const markdown = renderErrorReference({
      format: 'timestamped',
      domains: SHIPPED,
      docsBaseUrl: 'https://docs.example.com/errors',
    });
    expect(markdown).toContain('# Error reference');
    expect(markdown).toContain('`Content-Type: application/json; charset=utf-8`');
    expect(markdown).toContain(
      '"message": "client_id is missing, not found, or has no allowed redirect URLs configured"',
    );
    expect(markdown).toContain('| 404 | Not Found | No |');
    expect(markdown).toContain('| 503 | Service Unavailable | Yes |');
    expect(markdown).toContain(
      '"message": "Validation failed: items.0.name: name must be a string, age: age must be an integer number"',
    );
    expect(markdown).toContain('## Retry guidance');
    expect(markdown).toContain(
      '| `ENTRY_ALREADY_ATTACHED` | 503 | Entry is already attached to a parent | No |'.replace(
        '| `',
        '| <a id="ENTRY_ALREADY_ATTACHED"></a>`',
      ),
    );
  });

  it('traced uses lower-case codes; JSON carries the same content', () => {
    expect(renderErrorReference({ format: 'traced', domains: SHIPPED })).toContain(
      '`invalid_grant` | 401 |',
    );
    const reference = JSON.parse(
      renderErrorReference({ format: 'envelope', as: 'json', domains: SHIPPED }),
    ) as ReturnType<typeof buildErrorReference>;
    expect(reference.format).toBe('envelope');
    expect(reference.statuses.find((row) => row.status === 403)).toEqual({
      status: 403,
      meaning: 'Forbidden',
      retryable: false,
      genericCode: 'FORBIDDEN',
    });
    expect(reference.domains.map((domain) => domain.domain)).toEqual(SHIPPED);
    expect(reference.validationExample).toEqual({
      error: {
        message: 'Invalid request body',
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        category: 'VALIDATION',
        details: [
          { path: 'items.0.name', message: 'name must be a string' },
          { path: 'age', message: 'age must be an integer number' },
        ],
      },
    });
  });
});
