import { UnauthorizedException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../core/api-error.interface.js';
import { RateLimitedException } from '../domains/common.exceptions.js';
import { EntryNotFoundException } from '../domains/vault-files.exceptions.js';
import { ApiErrors } from './api-errors.decorator.js';
import { declaredErrorsOf, undeclaredErrorWarning } from './declared-errors.js';

@ApiErrors(RateLimitedException)
class FilesController {
  @ApiErrors(EntryNotFoundException, UnauthorizedException)
  get() {}

  plain() {}
}

const error = (status: number, code?: string) => ({ status, code }) as ApiError;

describe('declared errors', () => {
  it("collects the codes and Nest exceptions' statuses of the handler and its controller", () => {
    const declared = declaredErrorsOf(FilesController.prototype.get, FilesController);
    expect([...declared.codes]).toEqual(['ENTRY_NOT_FOUND', 'RATE_LIMITED']);
    expect([...declared.statuses]).toEqual([401]);
    const plain = declaredErrorsOf(FilesController.prototype.plain, FilesController);
    expect([[...plain.codes], [...plain.statuses]]).toEqual([['RATE_LIMITED'], []]);
    expect(declaredErrorsOf(() => undefined, class {}).codes.size).toBe(0);
  });

  it('warns once per route and code; a generic error is matched by its status', () => {
    const declared = declaredErrorsOf(FilesController.prototype.get, FilesController);
    const route = 'GET /files/:id';
    expect(undeclaredErrorWarning(declared, error(404, 'ENTRY_NOT_FOUND'), route)).toBeUndefined();
    expect(undeclaredErrorWarning(declared, error(429, 'RATE_LIMITED'), route)).toBeUndefined();
    expect(undeclaredErrorWarning(declared, error(401), route)).toBeUndefined();
    expect(undeclaredErrorWarning(declared, error(423, 'ENTRY_LOCKED'), route)).toBe(
      'GET /files/:id answered ENTRY_LOCKED, which its @ApiErrors does not declare',
    );
    expect(undeclaredErrorWarning(declared, error(423, 'ENTRY_LOCKED'), route)).toBeUndefined();
    expect(undeclaredErrorWarning(declared, error(423, 'ENTRY_LOCKED'), 'GET /files/:id/raw')).toBe(
      'GET /files/:id/raw answered ENTRY_LOCKED, which its @ApiErrors does not declare',
    );
    // A 404 without a code is not the typed ENTRY_NOT_FOUND a client was told about.
    expect(undeclaredErrorWarning(declared, error(404), route)).toBe(
      'GET /files/:id answered 404 without a code, which its @ApiErrors does not declare (declare the Nest exception of status 404)',
    );
    expect(undeclaredErrorWarning(declared, error(404), route)).toBeUndefined();
  });
});
