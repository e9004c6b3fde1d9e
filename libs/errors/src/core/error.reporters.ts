import type { ApiError, ErrorContext } from './api-error.interface.js';
import { isServerSideError } from './api-error.predicates.js';

/**
 * Told about an error after its response was written: a 5xx by default (send it to Sentry, a
 * pager, a queue). A reporter that throws or rejects is logged once and never affects the
 * response.
 */
export type ErrorReportFunction = (
  error: ApiError,
  context: ErrorContext,
  thrown: unknown,
) => void | Promise<void>;

/** A reporter, or one that also wants 4xx errors: `{ report, clientErrors: true }`. */
export type ErrorReporter =
  ErrorReportFunction | { report: ErrorReportFunction; clientErrors?: boolean };

/** A reporter after defaults are applied. */
export interface ReporterSettings {
  report: ErrorReportFunction;
  clientErrors: boolean;
  /** Its first failure was logged: later ones are not, so a broken reporter cannot flood the log. */
  failed: boolean;
}

/** `reporters` with defaults applied; undefined without any, so an app pays nothing per error. */
export function compileReporters(
  reporters: readonly ErrorReporter[] | undefined,
): ReporterSettings[] | undefined {
  if (reporters === undefined || reporters.length === 0) {
    return undefined;
  }
  return reporters.map((reporter) => {
    const report = typeof reporter === 'function' ? reporter : reporter?.report;
    if (typeof report !== 'function') {
      throw new TypeError('ErrorsModule reporters: each is a function or { report: function }');
    }
    return {
      report,
      clientErrors: typeof reporter === 'object' && reporter.clientErrors === true,
      failed: false,
    };
  });
}

/**
 * Calls each reporter that wants this error (every reporter wants a 5xx, and any error outside a
 * request). Never throws: a failure (thrown or rejected) goes to
 * `onFirstFailure` the first time that reporter fails.
 */
export function reportError(
  reporters: readonly ReporterSettings[],
  error: ApiError,
  context: ErrorContext,
  thrown: unknown,
  onFirstFailure: (failure: unknown) => void,
): void {
  const serverError = isServerSideError(error, context);
  for (const reporter of reporters) {
    if (!serverError && !reporter.clientErrors) {
      continue;
    }
    const failed = (failure: unknown) => {
      if (!reporter.failed) {
        reporter.failed = true;
        onFirstFailure(failure);
      }
    };
    try {
      const result = reporter.report(error, context, thrown);
      if (typeof (result as Promise<void> | undefined)?.then === 'function') {
        (result as Promise<void>).then(undefined, failed);
      }
    } catch (failure) {
      failed(failure);
    }
  }
}
