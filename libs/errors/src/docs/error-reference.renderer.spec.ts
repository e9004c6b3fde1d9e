import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ApiException } from '../core/api.exception.js';
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

  it('routes: each prefix with its format and an example under it; code notes where they differ', () => {
    const routes = [
      { path: '/v2', format: 'traced' },
      { path: '/api', format: 'simple' },
      { path: '/api/sdk', format: 'envelope' },
    ] as const;
    const markdown = renderErrorReference({
      format: 'timestamped',
      domains: ['vault-files'],
      routes,
    });
    expect(markdown).toContain(
      'Errors return a consistent JSON structure (`Content-Type: application/json; charset=utf-8`) on every path the table below does not name',
    );
    expect(markdown).toContain(
      [
        '| Path prefix | Format | Content-Type |',
        '|---|---|---|',
        '| `/v2` | traced | `application/json; charset=utf-8` |',
        '| `/api` | simple | `application/json; charset=utf-8` |',
        '| `/api/sdk` | envelope | `application/json; charset=utf-8` |',
      ].join('\n'),
    );
    expect(markdown).toContain(
      [
        '#### `/v2`',
        '',
        '```json',
        JSON.stringify(
          {
            error: {
              code: 'entry_not_found',
              message: 'Requested file entry does not exist',
              trace_id: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11',
            },
          },
          null,
          2,
        ),
        '```',
        '',
        'Under `/v2` codes are spelled as this format sends them: `ENTRY_NOT_FOUND` arrives as `entry_not_found`.',
        '',
        'A validation failure:',
        '',
        '```json',
        JSON.stringify(
          {
            error: {
              code: 'validation_error',
              message: 'Request validation failed',
              trace_id: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11',
              details: {
                'items.0.name': 'name must be a string',
                age: 'age must be an integer number',
              },
            },
          },
          null,
          2,
        ),
        '```',
      ].join('\n'),
    );
    expect(markdown).toContain(
      'Under `/api` bodies carry no code: the status and the message tell errors apart.',
    );
    expect(markdown).not.toContain('Under `/api/sdk`');
    const reference = buildErrorReference({ domains: ['vault-files'], routes });
    expect(reference.routes?.[2]).toEqual({
      path: '/api/sdk',
      format: 'envelope',
      contentType: 'application/json; charset=utf-8',
      example: {
        error: {
          message: 'Requested file entry does not exist',
          statusCode: 404,
          code: 'ENTRY_NOT_FOUND',
          category: 'NOT_FOUND',
        },
      },
      validationExample: {
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
      },
      notes: [],
    });
    // Tables in a format that always sends a code; a prefix whose format sends only specific ones.
    expect(
      buildErrorReference({
        format: 'envelope',
        domains: ['vault-files'],
        routes: [{ path: '/v1', format: 'problem' }],
      }).routes?.[0]?.notes,
    ).toEqual([
      "Under `/v1` only the errors of the domain tables carry a code; the others (the status table's generic codes) come without one.",
    ]);
    // Without routes, the page says nothing of them.
    expect(renderErrorReference({ domains: ['vault-files'] })).not.toContain('Formats by path');
    expect(buildErrorReference({ domains: ['vault-files'] })).not.toHaveProperty('routes');
  });

  // Last but one: a class declared here is the app's own for the rest of this file.
  it("defaults: the app's own classes and the common domain; with domains, own classes stay", () => {
    abstract class OrdersException extends ApiException {
      static override readonly domain: string = 'orders';
      static override readonly domainTitle: string = 'Orders';
    }
    class OrderLockedException extends OrdersException.define({
      code: 'ORDER_LOCKED',
      status: 409,
      message: 'Order {orderId} is locked by another editor',
    }) {}
    const byDefault = buildErrorReference();
    expect(byDefault.domains.map((domain) => [domain.domain, domain.errors.length])).toEqual([
      ['orders', 1],
      ['common', 3],
    ]);
    expect(byDefault.example).toEqual({
      statusCode: 409,
      timestamp: '2026-02-17T09:18:05.040Z',
      path: '/api/v1/resource',
      message: 'Order <orderId> is locked by another editor',
      code: 'ORDER_LOCKED',
    });
    expect(
      buildErrorReference({ domains: ['vault-files'] }).domains.map((domain) => domain.domain),
    ).toEqual(['orders', 'vault-files']);
    // Classes given explicitly replace the default (own) ones.
    expect(
      buildErrorReference({ classes: [OrderLockedException], domains: [] }).domains.map(
        (domain) => domain.domain,
      ),
    ).toEqual(['orders']);
  });

  it('deprecated: a note in the Markdown row and a member of the JSON entry; others have none', () => {
    abstract class ShipmentsException extends ApiException {
      static override readonly domain: string = 'shipments';
      static override readonly domainTitle: string = 'Shipments';
    }
    class ShipmentLockedException extends ShipmentsException.define({
      code: 'SHIPMENT_LOCKED',
      status: 409,
      message: 'Shipment {id} is locked | held',
      deprecated: 'use SHIPMENT_HELD | SHIPMENT_ARCHIVED',
    }) {}
    const options = { classes: [ShipmentLockedException], domains: ['common'] };
    expect(renderErrorReference(options)).toContain(
      '| <a id="SHIPMENT_LOCKED"></a>`SHIPMENT_LOCKED` | 409 | Shipment {id} is locked \\| held — **Deprecated:** use SHIPMENT_HELD \\| SHIPMENT_ARCHIVED | No |\n\n### Common errors',
    );
    const [shipments, common] = buildErrorReference(options).domains;
    expect(shipments!.errors).toEqual([
      {
        code: 'SHIPMENT_LOCKED',
        status: 409,
        description: 'Shipment {id} is locked | held',
        category: 'CONFLICT',
        retryable: false,
        deprecated: 'use SHIPMENT_HELD | SHIPMENT_ARCHIVED',
      },
    ]);
    expect(common!.errors.some((error) => 'deprecated' in error)).toBe(false);
  });
});
