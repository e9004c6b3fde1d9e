import { STATUS_CODES } from 'node:http';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import type { ErrorFormat, RenderedError } from './error-format.interface.js';
import { STATUS_SCHEMA, closedObject } from './format.schemas.js';

/** Body of the `problem` format (RFC 9457 `application/problem+json`). */
export interface ProblemDetailsBody {
  /** `<docsBaseUrl>#<CODE>` for a coded error when `docsBaseUrl` is set, `about:blank` otherwise. */
  type: string;
  /** The status text (`Not Found`): constant per type, as RFC 9457 asks. */
  title: string;
  status: number;
  detail: string;
  /** The request path, without its query string. */
  instance: string;
  code?: string;
  requestId: string;
  /** One entry per violation, on validation errors. */
  errors?: { detail: string; pointer: string }[];
}

/** `items.0.name` → `#/items/0/name` (RFC 6901 JSON Pointer in a URI fragment, `~` and `/` escaped). */
export function jsonPointer(path: string): string {
  if (path === '') {
    return '#';
  }
  let pointer = '#';
  for (const segment of path.split('.')) {
    pointer += `/${encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))}`;
  }
  return pointer;
}

/**
 * RFC 9457 problem details: `{type, title, status, detail, instance, code, requestId}`, with
 * `errors: [{detail, pointer}]` on validation failures. `type` links the code to your docs when
 * `docsBaseUrl` is set; a generic error (no code) is `about:blank`, as the RFC defines it.
 */
export const problemFormat: ErrorFormat = {
  name: 'problem',
  contentType: 'application/problem+json',
  schema: closedObject(['type', 'title', 'status', 'detail', 'instance', 'requestId'], {
    type: { type: 'string', format: 'uri-reference' },
    title: { type: 'string' },
    status: STATUS_SCHEMA,
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: closedObject(['detail', 'pointer'], {
        detail: { type: 'string' },
        pointer: { type: 'string' },
      }),
    },
  }),
  showsViolations: true,
  codePath: ['code'],
  carriesRequestId: true,
  render(error: ApiError, context: ErrorContext): RenderedError {
    const { code, details, status } = error;
    const type =
      code !== undefined && context.docsBaseUrl !== undefined
        ? `${context.docsBaseUrl}#${code}`
        : 'about:blank';
    const title = STATUS_CODES[status] ?? 'Error';
    const { path: instance, requestId } = context;
    // Two literals rather than optional assignment, to keep the documented key order.
    const body: ProblemDetailsBody =
      code === undefined
        ? { type, title, status, detail: error.message, instance, requestId }
        : { type, title, status, detail: error.message, instance, code, requestId };
    if (details !== undefined && details.length > 0) {
      body.errors = details.map((violation) => ({
        detail: violation.message,
        pointer: jsonPointer(violation.path),
      }));
    }
    return { status, body };
  },
};
