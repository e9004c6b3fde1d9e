import { AxiosError, AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { httpClientErrors, retryAfterSeconds } from './http-client.mapper.js';
import { external, mapWith } from './mapper.spec-helper.js';

// Axios's real AxiosError as Axios builds it for a response; fetch and undici failures by the
// shape Node's fetch rejects with. All of them run for real against a local upstream in
// test/real-world-errors.e2e-spec.ts.

const map = (thrown: unknown) => mapWith(httpClientErrors(), thrown);

function axiosResponseError(status: number, headers: Record<string, string>): AxiosError {
  const config = {
    url: 'http://svc:pw@payments.internal/v1/charges?token=t0k',
    headers: new AxiosHeaders(),
  };
  return new AxiosError(
    `Request failed with status code ${status}`,
    status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
    config,
    {},
    { status, statusText: '', headers: new AxiosHeaders(headers), config, data: 'upstream secret' },
  );
}

describe('httpClientErrors', () => {
  it('an AxiosError is an ExternalServiceException; a 503 or 429 passes its Retry-After on', () => {
    expect(map(axiosResponseError(503, { 'Retry-After': '7' }))).toEqual({
      error: external(7),
      origin: 'AxiosError code=ERR_BAD_RESPONSE upstreamStatus=503',
    });
    expect(map(axiosResponseError(429, { 'retry-after': '30' })).error).toEqual(external(30));
    // Another status's Retry-After is not ours to pass on.
    expect(map(axiosResponseError(500, { 'Retry-After': '7' })).error).toEqual(external());
    expect(map(axiosResponseError(404, {})).error).toEqual(external());
    const refused = new AxiosError('connect ECONNREFUSED 10.0.0.5:443', 'ECONNREFUSED');
    expect(map(refused)).toEqual({ error: external(), origin: 'AxiosError code=ECONNREFUSED' });
  });

  it("fetch's TypeError: fetch failed, by its cause", () => {
    const cause = Object.assign(new Error('other side closed'), {
      name: 'SocketError',
      code: 'UND_ERR_SOCKET',
    });
    expect(map(new TypeError('fetch failed', { cause }))).toEqual({
      error: external(),
      origin: 'TypeError fetch=failed cause=SocketError code=UND_ERR_SOCKET',
    });
  });

  it("fetch's cause without a code of its own: an AggregateError's first code, a nested cause's", () => {
    // What Node's happy eyeballs reject with when every address of a host refuses: each error
    // names its address and port; versions before the aggregate copied the first code had none.
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}:3000`), {
        code: 'ECONNREFUSED',
        address,
        port: 3000,
      });
    const aggregate = new AggregateError([refused('::1'), refused('127.0.0.1')]);
    const mapped = map(new TypeError('fetch failed', { cause: aggregate }));
    expect(mapped).toEqual({
      error: external(),
      origin: 'TypeError fetch=failed cause=AggregateError code=ECONNREFUSED',
    });
    // An error of a code-less first address gives way to the first that has one.
    const unreachable = new AggregateError([new Error('boom'), refused('10.0.0.5')]);
    expect(map(new TypeError('fetch failed', { cause: unreachable })).origin).toBe(
      'TypeError fetch=failed cause=AggregateError code=ECONNREFUSED',
    );
    const wrapped = new Error('connect failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND payments.internal'), {
        code: 'ENOTFOUND',
        hostname: 'payments.internal',
      }),
    });
    expect(map(new TypeError('fetch failed', { cause: wrapped })).origin).toBe(
      'TypeError fetch=failed cause=Error code=ENOTFOUND',
    );
    // A cause that says nothing but its words (fetch's own `bad port`) is logged by name only.
    expect(map(new TypeError('fetch failed', { cause: new Error('bad port') })).origin).toBe(
      'TypeError fetch=failed cause=Error',
    );
  });

  it('an undici error thrown as it is, and the TimeoutError of AbortSignal.timeout()', () => {
    const undici = Object.assign(new Error('Headers Timeout Error'), {
      name: 'HeadersTimeoutError',
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    expect(map(undici)).toEqual({
      error: external(),
      origin: 'HeadersTimeoutError code=UND_ERR_HEADERS_TIMEOUT',
    });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(map(timeout)).toEqual({ error: external(), origin: 'DOMException TimeoutError' });
  });

  it('passes what it does not know', () => {
    for (const thrown of [
      new TypeError('Cannot read properties of undefined'),
      new DOMException('aborted', 'AbortError'),
      { isAxiosError: true },
      Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    ]) {
      expect(httpClientErrors()(thrown)).toBeUndefined();
    }
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-02-17T09:18:05.000Z');

  it('reads delay-seconds and an HTTP-date (rounded up, never negative)', () => {
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds(' 0 ', now)).toBe(0);
    expect(retryAfterSeconds(['5', '9'], now)).toBe(5);
    expect(retryAfterSeconds('Tue, 17 Feb 2026 09:18:35 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Tue, 17 Feb 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores anything else', () => {
    for (const value of [
      undefined,
      '',
      '-1',
      '1.5',
      '10 seconds',
      '9999999999',
      'tomorrow',
      {},
      'Tue, 17 Feb 2026 99:18:35 GMT',
    ]) {
      expect(retryAfterSeconds(value, now)).toBeUndefined();
    }
  });
});
