import { randomUUID } from 'node:crypto';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { isoTimestamp } from '../core/error-context.factory.js';
import { INTERNAL_SERVER_ERROR_MESSAGE } from '../core/http-status.mapping.js';
import type { ErrorOutput } from './error-writer.interface.js';

/** The body sent when the pipeline itself fails: nothing of the error, just the status. */
const FALLBACK_BODY = Object.freeze({ statusCode: 500, message: INTERNAL_SERVER_ERROR_MESSAGE });
const FALLBACK_TEXT = JSON.stringify(FALLBACK_BODY);
const FALLBACK_CONTENT_TYPE = 'application/json; charset=utf-8';

const INTERNAL_ERROR: ApiError = Object.freeze({
  status: 500,
  code: undefined,
  message: INTERNAL_SERVER_ERROR_MESSAGE,
  category: 'INTERNAL',
  details: undefined,
  retryable: true,
  retryAfterSeconds: undefined,
  cause: undefined,
});

/**
 * The one fallback: what leaves when a format throws, a body cannot be serialized, or any step of
 * the pipeline fails. A bare 500 that says nothing of the error, in plain JSON.
 */
export function fallbackOutput(context: ErrorContext | undefined): ErrorOutput {
  return {
    error: INTERNAL_ERROR,
    context: context ?? {
      requestId: randomUUID(),
      method: 'GET',
      path: '/',
      timestamp: isoTimestamp(),
      protocol: 'http',
      docsBaseUrl: undefined,
    },
    format: undefined,
    status: 500,
    contentType: FALLBACK_CONTENT_TYPE,
    body: FALLBACK_BODY,
    text: FALLBACK_TEXT,
    headers: undefined,
    vary: undefined,
    challenge: undefined,
  };
}

/**
 * The body a message-based client receives (a WebSocket `exception` event, an SSE `error` event):
 * the format's body plus `requestId` when the format carries no id of its own, because such a
 * client cannot read the response headers an HTTP client finds it in.
 */
export function bodyWithRequestId(output: ErrorOutput): unknown {
  const { body, format, context } = output;
  return format?.carriesRequestId === true ||
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body)
    ? body
    : { ...body, requestId: context.requestId };
}
