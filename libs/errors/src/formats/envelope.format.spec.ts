import { describe, expect, it } from 'vitest';
import { envelopeFormat } from './envelope.format.js';
import { CONTEXT, ERRORS } from './format-fixtures.spec-helper.js';

describe('envelopeFormat (reference-docs/004)', () => {
  it.each([
    [
      'domain',
      ERRORS.domain,
      '{"error":{"message":"Referenced file does not exist","statusCode":404,"code":"VAULT_ENTRY_NOT_FOUND","category":"NOT_FOUND"}}',
    ],
    [
      'generic: the code of its status',
      ERRORS.generic,
      '{"error":{"message":"Cannot GET /nope","statusCode":404,"code":"NOT_FOUND","category":"NOT_FOUND"}}',
    ],
    [
      'internal',
      ERRORS.internal,
      '{"error":{"message":"Internal server error","statusCode":500,"code":"INTERNAL_ERROR","category":"INTERNAL"}}',
    ],
    [
      'validation of a body',
      ERRORS.validation,
      '{"error":{"message":"Invalid request body","statusCode":400,"code":"VALIDATION_ERROR","category":"VALIDATION",' +
        '"details":[{"path":"events.0.type","message":"Invalid enum value"},{"path":"events.0.type","message":"type is required"},{"path":"user/id","message":"bad"}]}}',
    ],
    [
      'validation of a query',
      ERRORS.queryValidation,
      '{"error":{"message":"Invalid query parameters","statusCode":400,"code":"VALIDATION_ERROR","category":"VALIDATION",' +
        '"details":[{"path":"limit","message":"limit must be an integer number"}]}}',
    ],
  ])('%s', (_, error, json) => {
    expect(JSON.stringify(envelopeFormat.render(error, CONTEXT).body)).toBe(json);
  });

  it('says "Invalid path parameters" for params', () => {
    const error = {
      ...ERRORS.queryValidation,
      details: [{ path: 'id', message: 'id must be a UUID', location: 'params' as const }],
    };
    expect(envelopeFormat.render(error, CONTEXT).body).toMatchObject({
      error: { message: 'Invalid path parameters' },
    });
  });
});
