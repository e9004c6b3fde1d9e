import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { EntryNotFoundException } from '../domains/vault-files.exceptions.js';
import { expectApiError } from './expect-api-error.js';

const now = () => new Date().toISOString();
const timestamped = (
  overrides: Record<string, unknown> = {},
  headers: Record<string, unknown> = {},
) => ({
  status: 404,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-request-id': 'r-1',
    ...headers,
  },
  text: JSON.stringify({
    statusCode: 404,
    timestamp: now(),
    path: '/files/1',
    message: 'Requested file entry does not exist',
    code: 'ENTRY_NOT_FOUND',
    ...overrides,
  }),
});

describe('expectApiError', () => {
  it('passes for the right error, by class or by status and code', () => {
    expectApiError(timestamped(), EntryNotFoundException, { path: '/files/1' });
    expectApiError(timestamped(), { status: 404, code: 'ENTRY_NOT_FOUND' });
  });

  it.each([
    ['status', { status: 400 }, 'status'],
    ['code', { status: 404, code: 'OTHER' }, 'code'],
    ['message', { status: 404, code: 'ENTRY_NOT_FOUND', message: 'Gone' }, 'message'],
  ])('fails on a wrong %s, showing expected and actual', (_, expected, problem) => {
    expect(() => expectApiError(timestamped(), expected)).toThrow(AssertionError);
    expect(() => expectApiError(timestamped(), expected)).toThrow(
      new RegExp(`expectApiError: ${problem}\\n  expected: .*\\n  actual: `),
    );
  });

  it('fails on a stale timestamp, a wrong path or content type', () => {
    expect(() =>
      expectApiError(
        timestamped({ timestamp: '2020-01-01T00:00:00.000Z' }),
        EntryNotFoundException,
      ),
    ).toThrow(/timestamp/);
    expect(() => expectApiError(timestamped(), EntryNotFoundException, { path: '/other' })).toThrow(
      /path/,
    );
    expect(() =>
      expectApiError(timestamped({}, { 'content-type': 'text/html' }), EntryNotFoundException),
    ).toThrow(/content type/);
  });

  it('checks each format by its own shape', () => {
    const response = (contentType: string, body: unknown) => ({
      status: 404,
      headers: { 'content-type': contentType, 'cache-control': 'no-store', 'x-request-id': 'r-1' },
      text: JSON.stringify(body),
    });
    expectApiError(
      response('application/json; charset=utf-8', {
        error: {
          code: 'entry_not_found',
          message: 'Requested file entry does not exist',
          trace_id: 'r-1',
        },
      }),
      EntryNotFoundException,
      { format: 'traced' },
    );
    expectApiError(
      response('application/json; charset=utf-8', { error: 'Requested file entry does not exist' }),
      EntryNotFoundException,
      {
        format: 'simple',
      },
    );
    expectApiError(
      response('application/json; charset=utf-8', {
        error: { message: 'Not Found', statusCode: 404, code: 'NOT_FOUND', category: 'NOT_FOUND' },
      }),
      { status: 404 },
      { format: 'envelope' },
    );
    expect(() =>
      expectApiError(
        response('application/problem+json; charset=utf-8', {
          status: 404,
          code: 'ENTRY_NOT_FOUND',
          requestId: 'other',
          detail: 'x',
        }),
        { status: 404, code: 'ENTRY_NOT_FOUND' },
        { format: 'problem' },
      ),
    ).toThrow(/requestId/);
  });

  it('recognizes the format from the response when none is given', () => {
    const problem = {
      status: 404,
      headers: {
        'content-type': 'application/problem+json; charset=utf-8',
        'cache-control': 'no-store',
        'x-request-id': 'r-1',
      },
      text: JSON.stringify({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Requested file entry does not exist',
        instance: '/files/1',
        code: 'ENTRY_NOT_FOUND',
        requestId: 'r-1',
      }),
    };
    expectApiError(problem, EntryNotFoundException, { path: '/files/1' });
  });

  it('names both formats when the body is another one than expected', () => {
    expect(() =>
      expectApiError(timestamped(), EntryNotFoundException, { format: 'problem' }),
    ).toThrow(/format: expected a problem body, received a timestamped body/);
  });

  it('compares the whole body: an extra member fails', () => {
    expect(() => expectApiError(timestamped({ stack: 'at x' }), EntryNotFoundException)).toThrow(
      /expectApiError: body keys/,
    );
    expect(() => expectApiError(timestamped(), EntryNotFoundException)).not.toThrow();
  });

  it('checks the violations of a validation failure when given, in any format', () => {
    const envelope = {
      status: 400,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-request-id': 'r-1',
      },
      text: JSON.stringify({
        error: {
          message: 'Invalid query parameters',
          statusCode: 400,
          code: 'VALIDATION_ERROR',
          category: 'VALIDATION',
          details: [{ path: 'limit', message: 'limit must be an integer number' }],
        },
      }),
    };
    expectApiError(envelope, { status: 400, code: 'VALIDATION_ERROR' });
    expectApiError(
      envelope,
      { status: 400, code: 'VALIDATION_ERROR' },
      {
        details: [{ path: 'limit', message: 'limit must be an integer number', location: 'query' }],
      },
    );
    expect(() =>
      expectApiError(
        envelope,
        { status: 400, code: 'VALIDATION_ERROR' },
        { details: [{ path: 'limit', message: 'other', location: 'query' }] },
      ),
    ).toThrow(/error\.details\.0\.message/);
  });
});
