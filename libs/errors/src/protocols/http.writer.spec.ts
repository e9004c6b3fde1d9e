import type { HttpServer } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { writeExpressError } from '../platforms/express.platform.js';
import { writeFastifyError } from '../platforms/fastify.platform.js';
import type { HttpErrorResponse } from '../platforms/http-response.js';
import { createHttpErrorWriter } from './http.writer.js';

const error: HttpErrorResponse = {
  status: 429,
  contentType: 'application/json; charset=utf-8',
  body: '{"statusCode":429}',
  requestIdHeader: 'x-request-id',
  requestId: 'req-1',
  retryAfterSeconds: 2.5,
  headers: { 'X-Extra': 'yes' },
};

function nodeResponse(headersSent = false) {
  return {
    headersSent,
    writableEnded: false,
    destroyed: false,
    statusCode: 200,
    headers: { 'retry-after-short': '9' } as Record<string, string>,
    setHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete this.headers[name.toLowerCase()];
    },
    end: vi.fn(),
  };
}

describe('writeExpressError', () => {
  it('sets status and the standard headers, keeps headers already set, and ends with the body', () => {
    const res = nodeResponse();
    expect(writeExpressError(res, error)).toBe('sent');
    expect(res.statusCode).toBe(429);
    expect(res.headers).toEqual({
      'retry-after-short': '9',
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-request-id': 'req-1',
      'retry-after': '3',
      'x-extra': 'yes',
      'content-length': 18,
    });
    expect(res.end).toHaveBeenCalledWith('{"statusCode":429}');
  });

  it('drops headers that described the body the handler meant to send', () => {
    const res = nodeResponse();
    res.setHeader('Content-Length', '10485760');
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('ETag', 'W/"1"');
    writeExpressError(res, error);
    // The handler's length is gone; the error body's own is sent instead of a chunked body.
    expect(res.headers['content-length']).toBe(18);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['retry-after-short']).toBe('9');
  });

  it('sends no Retry-After for a non-finite value', () => {
    const res = nodeResponse();
    writeExpressError(res, { ...error, retryAfterSeconds: Number.NaN });
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('only ends a response whose headers are already out', () => {
    const res = nodeResponse(true);
    expect(writeExpressError(res, error)).toBe('ended');
    expect(res.statusCode).toBe(200);
    expect(res.end).toHaveBeenCalledWith();
  });

  it('leaves Retry-After and the request id header alone when there are none', () => {
    const res = nodeResponse();
    writeExpressError(res, {
      ...error,
      retryAfterSeconds: undefined,
      requestIdHeader: undefined,
      headers: undefined,
    });
    expect(Object.keys(res.headers)).toEqual([
      'retry-after-short',
      'content-type',
      'cache-control',
      'content-length',
    ]);
  });
});

describe('writeFastifyError', () => {
  function reply(sent = false) {
    const raw = nodeResponse(sent);
    const calls: unknown[][] = [];
    const self = {
      sent,
      raw,
      code: (status: number) => (calls.push(['code', status]), self),
      header: (name: string, value: string) => (calls.push(['header', name, value]), self),
      removeHeader: () => self,
      getHeader: () => undefined,
      send: (payload: string) => (calls.push(['send', payload]), self),
    };
    return { self, calls, raw };
  }

  it('writes through the reply, so Fastify hooks still run', () => {
    const { self, calls } = reply();
    expect(writeFastifyError(self, error)).toBe('sent');
    // Fastify lower-cases header names itself: given lower-case, none is converted per error.
    expect(calls).toEqual([
      ['code', 429],
      ['header', 'content-type', 'application/json; charset=utf-8'],
      ['header', 'cache-control', 'no-store'],
      ['header', 'x-request-id', 'req-1'],
      ['header', 'Retry-After', '3'],
      ['header', 'X-Extra', 'yes'],
      ['send', '{"statusCode":429}'],
    ]);
  });

  it('only ends the raw response once the reply was sent', () => {
    const { self, calls, raw } = reply(true);
    expect(writeFastifyError(self, error)).toBe('ended');
    expect(calls).toEqual([]);
    expect(raw.end).toHaveBeenCalledWith();
  });
});

describe('createHttpErrorWriter', () => {
  function adapter(type: string, headersSent = false) {
    return {
      getType: () => type,
      isHeadersSent: vi.fn(() => headersSent),
      setHeader: vi.fn(),
      status: vi.fn(),
      end: vi.fn(),
    } as unknown as HttpServer & Record<string, ReturnType<typeof vi.fn>>;
  }

  it('picks the platform writer by adapter type', () => {
    expect(createHttpErrorWriter(adapter('express'))).toBe(writeExpressError);
    expect(createHttpErrorWriter(adapter('fastify'))).toBe(writeFastifyError);
  });

  it("uses only HttpServer's interface for any other platform", () => {
    const other = adapter('h3');
    expect(createHttpErrorWriter(other)({}, error)).toBe('sent');
    expect(other.status).toHaveBeenCalledWith({}, 429);
    expect(other.setHeader).toHaveBeenCalledWith({}, 'Cache-Control', 'no-store');
    expect(other.end).toHaveBeenCalledWith({}, '{"statusCode":429}');
    const started = adapter('h3', true);
    expect(createHttpErrorWriter(started)({}, error)).toBe('ended');
    expect(started.end).toHaveBeenCalledWith({});
  });
});
