import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as publicApi from '../index.js';
import { errorCatalog } from './error.catalog.js';

/** The design's catalog tables, kept in the repository (test/fixtures/documented/README.md). */
const CATALOG = new URL('../../../../test/fixtures/documented/catalog.md', import.meta.url);

interface DesignRow {
  domain: string;
  code: string;
  status: number;
  className: string;
  message: string;
}

/** The rows of DESIGN § Domain catalogs; an empty domain cell continues the one above. */
function designCatalog(): DesignRow[] {
  const section = readFileSync(CATALOG, 'utf8');
  const rows: DesignRow[] = [];
  let domain = '';
  for (const line of section.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.length !== 5 || !/^\d{3}$/.test(cells[2]!)) {
      continue;
    }
    domain = cells[0] === '' ? domain : cells[0]!;
    rows.push({
      domain,
      code: cells[1]!,
      status: Number(cells[2]),
      className: cells[3]!,
      message: cells[4]!,
    });
  }
  return rows;
}

const DOMAIN_OF_BASE: Record<string, string> = {
  SessionsException: 'sessions',
  VaultFilesException: 'vault-files',
  AuthException: 'auth',
  AgentsException: 'agents',
  SecretsException: 'secrets',
  RulesException: 'rules',
  AppsException: 'apps',
  UsersException: 'users',
  TenantsException: 'tenants',
  ApiException: 'common',
};

describe('errorCatalog() against the documented catalog tables', () => {
  const design = designCatalog();
  const catalog = errorCatalog();

  it('reads all 65 rows of the DESIGN tables', () => {
    expect(design).toHaveLength(65);
  });

  it('lists exactly the DESIGN codes, in the same order', () => {
    expect(catalog.map((entry) => entry.code)).toEqual(design.map((row) => row.code));
  });

  it.each(design)('$code: status, class, domain and message as documented', (row) => {
    const entry = catalog.find((candidate) => candidate.code === row.code)!;
    expect(entry.status).toBe(row.status);
    expect(entry.className).toBe(row.className);
    const base = /\((\w+)\)/.exec(row.domain)![1]!;
    expect(entry.domain).toBe(DOMAIN_OF_BASE[base]);
    expect(entry.exceptionClass.prototype).toBeInstanceOf((publicApi as Record<string, any>)[base]);
    if (row.message !== '(see formats)') {
      expect(entry.message).toBe(row.message);
    }
    // The class is exported by its documented name from the package root.
    expect((publicApi as Record<string, unknown>)[row.className]).toBe(entry.exceptionClass);
  });

  it('marks 429 and 5xx retryable except the four entry-shape 503s', () => {
    const notRetryable5xx = catalog
      .filter((entry) => entry.status >= 500 && !entry.retryable)
      .map((entry) => entry.code);
    expect(notRetryable5xx).toEqual([
      'ENTRY_IS_NOT_A_BINARY',
      'ENTRY_IS_NOT_A_DATA_BLOCK',
      'ENTRY_IS_WRONG_TYPE_OF_DATA_BLOCK',
      'ENTRY_ALREADY_ATTACHED',
    ]);
    for (const entry of catalog) {
      if (entry.status < 500) {
        expect([entry.code, entry.retryable]).toEqual([entry.code, entry.status === 429]);
      }
    }
  });

  it('gives EXTERNAL_SERVICE to the three rows DESIGN names, and the status category to the rest', () => {
    expect(
      catalog.filter((entry) => entry.category === 'EXTERNAL_SERVICE').map((entry) => entry.code),
    ).toEqual(['PRESIGNED_URL_GENERATION_FAILED', 'UPLOAD_FAILED', 'EXTERNAL_SERVICE_ERROR']);
    expect(catalog.find((entry) => entry.code === 'RATE_LIMITED')!.category).toBe('RATE_LIMIT');
    expect(catalog.find((entry) => entry.code === 'AGENT_IDENTIFIER_TAKEN')!.category).toBe(
      'CONFLICT',
    );
    expect(catalog.find((entry) => entry.code === 'MFA_REQUIRED')!.category).toBe('AUTH');
  });

  it('builds every class with no arguments (templated ones with their fields) to its documented message', () => {
    for (const entry of catalog) {
      const error = new (entry.exceptionClass as new (options?: object) => publicApi.ApiException)({
        provider: 'slack',
        field: 'apiKey',
      });
      expect(error.getStatus()).toBe(entry.status);
      expect(error.code).toBe(entry.code);
      expect(error.message).toBe(
        entry.message
          .replace('{provider}', 'slack')
          .replace('{field}', 'apiKey')
          .replace('(see formats)', 'Validation failed'),
      );
    }
  });

  it('appends classes of your own', () => {
    class PaymentRequiredException extends publicApi.ApiException.define({
      code: 'PAYMENT_REQUIRED',
      status: 402,
      message: 'No active subscription',
    }) {}
    expect(errorCatalog([PaymentRequiredException]).at(-1)).toMatchObject({
      code: 'PAYMENT_REQUIRED',
      className: 'PaymentRequiredException',
      domain: 'common',
      fields: [],
      category: 'VALIDATION',
      retryable: false,
      deprecated: undefined,
    });
  });

  it('carries template fields and deprecation notes', () => {
    class RefundLockedException extends publicApi.ApiException.define({
      code: 'REFUND_LOCKED',
      status: 409,
      message: 'Refund {refundId} of {orderId} is locked',
      deprecated: 'use ORDER_LOCKED',
    }) {}
    expect(errorCatalog([RefundLockedException]).at(-1)).toMatchObject({
      code: 'REFUND_LOCKED',
      fields: ['refundId', 'orderId'],
      deprecated: 'use ORDER_LOCKED',
    });
    expect(catalog.every((entry) => entry.deprecated === undefined)).toBe(true);
  });
});

describe('templated messages', () => {
  it('UnknownProviderException({ provider }) → Unknown provider: slack', () => {
    expect(new publicApi.UnknownProviderException({ provider: 'slack' }).message).toBe(
      'Unknown provider: slack',
    );
    expect(new publicApi.ProviderNotAvailableException({ provider: 'jira' }).message).toBe(
      'Provider "jira" is not available',
    );
    expect(new publicApi.FieldRequiredException({ field: 'apiKey' }).message).toBe(
      'apiKey is required',
    );
  });
});
