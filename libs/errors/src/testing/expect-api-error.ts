import { AssertionError } from 'node:assert';
import type { ApiError, ErrorCategory, FieldViolation } from '../core/api-error.interface.js';
import { isValidationFailure } from '../core/api-error.predicates.js';
import type { ApiExceptionClass } from '../core/api.exception.js';
import { categoryForStatus, isRetryableStatus } from '../core/http-status.mapping.js';
import { validationMessage } from '../domains/common.exceptions.js';
import { errorCatalog } from '../domains/error.catalog.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import {
  ERROR_FORMATS,
  type FormatOption,
  contentTypeOf,
  resolveFormat,
} from '../formats/format.registry.js';
import { type JsonValue, matchesSchema } from './json-shape.js';

/** The part of a supertest (or light-my-request) response `expectApiError` reads. */
export interface ResponseLike {
  status?: number;
  statusCode?: number;
  headers: Record<string, unknown>;
  text?: string;
  body?: unknown;
  payload?: string;
}

/**
 * What the error must be: a class, or a status with an optional code, message and category (by
 * default the catalog's category of the code, else the status's).
 */
export type ExpectedApiError =
  ApiExceptionClass | { status: number; code?: string; message?: string; category?: ErrorCategory };

export interface ExpectApiErrorOptions {
  /**
   * The format the app (or route) answers in. Default: recognized from the response (each
   * built-in format has a body shape and content type of its own).
   */
  format?: FormatOption;
  /** The request path the body must name (`path` / `instance`), without query string. */
  path?: string;
  /** Expected message, when the class's documented one was replaced or templated. */
  message?: string;
  /** The violations a validation failure must list; any list is accepted when absent. */
  details?: readonly FieldViolation[];
  /** `ErrorsModuleOptions.docsBaseUrl` of the app, for the `problem` format's `type`. */
  docsBaseUrl?: string;
}

function fail(problem: string, expected: unknown, actual: unknown): never {
  throw new AssertionError({
    message: `expectApiError: ${problem}\n  expected: ${JSON.stringify(expected)}\n  actual:   ${JSON.stringify(actual)}`,
    expected,
    actual,
    operator: 'expectApiError',
  });
}

/** What a body position depends on that the test does not know in advance. */
type Unknown = 'timestamp' | 'requestId' | 'path' | 'message' | 'details' | 'docsBaseUrl';

/**
 * Two values for each unknown: the expected body is rendered with each, and the positions that
 * change are the ones the unknown fills. The `details` pair differs in length, so a whole list
 * (or map) of violations is one position whatever its length.
 */
const SAMPLES: { [K in Unknown]: readonly [unknown, unknown] } = {
  timestamp: ['2000-01-01T00:00:00.000Z', '2000-01-02T00:00:00.000Z'],
  requestId: ['expect-api-error-a', 'expect-api-error-b'],
  path: ['/expect-api-error-a', '/expect-api-error-b'],
  message: ['expect-api-error message a', 'expect-api-error message b'],
  // The location changes too: some formats word the failure by where the input came from.
  details: [
    [{ path: 'a', message: 'a', location: 'body' }],
    [
      { path: 'b', message: 'b', location: 'query' },
      { path: 'c', message: 'c', location: 'query' },
    ],
  ],
  docsBaseUrl: [undefined, 'https://expect-api-error.invalid/errors'],
};

/** How a position filled by an unknown is checked in the actual body. */
const CHECKS: { [K in Unknown]: (value: unknown) => string | undefined } = {
  timestamp: (value) => {
    const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    return typeof value === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) &&
      Math.abs(Date.now() - time) <= 60_000
      ? undefined
      : 'is not an ISO time within a minute of now';
  },
  requestId: (value) => (typeof value === 'string' ? undefined : 'is not a request id'),
  path: (value) =>
    typeof value === 'string' && value.startsWith('/') && !/[?#]/.test(value)
      ? undefined
      : 'is not a request path without query string',
  message: (value) => (typeof value === 'string' ? undefined : 'is not a message'),
  details: () => undefined,
  docsBaseUrl: (value) => (typeof value === 'string' ? undefined : 'is not a string'),
};

interface Expectation {
  error: ApiError;
  /** Known parts of the context; the others are unknowns. */
  requestId: string | undefined;
  path: string | undefined;
  docsBaseUrl: string | undefined;
  unknowns: Unknown[];
}

function categoryOfCode(code: string | undefined, status: number): ErrorCategory {
  const entry =
    code === undefined ? undefined : errorCatalog().find((candidate) => candidate.code === code);
  return entry?.status === status ? entry.category : categoryForStatus(status);
}

function expectation(
  expected: ExpectedApiError,
  options: ExpectApiErrorOptions,
  requestId: string | undefined,
): Expectation {
  let status: number;
  let code: string | undefined;
  let message: string | undefined;
  let category: ErrorCategory;
  const details = options.details;
  if (typeof expected === 'function') {
    const { definition } = expected;
    ({ status, code, category } = definition);
    // A templated message, or a validation failure's (made from its violations), is not known
    // from the class alone.
    message =
      definition.fields.length === 0 && !isValidationFailure(definition)
        ? definition.message
        : undefined;
  } else {
    ({ status, code, message } = expected);
    category = expected.category ?? categoryOfCode(code, status);
  }
  const validation = isValidationFailure({ code });
  message =
    options.message ??
    message ??
    (validation && details !== undefined ? validationMessage(details) : undefined);
  const unknowns: Unknown[] = ['timestamp'];
  if (requestId === undefined) unknowns.push('requestId');
  if (options.path === undefined) unknowns.push('path');
  if (message === undefined) unknowns.push('message');
  if (validation && details === undefined) unknowns.push('details');
  if (options.docsBaseUrl === undefined) unknowns.push('docsBaseUrl');
  return {
    error: {
      status,
      code,
      message: message ?? '',
      category,
      details,
      retryable: isRetryableStatus(status),
      retryAfterSeconds: undefined,
      cause: undefined,
    },
    requestId,
    path: options.path,
    docsBaseUrl: options.docsBaseUrl,
    unknowns,
  };
}

/** The body `format` renders for the expectation, with each unknown at sample `pick(unknown)`. */
function render(format: ErrorFormat, want: Expectation, pick: (unknown: Unknown) => 0 | 1) {
  const sample = (unknown: Unknown) =>
    want.unknowns.includes(unknown) ? SAMPLES[unknown][pick(unknown)] : undefined;
  const error: ApiError = {
    ...want.error,
    message: (sample('message') as string | undefined) ?? want.error.message,
    details: (sample('details') as FieldViolation[] | undefined) ?? want.error.details,
  };
  return format.render(error, {
    requestId: (sample('requestId') as string | undefined) ?? want.requestId!,
    method: 'GET',
    path: (sample('path') as string | undefined) ?? want.path!,
    timestamp: sample('timestamp') as string,
    protocol: 'http',
    docsBaseUrl: (sample('docsBaseUrl') as string | undefined) ?? want.docsBaseUrl,
  }).body as JsonValue;
}

const isObject = (value: unknown): value is Record<string, JsonValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Positions (dot-paths) where two renderings differ; a list or object of another shape is one. */
function differences(a: JsonValue, b: JsonValue, path: string, into: Set<string>): void {
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, index) => differences(item, b[index]!, join(path, String(index)), into));
  } else if (isObject(a) && isObject(b) && sameKeys(a, b)) {
    for (const key of Object.keys(a)) differences(a[key]!, b[key]!, join(path, key), into);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    into.add(path);
  }
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
const sameKeys = (a: object, b: object) =>
  JSON.stringify(Object.keys(a)) === JSON.stringify(Object.keys(b));

/**
 * Compares the actual body with the expected one, position by position: values of the keys
 * both have first (the most telling difference), then missing and extra keys, then key order.
 * A position an unknown fills is checked by that unknown's rule instead.
 */
function compare(
  expected: JsonValue,
  actual: JsonValue,
  path: string,
  filledBy: ReadonlyMap<string, Unknown>,
): void {
  const unknown = filledBy.get(path);
  if (unknown !== undefined) {
    const problem = CHECKS[unknown](actual);
    if (problem !== undefined) fail(`${path || 'body'} ${problem}`, unknown, actual);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      fail(path || 'body', expected, actual);
    }
    expected.forEach((item, index) =>
      compare(item, (actual as JsonValue[])[index]!, join(path, String(index)), filledBy),
    );
    return;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) fail(path || 'body', expected, actual);
    for (const key of Object.keys(expected)) {
      if (key in actual) compare(expected[key]!, actual[key]!, join(path, key), filledBy);
    }
    const want = Object.keys(expected);
    const got = Object.keys(actual);
    if (want.some((key) => !(key in actual)) || got.some((key) => !(key in expected))) {
      fail(`${path || 'body'} keys`, want, got);
    }
    if (!sameKeys(expected, actual)) fail(`${path || 'body'} key order`, want, got);
    return;
  }
  if (expected !== actual) fail(path, expected, actual);
}

/**
 * The built-in format whose body shape this is (the shapes are distinct), else the one whose
 * shape it has once members it should not have are ignored: the comparison then names them.
 */
function recognize(body: JsonValue): ErrorFormat | undefined {
  const formats: ErrorFormat[] = Object.values(ERROR_FORMATS);
  return (
    formats.find((format) => matchesSchema(body, format.schema!)) ??
    formats.find((format) => matchesSchema(body, format.schema!, false))
  );
}

function bodyOf(response: ResponseLike): JsonValue {
  const text =
    response.text ??
    response.payload ??
    (response.body === undefined ? undefined : JSON.stringify(response.body));
  try {
    return JSON.parse(text ?? '') as JsonValue;
  } catch {
    return fail('body is not JSON', 'JSON', text);
  }
}

/**
 * Asserts that a supertest (or light-my-request) response is the given error: the status, the
 * format's content type, `Cache-Control: no-store`, and the whole body exactly as the format renders that error, key order
 * included. What a test cannot know in advance is checked by rule instead: the timestamp (ISO,
 * within a minute of now), the request id (the `X-Request-Id` header), the path (unless given),
 * a templated message and the violations (unless given). Throws an `AssertionError` naming the
 * first difference, with expected and actual.
 *
 * Without `options.format` the format is recognized from the response; with it, a body of
 * another built-in format fails with both names.
 *
 * @example
 * const response = await request(app.getHttpServer()).get('/api/v1/files/42');
 * expectApiError(response, EntryNotFoundException, { path: '/api/v1/files/42' });
 * expectApiError(response, { status: 404 }, { format: 'envelope' });
 */
export function expectApiError(
  response: ResponseLike,
  expected: ExpectedApiError,
  options: ExpectApiErrorOptions = {},
): void {
  const status = typeof expected === 'function' ? expected.definition.status : expected.status;
  if ((response.status ?? response.statusCode) !== status) {
    fail('status', status, response.status ?? response.statusCode);
  }
  const body = bodyOf(response);
  const contentType = response.headers['content-type'];
  const recognized = recognize(body);
  const format = options.format === undefined ? recognized : resolveFormat(options.format);
  if (format === undefined) {
    return fail(
      'format: the body is none of the built-in formats (pass options.format for your own)',
      Object.keys(ERROR_FORMATS),
      body,
    );
  }
  if (recognized !== undefined && recognized !== format) {
    fail(
      `format: expected ${withArticle(format.name)} body, received ${withArticle(recognized.name)} body`,
      format.name,
      recognized.name,
    );
  }
  if (contentType !== contentTypeOf(format)) {
    fail('content type', contentTypeOf(format), contentType);
  }
  if (response.headers['cache-control'] !== 'no-store') {
    fail('Cache-Control', 'no-store', response.headers['cache-control']);
  }
  const header = response.headers['x-request-id'];
  const want = expectation(expected, options, typeof header === 'string' ? header : undefined);
  const rendered = render(format, want, () => 0);
  const filledBy = new Map<string, Unknown>();
  for (const unknown of want.unknowns) {
    const positions = new Set<string>();
    differences(
      rendered,
      render(format, want, (each) => (each === unknown ? 1 : 0)),
      '',
      positions,
    );
    for (const position of positions) filledBy.set(position, unknown);
  }
  compare(rendered, body, '', filledBy);
}

/** `a traced`, `an envelope`: the article a format's name reads with. */
function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}
