import { describe, expect, it } from 'vitest';
import type { ErrorContext } from '../core/api-error.interface.js';
import { CONTEXT, apiError } from './format-fixtures.spec-helper.js';
import { timestampedFormat } from './timestamped.format.js';

const context: ErrorContext = { ...CONTEXT, method: 'GET', path: '/api/v1/sessions/1' };
const error = apiError;

describe('timestampedFormat', () => {
  it('renders a domain error as reference-docs/000 documents it, key order included', () => {
    const rendered = timestampedFormat.render(
      error({ status: 400, code: 'INVALID_CLIENT', message: 'client_id is missing' }),
      context,
    );
    expect(rendered.status).toBe(400);
    expect(JSON.stringify(rendered.body)).toBe(
      '{"statusCode":400,"timestamp":"2026-02-17T09:18:05.040Z","path":"/api/v1/sessions/1","message":"client_id is missing","code":"INVALID_CLIENT"}',
    );
  });

  it('leaves code out of a generic HTTP error', () => {
    expect(JSON.stringify(timestampedFormat.render(error({}), context).body)).toBe(
      '{"statusCode":404,"timestamp":"2026-02-17T09:18:05.040Z","path":"/api/v1/sessions/1","message":"Not Found"}',
    );
  });

  it('leaves code out of a validation failure, whose message lists the violations', () => {
    const rendered = timestampedFormat.render(
      error({
        status: 400,
        code: 'VALIDATION_ERROR',
        message: 'Validation failed: items.0.name: name must be a string',
        details: [{ path: 'items.0.name', message: 'name must be a string' }],
      }),
      context,
    );
    expect(rendered.body).toEqual({
      statusCode: 400,
      timestamp: '2026-02-17T09:18:05.040Z',
      path: '/api/v1/sessions/1',
      message: 'Validation failed: items.0.name: name must be a string',
    });
  });

  it('is JSON with the documented content type', () => {
    expect(timestampedFormat.contentType).toBe('application/json');
  });
});
