import { expect } from 'vitest';
import type { CapturingLogger } from './test-app.js';

/** The log entry of the error with this request id, which must exist. */
export function logEntryOf(logger: CapturingLogger, requestId: string) {
  const entry = logger.entries.find((candidate) =>
    candidate.message.includes(`requestId=${requestId}:`),
  );
  expect(entry, `no log line with requestId=${requestId}`).toBeDefined();
  return entry!;
}

/**
 * A 5xx is logged at error level, with the request id, the cause (`causeLine`, the first line of
 * its stack) and its stack.
 */
export function expectLoggedServerError(
  logger: CapturingLogger,
  line: string,
  requestId: string,
  causeLine: string,
) {
  const entry = logEntryOf(logger, requestId);
  expect(entry.level).toBe('error');
  expect(entry.message).toBe(`${line} requestId=${requestId}: Internal server error`);
  const stack = entry.params.map(String).join('\n');
  expect(stack).toContain(causeLine);
  expect(stack).toMatch(/\n {4}at /);
}
