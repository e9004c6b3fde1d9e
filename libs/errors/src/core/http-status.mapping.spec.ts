import { describe, expect, it } from 'vitest';
import { GENERIC_STATUSES, genericCodeForStatus } from './http-status.mapping.js';

// DESIGN § Wire formats, "Generic codes by status", row by row (formats that always carry a code).
const DESIGN_TABLE: ReadonlyArray<[status: number, code: string]> = [
  [400, 'VALIDATION_ERROR'],
  [401, 'UNAUTHORIZED'],
  [403, 'FORBIDDEN'],
  [404, 'NOT_FOUND'],
  [405, 'METHOD_NOT_ALLOWED'],
  [409, 'CONFLICT'],
  [413, 'PAYLOAD_TOO_LARGE'],
  [408, 'REQUEST_TIMEOUT'],
  [414, 'URI_TOO_LONG'],
  [415, 'UNSUPPORTED_MEDIA_TYPE'],
  [417, 'EXPECTATION_FAILED'],
  [422, 'UNPROCESSABLE_ENTITY'],
  [429, 'RATE_LIMITED'],
  [431, 'REQUEST_HEADER_FIELDS_TOO_LARGE'],
  [503, 'SERVICE_UNAVAILABLE'],
];

describe('genericCodeForStatus (DESIGN § Wire formats)', () => {
  it.each(DESIGN_TABLE)('%i → %s', (status, code) => {
    expect(genericCodeForStatus(status)).toBe(code);
  });

  it.each([
    [500, 'INTERNAL_ERROR'],
    [502, 'INTERNAL_ERROR'],
    [504, 'INTERNAL_ERROR'],
    [402, 'BAD_REQUEST'],
    [410, 'BAD_REQUEST'],
    [418, 'BAD_REQUEST'],
  ])('other statuses: %i → %s', (status, code) => {
    expect(genericCodeForStatus(status)).toBe(code);
  });

  it('the documented statuses (error reference, generated types) are the table and 500', () => {
    expect([...GENERIC_STATUSES].sort((a, b) => a - b)).toEqual(
      [...DESIGN_TABLE.map(([status]) => status), 500].sort((a, b) => a - b),
    );
  });
});
