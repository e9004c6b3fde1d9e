import { STATUS_CODES } from 'node:http';
import type { ApiExceptionClass } from '../core/api.exception.js';
import {
  GENERIC_CODES,
  genericCodeForStatus,
  isRetryableStatus,
} from '../core/http-status.mapping.js';
import { ValidationFailedException } from '../domains/common.exceptions.js';
import {
  type ErrorCatalogEntry,
  catalogEntries,
  exceptionClassesOf,
  ownExceptionClasses,
} from '../domains/error.catalog.js';
import type { JsonSchema } from '../formats/error-format.interface.js';
import {
  type FormatOption,
  contentTypeOf,
  resolveFormat,
  schemaOf,
} from '../formats/format.registry.js';
import { exampleBody } from './error.examples.js';

/** Options of `renderErrorReference`. */
export interface ErrorReferenceOptions {
  /** The format the reference documents. Default `'timestamped'`. */
  format?: FormatOption;
  /** `'markdown'` (default) or `'json'`. */
  as?: 'markdown' | 'json';
  /** Used in `problem` types and shown as the reference's home. */
  docsBaseUrl?: string;
  /** Page title. Default `Error reference`. */
  title?: string;
  /** Exception classes to document (yours, or shipped ones). */
  classes?: readonly ApiExceptionClass[];
  /**
   * Domains to document in full: shipped ones (`sessions`, `vault-files`, `auth`, `agents`,
   * `secrets`, `rules`, `apps`, `users`, `tenants`, `common`) or your own (a base class's
   * `static domain`).
   */
  domains?: readonly string[];
}

/**
 * What a reference documents: the classes given plus every class of the domains named; with
 * neither, the app's own classes (every `define()` loaded in this process that the library did
 * not ship) and the `common` domain, whose `VALIDATION_ERROR` every app with the validation pipe
 * can answer.
 */
export function referencedClasses(options: ErrorReferenceOptions): ApiExceptionClass[] {
  if (options.classes === undefined && options.domains === undefined) {
    return [...ownExceptionClasses(), ...exceptionClassesOf(['common'])];
  }
  return [...(options.classes ?? []), ...exceptionClassesOf(options.domains ?? [])];
}

/** The reference as data (`as: 'json'`). */
export interface ErrorReference {
  title: string;
  format: string;
  contentType: string;
  /** JSON Schema of the format's error body (OpenAPI 3.1 / JSON Schema 2020-12). */
  schema: JsonSchema;
  example: unknown;
  statuses: { status: number; meaning: string; retryable: boolean; genericCode?: string }[];
  domains: {
    domain: string;
    title: string;
    errors: {
      code: string;
      status: number;
      description: string;
      category: string;
      retryable: boolean;
    }[];
  }[];
  validationExample: unknown;
}

/** The reference as data: what both renderings are made from. */
export function buildErrorReference(options: ErrorReferenceOptions = {}): ErrorReference {
  const format = resolveFormat(options.format ?? 'timestamped');
  const catalog = catalogEntries(referencedClasses(options));
  // Readers of a format whose bodies always carry a code need the codes of generic errors too.
  const generic = format.alwaysCarriesCode === true;
  const codeOf = (code: string) => format.wireCode?.(code) ?? code;
  const statuses = [
    ...new Set([
      ...catalog.map((entry) => entry.status),
      ...Object.keys(GENERIC_CODES).map(Number),
      500,
    ]),
  ]
    .sort((a, b) => a - b)
    .map((status) => ({
      status,
      meaning: STATUS_CODES[status] ?? 'Error',
      retryable: isRetryableStatus(status),
      ...(generic ? { genericCode: codeOf(genericCodeForStatus(status)) } : {}),
    }));
  const domains = new Map<string, ErrorCatalogEntry[]>();
  for (const entry of catalog) {
    domains.set(entry.domain, [...(domains.get(entry.domain) ?? []), entry]);
  }
  return {
    title: options.title ?? 'Error reference',
    format: format.name,
    contentType: contentTypeOf(format),
    schema: schemaOf(format),
    example: exampleBody(
      catalog[0]?.exceptionClass ?? ValidationFailedException,
      format,
      options.docsBaseUrl,
    ),
    statuses,
    domains: [...domains].map(([domain, entries]) => ({
      domain,
      title: entries[0]!.domainTitle,
      errors: entries.map((entry) => ({
        code: codeOf(entry.code),
        status: entry.status,
        description: entry.message,
        category: entry.category,
        retryable: entry.retryable,
      })),
    })),
    validationExample: exampleBody(ValidationFailedException, format, options.docsBaseUrl),
  };
}

const json = (value: unknown) => ['```json', JSON.stringify(value, null, 2), '```'].join('\n');
const cell = (text: string) => text.replace(/\|/g, '\\|');

/**
 * An error reference in the style of reference-docs/: the response format with an example, an
 * HTTP status table, one table per domain (code, status, description, retryable), validation
 * errors and retry guidance. Markdown by default, or the same content as JSON.
 *
 * @example
 * writeFileSync('docs/errors.md', renderErrorReference({ format: 'envelope' }));
 */
export function renderErrorReference(options: ErrorReferenceOptions = {}): string {
  const reference = buildErrorReference(options);
  if (options.as === 'json') {
    return `${JSON.stringify(reference, null, 2)}\n`;
  }
  const lines: string[] = [`# ${reference.title}`, ''];
  if (options.docsBaseUrl !== undefined) {
    lines.push(`Published at ${options.docsBaseUrl}.`, '');
  }
  lines.push(
    '## Error response format',
    '',
    `All API errors return a consistent JSON structure (\`Content-Type: ${reference.contentType}\`), and every error response carries \`X-Request-Id\`:`,
    '',
    json(reference.example),
    '',
    '## HTTP status codes',
    '',
    reference.statuses[0]?.genericCode === undefined
      ? '| Status | Meaning | Retryable |'
      : '| Status | Meaning | Code when no specific one applies | Retryable |',
    reference.statuses[0]?.genericCode === undefined ? '|---|---|---|' : '|---|---|---|---|',
    ...reference.statuses.map((row) =>
      row.genericCode === undefined
        ? `| ${row.status} | ${row.meaning} | ${row.retryable ? 'Yes' : 'No'} |`
        : `| ${row.status} | ${row.meaning} | \`${row.genericCode}\` | ${row.retryable ? 'Yes' : 'No'} |`,
    ),
    '',
    '## Domain-specific error codes',
    '',
  );
  for (const { title, errors } of reference.domains) {
    lines.push(
      `### ${title}`,
      '',
      '| Code | HTTP status | Description | Retryable |',
      '|---|---|---|---|',
    );
    for (const error of errors) {
      lines.push(
        `| <a id="${error.code}"></a>\`${error.code}\` | ${error.status} | ${cell(error.description)} | ${error.retryable ? 'Yes' : 'No'} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '## Validation errors',
    '',
    'When request validation fails (status 400), the error lists every failed rule with the dot-path of its field (`items.0.name`):',
    '',
    json(reference.validationExample),
    '',
    '## Retry guidance',
    '',
    '| Status | Retryable? | What to do |',
    '|---|---|---|',
    '| 4xx (but 429) | No | Fix the request: the same request gets the same answer. |',
    '| 429 | Yes | Wait for the `Retry-After` header (seconds), then retry. |',
    '| 5xx | Yes, unless the code says otherwise | Retry with exponential backoff; include the request id when you contact support. |',
    '',
  );
  return lines.join('\n');
}
