import { STATUS_CODES } from 'node:http';
import type { ApiExceptionClass } from '../core/api.exception.js';
import {
  GENERIC_STATUSES,
  genericCodeForStatus,
  isRetryableStatus,
} from '../core/http-status.mapping.js';
import { VALIDATION_ERROR_CODE } from '../core/api-error.predicates.js';
import { ValidationFailedException } from '../domains/common.exceptions.js';
import {
  type ErrorCatalogEntry,
  catalogEntries,
  exceptionClassesOf,
  ownExceptionClasses,
} from '../domains/error.catalog.js';
import type { ErrorFormat, JsonSchema } from '../formats/error-format.interface.js';
import {
  DEFAULT_FORMAT,
  type FormatOption,
  contentTypeOf,
  resolveFormat,
  schemaOf,
} from '../formats/format.registry.js';
import type { FormatRoute } from '../formats/format.routes.js';
import { EXAMPLE_CONTEXT, exampleBody } from './error.examples.js';

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
  /**
   * The module's `routes` (`ErrorsModule.forRoot({ routes })`): the reference then shows, beside
   * the `format` every other path answers in, each prefix's format with an example body.
   */
  routes?: readonly FormatRoute[];
}

/**
 * What a reference documents: the classes given (else the app's own: every `define()` loaded in
 * this process that the library did not ship), plus every class of the domains named (else the
 * `common` domain, whose `VALIDATION_ERROR` every app with the validation pipe can answer).
 */
export function referencedClasses(options: ErrorReferenceOptions): ApiExceptionClass[] {
  const classes = options.classes ?? ownExceptionClasses();
  const domainClasses = exceptionClassesOf(options.domains ?? ['common']);
  return [...new Set([...classes, ...domainClasses])];
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
      /** Set when the code is deprecated: what to use instead. */
      deprecated?: string;
    }[];
  }[];
  validationExample: unknown;
  /** With `routes`: each path prefix's format, and the bodies an error under it has. */
  routes?: {
    path: string;
    format: string;
    contentType: string;
    example: unknown;
    validationExample: unknown;
    /** Where the prefix's bodies differ from the tables: codes spelled otherwise, or absent. */
    notes: string[];
  }[];
}

/** The reference as data: what both renderings are made from. */
export function buildErrorReference(options: ErrorReferenceOptions = {}): ErrorReference {
  const format = resolveFormat(options.format ?? DEFAULT_FORMAT);
  const catalog = catalogEntries(referencedClasses(options));
  // The class every example shows: the first documented one, else a validation failure.
  const exampleClass = catalog[0]?.exceptionClass ?? ValidationFailedException;
  // Readers of a format whose bodies always carry a code need the codes of generic errors too.
  const generic = format.alwaysCarriesCode === true;
  const codeOf = (code: string) => format.wireCode?.(code) ?? code;
  const statuses = [...new Set([...catalog.map((entry) => entry.status), ...GENERIC_STATUSES])]
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
    example: exampleBody(exampleClass, format, options.docsBaseUrl),
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
        ...(entry.deprecated === undefined ? {} : { deprecated: entry.deprecated }),
      })),
    })),
    validationExample: exampleBody(ValidationFailedException, format, options.docsBaseUrl),
    ...(options.routes === undefined
      ? {}
      : {
          routes: options.routes.map((route) => {
            const routeFormat = resolveFormat(route.format);
            const path = examplePathUnder(route.path);
            return {
              path: route.path,
              format: routeFormat.name,
              contentType: contentTypeOf(routeFormat),
              example: exampleBody(exampleClass, routeFormat, options.docsBaseUrl, path),
              validationExample: exampleBody(
                ValidationFailedException,
                routeFormat,
                options.docsBaseUrl,
                path,
              ),
              notes: codeNotes(routeFormat, format, route.path, catalog[0]?.code),
            };
          }),
        }),
  };
}

/** The example request's path moved under a route prefix: `/v2` → `/v2/resource`. */
function examplePathUnder(prefix: string): string {
  const last = EXAMPLE_CONTEXT.path.slice(EXAMPLE_CONTEXT.path.lastIndexOf('/'));
  return `${prefix.replace(/\/+$/, '')}${last}`;
}

/**
 * How a route's format sends the reference's codes, where not as the tables spell them: not at
 * all (`simple`), spelled its own way (`traced`: lower-case), or only for the classes of the
 * domain tables when the reference's own format also sends generic codes (`problem`).
 */
function codeNotes(
  format: ErrorFormat,
  tables: ErrorFormat,
  path: string,
  sample = VALIDATION_ERROR_CODE,
): string[] {
  if (format.codePath === undefined) {
    return [
      `Under \`${path}\` bodies carry no code: the status and the message tell errors apart.`,
    ];
  }
  const notes: string[] = [];
  const wire = format.wireCode?.(sample) ?? sample;
  if (wire !== (tables.wireCode?.(sample) ?? sample)) {
    notes.push(
      `Under \`${path}\` codes are spelled as this format sends them: \`${sample}\` arrives as \`${wire}\`.`,
    );
  }
  if (tables.alwaysCarriesCode === true && format.alwaysCarriesCode !== true) {
    notes.push(
      `Under \`${path}\` only the errors of the domain tables carry a code; the others (the status table's generic codes) come without one.`,
    );
  }
  return notes;
}

const json = (value: unknown) => ['```json', JSON.stringify(value, null, 2), '```'].join('\n');
const cell = (text: string) => text.replace(/\|/g, '\\|');

/**
 * An error reference in the style of the documented APIs' own: the response format with an example, an
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
  const routes = reference.routes ?? [];
  lines.push(
    '## Error response format',
    '',
    routes.length === 0
      ? `All API errors return a consistent JSON structure (\`Content-Type: ${reference.contentType}\`), and every error response carries \`X-Request-Id\`:`
      : `Errors return a consistent JSON structure (\`Content-Type: ${reference.contentType}\`) on every path the table below does not name, and every error response carries \`X-Request-Id\`:`,
    '',
    json(reference.example),
    '',
  );
  if (routes.length > 0) {
    lines.push(
      '### Formats by path',
      '',
      'Every error under one of these path prefixes (the longest that matches), whether or not a route was found, is sent in its format:',
      '',
      '| Path prefix | Format | Content-Type |',
      '|---|---|---|',
      ...routes.map(
        (route) => `| \`${route.path}\` | ${route.format} | \`${route.contentType}\` |`,
      ),
      '',
    );
    for (const route of routes) {
      lines.push(`#### \`${route.path}\``, '', json(route.example), '');
      for (const note of route.notes) {
        lines.push(note, '');
      }
      lines.push('A validation failure:', '', json(route.validationExample), '');
    }
  }
  lines.push(
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
        `| <a id="${error.code}"></a>\`${error.code}\` | ${error.status} | ${cell(error.description)}${error.deprecated === undefined ? '' : ` — **Deprecated:** ${cell(error.deprecated)}`} | ${error.retryable ? 'Yes' : 'No'} |`,
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
