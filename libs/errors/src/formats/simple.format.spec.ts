import { describe, expect, it } from 'vitest';
import { CONTEXT, ERRORS } from './format-fixtures.spec-helper.js';
import { simpleFormat } from './simple.format.js';

describe('simpleFormat (reference-docs/003)', () => {
  it.each([
    ['domain', ERRORS.domain, '{"error":"Referenced file does not exist"}'],
    ['generic', ERRORS.generic, '{"error":"Cannot GET /nope"}'],
    ['internal', ERRORS.internal, '{"error":"Internal server error"}'],
    ['validation: the first violation', ERRORS.validation, '{"error":"Invalid enum value"}'],
    ['rate limited', ERRORS.rateLimited, '{"error":"Too many requests"}'],
  ])('%s', (_, error, json) => {
    const rendered = simpleFormat.render(error, CONTEXT);
    expect(rendered.status).toBe(error.status);
    expect(JSON.stringify(rendered.body)).toBe(json);
  });
});
