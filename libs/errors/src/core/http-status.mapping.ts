import { STATUS_CODES } from 'node:http';
import type { ErrorCategory } from './api-error.interface.js';

/** Message of every 500 whose real message must not reach the client. */
export const INTERNAL_SERVER_ERROR_MESSAGE = 'Internal server error';

/** True for an integer status a thrown error may answer with (400–599). */
export function isErrorStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
}

/** Category a status implies when a definition does not name one (README § Exceptions). */
export function categoryForStatus(status: number): ErrorCategory {
  switch (status) {
    case 401:
    case 403:
      return 'AUTH';
    case 404:
    case 410:
      return 'NOT_FOUND';
    case 409:
    case 412:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMIT';
    default:
      return status >= 500 ? 'INTERNAL' : 'VALIDATION';
  }
}

/** 429 and every 5xx are worth retrying; any other 4xx needs a changed request first. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Codes by status for errors that have none, in formats that always carry one. */
export const GENERIC_CODES: Readonly<Record<number, string>> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  417: 'EXPECTATION_FAILED',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMITED',
  431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

/** Every status with a generic code of its own, and 500 (whose code every other 5xx shares). */
export const GENERIC_STATUSES: readonly number[] = [...Object.keys(GENERIC_CODES).map(Number), 500];

/**
 * Code for an error that has none, in the formats that always carry one (README § Formats).
 */
export function genericCodeForStatus(status: number): string {
  return GENERIC_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

/** An error's own code, else the generic code of its status (formats that always carry one). */
export function errorCode(error: { readonly code?: string; readonly status: number }): string {
  return error.code ?? genericCodeForStatus(error.status);
}

/**
 * The only message a 5xx that is not a catalog error may show: `Internal server error` for 500,
 * the status text (`Service Unavailable`) for the others.
 */
export function serverErrorMessage(status: number): string {
  return status === 500
    ? INTERNAL_SERVER_ERROR_MESSAGE
    : (STATUS_CODES[status] ?? INTERNAL_SERVER_ERROR_MESSAGE);
}
