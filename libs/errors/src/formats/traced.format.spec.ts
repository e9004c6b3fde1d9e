import { describe, expect, it } from 'vitest';
import { CONTEXT, ERRORS } from './format-fixtures.spec-helper.js';
import { tracedFormat } from './traced.format.js';

const render = (error: (typeof ERRORS)[keyof typeof ERRORS]) =>
  JSON.stringify(tracedFormat.render(error, CONTEXT).body);

describe('tracedFormat (reference-docs/002)', () => {
  it('wraps code (lower-case), message and trace_id in error', () => {
    expect(render(ERRORS.domain)).toBe(
      '{"error":{"code":"vault_entry_not_found","message":"Referenced file does not exist","trace_id":"req-7"}}',
    );
  });

  it('gives a generic error the code of its status', () => {
    expect(render(ERRORS.generic)).toBe(
      '{"error":{"code":"not_found","message":"Cannot GET /nope","trace_id":"req-7"}}',
    );
    expect(render(ERRORS.internal)).toBe(
      '{"error":{"code":"internal_error","message":"Internal server error","trace_id":"req-7"}}',
    );
  });

  it('maps validation details by dot-path, joining messages of one path with ", "', () => {
    expect(render(ERRORS.validation)).toBe(
      '{"error":{"code":"validation_error","message":"Request validation failed","trace_id":"req-7",' +
        '"details":{"events.0.type":"Invalid enum value, type is required","user/id":"bad"}}}',
    );
  });

  it('renders 429 as rate_limited', () => {
    expect(tracedFormat.render(ERRORS.rateLimited, CONTEXT)).toEqual({
      status: 429,
      body: { error: { code: 'rate_limited', message: 'Too many requests', trace_id: 'req-7' } },
    });
  });
});
