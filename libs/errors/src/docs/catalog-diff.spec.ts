import { describe, expect, it } from 'vitest';
import { diffCatalogs, renderCatalogDiff } from './catalog-diff.js';
import type { CatalogCode, CatalogDocument } from './error-catalog.json.js';

const code = (entry: Partial<CatalogCode> & Pick<CatalogCode, 'code'>): CatalogCode => ({
  status: 409,
  category: 'CONFLICT',
  retryable: false,
  message: 'Flow {flowId} is locked',
  fields: ['flowId'],
  class: `${entry.code}Exception`,
  domain: 'flows',
  deprecated: null,
  ...entry,
});

const catalog = (...errors: CatalogCode[]): CatalogDocument => ({
  catalog: 'nest-api-errors',
  version: 1,
  errors,
});

const diff = (base: CatalogDocument, head: CatalogDocument) =>
  renderCatalogDiff(diffCatalogs(base, head));

describe('diffCatalogs', () => {
  it('two catalogs with the same contract: no changes', () => {
    const same = catalog(code({ code: 'FLOW_LOCKED' }), code({ code: 'FLOW_GONE', status: 404 }));
    expect(diffCatalogs(same, structuredClone(same))).toEqual([]);
    expect(diff(same, same)).toBe('no changes\n');
  });

  it('breaking: a code removed, its status or category changed, a template field added', () => {
    const base = catalog(
      code({ code: 'FLOW_GONE', status: 404, category: 'NOT_FOUND' }),
      code({ code: 'FLOW_LOCKED' }),
      code({ code: 'FLOW_PAUSED' }),
      code({ code: 'STEP_LOCKED', message: 'Step {stepId} is locked', fields: ['stepId'] }),
    );
    const head = catalog(
      code({ code: 'FLOW_LOCKED', status: 423, category: 'VALIDATION' }),
      code({ code: 'FLOW_PAUSED', category: 'VALIDATION' }),
      code({
        code: 'STEP_LOCKED',
        message: 'Step {stepId} of {flowId} is locked by {user}',
        fields: ['stepId', 'flowId', 'user'],
      }),
    );
    expect(diff(base, head)).toBe(
      [
        'breaking: FLOW_GONE removed (FLOW_GONEException, 404)',
        'breaking: FLOW_LOCKED status 409 → 423',
        'breaking: FLOW_LOCKED category CONFLICT → VALIDATION',
        'breaking: FLOW_PAUSED category CONFLICT → VALIDATION',
        'breaking: STEP_LOCKED template fields {flowId}, {user} added',
        '5 breaking, 0 compatible',
        '',
      ].join('\n'),
    );
  });

  it('a code whose class now declares another code was renamed: one breaking change', () => {
    const base = catalog(code({ code: 'FLOW_LOCKED', class: 'FlowLockedException' }));
    const head = catalog(code({ code: 'FLOW_IS_LOCKED', class: 'FlowLockedException' }));
    expect(diffCatalogs(base, head)).toEqual([
      {
        breaking: true,
        code: 'FLOW_LOCKED',
        change: 'renamed to FLOW_IS_LOCKED (FlowLockedException)',
      },
    ]);
  });

  it('compatible: a code added, wording changed, a code deprecated (and what only reads differently)', () => {
    const base = catalog(
      code({ code: 'FLOW_LOCKED' }),
      code({ code: 'FLOW_OLD', deprecated: 'use FLOW_LOCKED' }),
      code({
        code: 'FLOW_PAUSED',
        message: 'Flow {flowId} is paused by {user}',
        fields: ['flowId', 'user'],
      }),
    );
    const head = catalog(
      code({ code: 'FLOW_ARCHIVED', status: 410, category: 'NOT_FOUND' }),
      code({
        code: 'FLOW_LOCKED',
        message: 'Flow {flowId} is locked by another editor',
        deprecated: 'use FLOW_ARCHIVED',
        retryable: true,
        class: 'FlowIsLockedException',
        domain: 'editor',
      }),
      code({ code: 'FLOW_OLD' }),
      // A field removed reads differently; the values a client had stay meaningful.
      code({ code: 'FLOW_PAUSED', message: 'Flow {flowId} is paused', fields: ['flowId'] }),
    );
    const changes = diffCatalogs(base, head);
    expect(changes.every((change) => !change.breaking)).toBe(true);
    expect(diff(base, head)).toBe(
      [
        'compatible: FLOW_ARCHIVED added (410 NOT_FOUND)',
        'compatible: FLOW_LOCKED wording changed: "Flow {flowId} is locked" → "Flow {flowId} is locked by another editor"',
        'compatible: FLOW_LOCKED deprecated: use FLOW_ARCHIVED',
        'compatible: FLOW_LOCKED retryable no → yes',
        'compatible: FLOW_LOCKED class FLOW_LOCKEDException → FlowIsLockedException',
        'compatible: FLOW_LOCKED domain flows → editor',
        'compatible: FLOW_OLD no longer deprecated',
        'compatible: FLOW_PAUSED wording changed: "Flow {flowId} is paused by {user}" → "Flow {flowId} is paused"',
        '0 breaking, 8 compatible',
        '',
      ].join('\n'),
    );
  });

  it('two removed codes of one class are removals, not a rename', () => {
    const base = catalog(
      code({ code: 'A_LOCKED', class: 'LockedException' }),
      code({ code: 'B_LOCKED', class: 'LockedException' }),
    );
    const head = catalog(code({ code: 'C_LOCKED', class: 'LockedException' }));
    expect(diff(base, head)).toBe(
      [
        'breaking: A_LOCKED removed (LockedException, 409)',
        'breaking: B_LOCKED removed (LockedException, 409)',
        'compatible: C_LOCKED added (409 CONFLICT)',
        '2 breaking, 1 compatible',
        '',
      ].join('\n'),
    );
  });
});
