import { describe, expect, it } from 'vitest';
import { CONTEXT, ERRORS } from './format-fixtures.spec-helper.js';
import { jsonPointer, problemFormat } from './problem.format.js';

const withDocs = { ...CONTEXT, docsBaseUrl: 'https://docs.example.com/errors' };

describe('problemFormat (RFC 9457)', () => {
  it('is application/problem+json', () => {
    expect(problemFormat.contentType).toBe('application/problem+json');
  });

  it('links a coded error to the docs, in the documented key order', () => {
    expect(JSON.stringify(problemFormat.render(ERRORS.domain, withDocs).body)).toBe(
      '{"type":"https://docs.example.com/errors#VAULT_ENTRY_NOT_FOUND","title":"Not Found","status":404,' +
        '"detail":"Referenced file does not exist","instance":"/api/sdk/events","code":"VAULT_ENTRY_NOT_FOUND","requestId":"req-7"}',
    );
  });

  it('uses about:blank without docsBaseUrl, and for a generic error (no code)', () => {
    expect(problemFormat.render(ERRORS.domain, CONTEXT).body).toMatchObject({
      type: 'about:blank',
    });
    expect(JSON.stringify(problemFormat.render(ERRORS.generic, withDocs).body)).toBe(
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"Cannot GET /nope","instance":"/api/sdk/events","requestId":"req-7"}',
    );
  });

  it('lists validation failures as errors with JSON pointers', () => {
    expect(problemFormat.render(ERRORS.validation, CONTEXT).body).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail:
        'Validation failed: events.0.type: Invalid enum value, events.0.type: type is required, user/id: bad',
      instance: '/api/sdk/events',
      code: 'VALIDATION_ERROR',
      requestId: 'req-7',
      errors: [
        { detail: 'Invalid enum value', pointer: '#/events/0/type' },
        { detail: 'type is required', pointer: '#/events/0/type' },
        { detail: 'bad', pointer: '#/user~1id' },
      ],
    });
  });
});

describe('jsonPointer', () => {
  it.each([
    ['items.0.name', '#/items/0/name'],
    ['', '#'],
    ['a~b', '#/a~0b'],
    ['a b', '#/a%20b'],
  ])('%s → %s', (path, pointer) => {
    expect(jsonPointer(path)).toBe(pointer);
  });
});
