import { AssertionError } from 'node:assert';
import type { ApiExceptionClass } from '../core/api.exception.js';
import { categoryForStatus, genericCodeForStatus } from '../core/http-status.js';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import { type ErrorFormatOption, resolveFormat } from '../formats/error-formats.js';

/** The part of a supertest (or light-my-request) response `expectApiError` reads. */
export interface ResponseLike {
  status?: number;
  statusCode?: number;
  headers: Record<string, unknown>;
  text?: string;
  body?: unknown;
  payload?: string;
}

/** What the error must be: a class, or a status with an optional code and message. */
export type ExpectedApiError =
  ApiExceptionClass | { status: number; code?: string; message?: string };

export interface ExpectApiErrorOptions {
  /** The format the app (or route) answers in. Default `'timestamped'`. */
  format?: ErrorFormatOption;
  /** The request path the body must name (`path` / `instance`), without query string. */
  path?: string;
  /** Expected message, when the class's documented one was replaced or templated. */
  message?: string;
}

interface Expected {
  status: number;
  /** `undefined`: a generic error (no code, or the code of its status where a format needs one). */
  code: string | undefined;
  message: string | undefined;
}

function fail(problem: string, expected: unknown, actual: unknown): never {
  throw new AssertionError({
    message: `expectApiError: ${problem}\n  expected: ${JSON.stringify(expected)}\n  actual:   ${JSON.stringify(actual)}`,
    expected,
    actual,
    operator: 'expectApiError',
  });
}

function check(problem: string, expected: unknown, actual: unknown): void {
  if (expected !== actual) {
    fail(problem, expected, actual);
  }
}

function normalizeExpected(expected: ExpectedApiError, options: ExpectApiErrorOptions): Expected {
  if (typeof expected === 'function') {
    const { status, code, message, fields } = expected.definition;
    return {
      status,
      code,
      message: options.message ?? (fields.length === 0 ? message : undefined),
    };
  }
  return {
    status: expected.status,
    code: expected.code,
    message: options.message ?? expected.message,
  };
}

function checkTimestamp(value: unknown): void {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (
    !(typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) ||
    Math.abs(Date.now() - time) > 60_000
  ) {
    fail('timestamp is not an ISO time within a minute of now', new Date().toISOString(), value);
  }
}

type Body = Record<string, any>;

/**
 * Asserts that a supertest response is the given error in the given format: status, content type,
 * body shape, code, message, a timestamp within a minute, the path (when given), and a request id
 * that matches `X-Request-Id`. Throws an `AssertionError` that shows expected and actual.
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
  const format: ErrorFormat = resolveFormat(options.format ?? 'timestamped');
  const want = normalizeExpected(expected, options);
  const status = response.status ?? response.statusCode;
  check('status', want.status, status);
  check('content type', `${format.contentType}; charset=utf-8`, response.headers['content-type']);
  let body: Body;
  try {
    body = JSON.parse(response.text ?? response.payload ?? JSON.stringify(response.body)) as Body;
  } catch {
    return fail('body is not JSON', 'JSON', response.text ?? response.payload);
  }
  const requestId = response.headers['x-request-id'];
  const generic = genericCodeForStatus(want.status);
  const validation = want.code === 'VALIDATION_ERROR';
  switch (format.name) {
    case 'timestamped':
      check('statusCode', want.status, body.statusCode);
      checkTimestamp(body.timestamp);
      check('code', validation ? undefined : want.code, body.code);
      if (want.message !== undefined && !validation) check('message', want.message, body.message);
      if (options.path !== undefined) check('path', options.path, body.path);
      break;
    case 'traced':
      check('error.code', (want.code ?? generic).toLowerCase(), body.error?.code);
      check('error.trace_id (= X-Request-Id)', requestId, body.error?.trace_id);
      if (want.message !== undefined && !validation)
        check('error.message', want.message, body.error?.message);
      break;
    case 'simple':
      check('error is a string', 'string', typeof body.error);
      if (want.message !== undefined && !validation) check('error', want.message, body.error);
      break;
    case 'envelope':
      check('error.statusCode', want.status, body.error?.statusCode);
      check('error.code', want.code ?? generic, body.error?.code);
      if (typeof expected !== 'function')
        check('error.category', categoryForStatus(want.status), body.error?.category);
      if (want.message !== undefined && !validation)
        check('error.message', want.message, body.error?.message);
      break;
    case 'problem':
      check('status', want.status, body.status);
      check('code', want.code, body.code);
      check('requestId (= X-Request-Id)', requestId, body.requestId);
      if (want.message !== undefined && !validation) check('detail', want.message, body.detail);
      if (options.path !== undefined) check('instance', options.path, body.instance);
      break;
    default:
      // A custom format: status and content type are all that can be known.
      break;
  }
}
