import {
  type ErrorMapper,
  errorMapper,
  recordOf,
  identifier,
  originLine,
} from '../core/error.mapping.js';
import { externalServiceFailure } from './mapped-error.factory.js';

// The errors of a call to another service: Axios's `AxiosError` (`isAxiosError: true`, also
// what `@nestjs/axios`'s HttpService emits), `fetch`'s `TypeError: fetch failed` (its `cause`
// says why: Node's ECONNREFUSED, an undici error), undici's own errors (`code` UND_ERR_*), and
// the `TimeoutError` a fetch given `AbortSignal.timeout()` rejects with. Each carries the
// upstream's URL (Axios: its whole request config, headers and credentials included): only
// names, codes and the upstream's status are read.

/** Upstream statuses whose `Retry-After` is passed on: the caller may retry after that long. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * Seconds from a `Retry-After` value (RFC 9110 § 10.2.3: delay-seconds or an HTTP-date),
 * relative to `now`; undefined when it is neither.
 */
export function retryAfterSeconds(value: unknown, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' && typeof text !== 'number') {
    return undefined;
  }
  const trimmed = String(text).trim();
  if (/^\d{1,9}$/.test(trimmed)) {
    return Number(trimmed);
  }
  // An IMF-fixdate such as `Wed, 21 Oct 2026 07:28:00 GMT`; nothing else is a date here.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) {
    return undefined;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** A header of an Axios response: `AxiosHeaders#get`, or a plain object. */
function headerOf(headers: unknown, name: string): unknown {
  const record = recordOf(headers);
  if (typeof record.get === 'function') {
    try {
      return (record.get as (key: string) => unknown).call(headers, name);
    } catch {
      return undefined;
    }
  }
  return record[name];
}

/** An `AxiosError`: its code, its upstream's status, and that status's `Retry-After`. */
function fromAxios(error: Error): unknown {
  const { code, response } = error as { code?: unknown; response?: unknown };
  const { status, headers } = recordOf(response);
  const upstreamStatus = typeof status === 'number' ? status : undefined;
  const retryAfter =
    upstreamStatus !== undefined && RETRY_AFTER_STATUSES.has(upstreamStatus)
      ? retryAfterSeconds(headerOf(headers, 'retry-after'))
      : undefined;
  return externalServiceFailure(
    error,
    originLine('AxiosError', { code: code as string | undefined, upstreamStatus }),
    retryAfter,
  );
}

/** How deep `causeCode` looks: Node's and undici's errors nest two levels at most. */
const CAUSE_DEPTH = 3;

/**
 * The code of what made a fetch fail, as Axios's line carries its own: the cause's (Node's
 * `ECONNREFUSED`, `ENOTFOUND`, undici's `UND_ERR_CONNECT_TIMEOUT`), else the first code of an
 * `AggregateError`'s errors (each address of a host refused, `errors[0]` the first tried), else
 * its own cause's. Only codes: a message names the host and port.
 */
function causeCode(cause: unknown, depth = 0): string | undefined {
  const { code, errors, cause: inner } = recordOf(cause);
  const own = identifier(code);
  if (own !== undefined || depth === CAUSE_DEPTH) {
    return own;
  }
  if (Array.isArray(errors)) {
    for (const each of errors.slice(0, 8)) {
      const found = causeCode(each, depth + 1);
      if (found !== undefined) {
        return found;
      }
    }
  }
  return inner === undefined ? undefined : causeCode(inner, depth + 1);
}

/** `fetch failed`, and what its cause (Node's or undici's error) says by name and code. */
function fromFetch(error: Error): unknown {
  const cause = error.cause;
  return externalServiceFailure(
    error,
    originLine('TypeError', {
      fetch: 'failed',
      cause: cause instanceof Error ? (identifier(cause.name) ?? 'Error') : undefined,
      code: causeCode(cause),
    }),
    undefined,
  );
}

/**
 * A failed call to another service → `ExternalServiceException` (500 `EXTERNAL_SERVICE_ERROR`,
 * retryable), with the upstream's `Retry-After` when it answered 429 or 503 with one. The log
 * line names the error, its code and the upstream's status; the URL, host, headers and body of
 * the call go nowhere.
 */
function mapHttpClientError(thrown: Error): unknown {
  const { isAxiosError, code } = thrown as { isAxiosError?: unknown; code?: unknown };
  if (isAxiosError === true) {
    return fromAxios(thrown);
  }
  if (thrown instanceof TypeError && thrown.message === 'fetch failed') {
    return fromFetch(thrown);
  }
  if (typeof code === 'string' && code.startsWith('UND_ERR_')) {
    return externalServiceFailure(thrown, originLine(thrown.name, { code }), undefined);
  }
  if (thrown.name === 'TimeoutError' && thrown instanceof DOMException) {
    return externalServiceFailure(thrown, 'DOMException TimeoutError', undefined);
  }
  return undefined;
}

/**
 * The mapper for failed calls to other services, recognized by their documented shape: Axios's
 * `AxiosError` (also through `@nestjs/axios`'s `HttpService`), `fetch`'s `TypeError: fetch
 * failed` (refused, reset, DNS, undici timeouts), undici's errors, and the `TimeoutError` of
 * `AbortSignal.timeout()` → `ExternalServiceException` (500 `EXTERNAL_SERVICE_ERROR`, category
 * `EXTERNAL_SERVICE`, retryable). An upstream 429 or 503 with `Retry-After` passes it on. Part of
 * `defaultErrorMappers`.
 */
export function httpClientErrors(): ErrorMapper {
  return errorMapper(mapHttpClientError);
}
