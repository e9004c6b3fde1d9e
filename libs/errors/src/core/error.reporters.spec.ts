import { describe, expect, it, vi } from 'vitest';
import type { ApiError, ErrorContext } from './api-error.interface.js';
import { compileReporters, reportError } from './error.reporters.js';

const http: ErrorContext = {
  requestId: 'req-3',
  method: 'GET',
  path: '/files/1',
  timestamp: '2026-02-17T09:18:05.040Z',
  protocol: 'http',
  docsBaseUrl: undefined,
};
const background: ErrorContext = {
  ...http,
  method: 'EVENT',
  path: 'order.created',
  protocol: 'background',
};

function apiError(status: number): ApiError {
  return {
    status,
    code: undefined,
    message: 'x',
    category: status >= 500 ? 'INTERNAL' : 'NOT_FOUND',
    details: undefined,
    retryable: false,
    retryAfterSeconds: undefined,
    cause: undefined,
  };
}

describe('reportError', () => {
  it('tells every reporter of a 5xx, and of a 4xx only those that ask for client errors', () => {
    const serverOnly = vi.fn();
    const all = vi.fn();
    const reporters = compileReporters([serverOnly, { report: all, clientErrors: true }])!;
    reportError(reporters, apiError(500), http, 'a', () => undefined);
    reportError(reporters, apiError(404), http, 'b', () => undefined);
    expect(serverOnly.mock.calls.map(([, , thrown]) => thrown)).toEqual(['a']);
    expect(all.mock.calls.map(([, , thrown]) => thrown)).toEqual(['a', 'b']);
  });

  it('tells every reporter of any error outside a request, a 4xx included', () => {
    const serverOnly = vi.fn();
    reportError(compileReporters([serverOnly])!, apiError(404), background, 'c', () => undefined);
    expect(serverOnly).toHaveBeenCalledWith(apiError(404), background, 'c');
  });
});
