import type { CatalogCode, CatalogDocument } from './error-catalog.json.js';

/** One difference between two catalogs, for one code. */
export interface CatalogChange {
  /** True when a client written against the base can break: exit code 1 in CI. */
  breaking: boolean;
  code: string;
  /** What changed, after the code: `status 409 → 423`. */
  change: string;
}

const quoted = (text: string) => JSON.stringify(text);
const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/**
 * What changed for a code both catalogs have. Breaking: what a client reads off an error to
 * handle it (its status, its category, the values its message is filled with). Compatible: what
 * only reads differently (wording, the class and domain it is declared in, the retry hint the
 * reference gives) and deprecation, which announces a removal without making it.
 */
function changesOf(base: CatalogCode, head: CatalogCode): CatalogChange[] {
  const changes: CatalogChange[] = [];
  const add = (breaking: boolean, change: string) =>
    changes.push({ breaking, code: head.code, change });
  if (base.status !== head.status) {
    add(true, `status ${base.status} → ${head.status}`);
  }
  if (base.category !== head.category) {
    add(true, `category ${base.category} → ${head.category}`);
  }
  const added = head.fields.filter((field) => !base.fields.includes(field));
  if (added.length > 0) {
    add(
      true,
      `template field${added.length > 1 ? 's' : ''} ${added.map((field) => `{${field}}`).join(', ')} added`,
    );
  } else if (base.message !== head.message) {
    add(false, `wording changed: ${quoted(base.message)} → ${quoted(head.message)}`);
  }
  if (base.deprecated !== head.deprecated) {
    add(
      false,
      head.deprecated === null ? 'no longer deprecated' : `deprecated: ${head.deprecated}`,
    );
  }
  if (base.retryable !== head.retryable) {
    add(false, `retryable ${yesNo(base.retryable)} → ${yesNo(head.retryable)}`);
  }
  if (base.class !== head.class) {
    add(false, `class ${base.class} → ${head.class}`);
  }
  if (base.domain !== head.domain) {
    add(false, `domain ${base.domain} → ${head.domain}`);
  }
  return changes;
}

/**
 * Every change from `base` to `head`, code by code (sorted). A code that disappears while a code
 * of the same class appears was renamed: one breaking change, not a removal and an addition.
 */
export function diffCatalogs(base: CatalogDocument, head: CatalogDocument): CatalogChange[] {
  const before = new Map(base.errors.map((entry) => [entry.code, entry]));
  const after = new Map(head.errors.map((entry) => [entry.code, entry]));
  const removed = base.errors.filter((entry) => !after.has(entry.code));
  const added = head.errors.filter((entry) => !before.has(entry.code));
  const onlyOne = (entries: CatalogCode[], className: string) =>
    entries.filter((entry) => entry.class === className).length === 1;
  const renamedTo = new Map<string, CatalogCode>();
  for (const entry of removed) {
    const renamed = added.find((each) => each.class === entry.class);
    if (renamed !== undefined && onlyOne(removed, entry.class) && onlyOne(added, entry.class)) {
      renamedTo.set(entry.code, renamed);
    }
  }
  const renamedFrom = new Set([...renamedTo.values()].map((entry) => entry.code));
  const codes = [...new Set([...before.keys(), ...after.keys()])].sort();
  return codes.flatMap((code): CatalogChange[] => {
    const was = before.get(code);
    const is = after.get(code);
    if (was !== undefined && is !== undefined) {
      return changesOf(was, is);
    }
    if (was !== undefined) {
      const renamed = renamedTo.get(code);
      return [
        renamed === undefined
          ? { breaking: true, code, change: `removed (${was.class}, ${was.status})` }
          : { breaking: true, code, change: `renamed to ${renamed.code} (${was.class})` },
      ];
    }
    return renamedFrom.has(code)
      ? []
      : [{ breaking: false, code, change: `added (${is!.status} ${is!.category})` }];
  });
}

/**
 * One line per change (`breaking: FLOW_LOCKED status 409 → 423`), then a count; `no changes`
 * for two catalogs with the same contract.
 */
export function renderCatalogDiff(changes: readonly CatalogChange[]): string {
  if (changes.length === 0) {
    return 'no changes\n';
  }
  const breaking = changes.filter((change) => change.breaking).length;
  const lines = changes.map(
    (change) => `${change.breaking ? 'breaking' : 'compatible'}: ${change.code} ${change.change}`,
  );
  return `${lines.join('\n')}\n${breaking} breaking, ${changes.length - breaking} compatible\n`;
}
