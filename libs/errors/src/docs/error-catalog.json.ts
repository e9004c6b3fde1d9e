import type { ApiExceptionClass } from '../core/api.exception.js';
import { ERROR_CATEGORIES } from '../core/api-error.interface.js';
import { catalogEntries } from '../domains/error.catalog.js';

/**
 * One code of an API's error contract, as `npx nest-api-errors catalog` writes it: what a client
 * can rely on (code, status, category, retryable, the message's template and fields) and where
 * it is declared (class, domain). `deprecated` is null while the code is not.
 */
export interface CatalogCode {
  code: string;
  status: number;
  category: string;
  retryable: boolean;
  /** The documented message; `{field}` marks a template field. */
  message: string;
  fields: string[];
  class: string;
  domain: string;
  deprecated: string | null;
}

/** The file `catalog` writes and `diff` reads. */
export interface CatalogDocument {
  catalog: typeof CATALOG_MARK;
  version: typeof CATALOG_VERSION;
  /** Sorted by code, so the file's lines move only when a code changes. */
  errors: CatalogCode[];
}

/** What tells a catalog file from any other JSON file. */
const CATALOG_MARK = 'nest-api-errors';
/** Bumped if the file's shape ever changes; `diff` refuses versions it does not know. */
const CATALOG_VERSION = 1;

/**
 * The catalog of these classes. Two classes declaring one code are refused: a client could not
 * tell their errors apart, and a catalog keyed by code could not hold both.
 */
export function catalogDocument(classes: readonly ApiExceptionClass[]): CatalogDocument {
  const errors = catalogEntries(classes).map((entry): CatalogCode => ({
    code: entry.code,
    status: entry.status,
    category: entry.category,
    retryable: entry.retryable,
    message: entry.message,
    fields: [...entry.fields],
    class: entry.className,
    domain: entry.domain,
    deprecated: entry.deprecated ?? null,
  }));
  errors.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const twice = errors.find((entry, index) => errors[index + 1]?.code === entry.code);
  if (twice !== undefined) {
    const declaring = errors.filter((entry) => entry.code === twice.code);
    throw new TypeError(
      `code ${twice.code} is declared by ${declaring.map((entry) => entry.class).join(' and ')}`,
    );
  }
  return { catalog: CATALOG_MARK, version: CATALOG_VERSION, errors };
}

/**
 * The catalog as a file: one line per code, so that a committed catalog's `git diff` shows one
 * changed line per changed code.
 */
export function renderCatalog(document: CatalogDocument): string {
  const lines = document.errors.map((entry) => `    ${JSON.stringify(entry)}`);
  return [
    '{',
    `  "catalog": ${JSON.stringify(document.catalog)},`,
    `  "version": ${document.version},`,
    lines.length === 0 ? '  "errors": []' : `  "errors": [\n${lines.join(',\n')}\n  ]`,
    '}',
    '',
  ].join('\n');
}

/** The members of a catalog entry and what each must be. */
const ENTRY_MEMBERS: Readonly<Record<keyof CatalogCode, (value: unknown) => boolean>> = {
  code: (value) => typeof value === 'string' && value !== '',
  status: (value) => Number.isInteger(value) && (value as number) >= 400 && (value as number) < 600,
  category: (value) => (ERROR_CATEGORIES as readonly unknown[]).includes(value),
  retryable: (value) => typeof value === 'boolean',
  message: (value) => typeof value === 'string',
  fields: (value) => Array.isArray(value) && value.every((field) => typeof field === 'string'),
  class: (value) => typeof value === 'string',
  domain: (value) => typeof value === 'string',
  deprecated: (value) => value === null || typeof value === 'string',
};

/**
 * A catalog file read back, checked member by member: what is not a catalog this version wrote
 * is refused with one line naming the file and the first thing wrong, never half compared.
 */
export function parseCatalog(text: string, file: string): CatalogDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${file} is not a catalog: not JSON (${(error as Error).message})`);
  }
  const document = parsed as Partial<CatalogDocument> | null;
  if (typeof document !== 'object' || document === null || document.catalog !== CATALOG_MARK) {
    throw new TypeError(
      `${file} is not a nest-api-errors catalog (nest-api-errors catalog --out FILE writes one)`,
    );
  }
  if (document.version !== CATALOG_VERSION) {
    throw new TypeError(
      `${file} is a catalog of version ${String(document.version)}; this nest-api-errors reads version ${CATALOG_VERSION}`,
    );
  }
  if (!Array.isArray(document.errors)) {
    throw new TypeError(`${file} is not a catalog: "errors" is not a list`);
  }
  const codes = new Set<string>();
  document.errors.forEach((entry: unknown, index) => {
    const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
      string,
      unknown
    >;
    for (const [member, valid] of Object.entries(ENTRY_MEMBERS)) {
      if (!valid(record[member])) {
        throw new TypeError(
          `${file} is not a catalog: errors[${index}] has ${member in record ? 'an invalid' : 'no'} "${member}"`,
        );
      }
    }
    if (codes.has(record.code as string)) {
      throw new TypeError(`${file} is not a catalog: code ${String(record.code)} appears twice`);
    }
    codes.add(record.code as string);
  });
  return document as CatalogDocument;
}
