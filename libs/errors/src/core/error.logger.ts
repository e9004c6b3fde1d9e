import { type LogLevel, Logger, type LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';
import type { ApiError, ErrorContext } from './api-error.interface.js';
import { isServerSideError } from './api-error.predicates.js';
import { mappedErrorRecord, stackFrames } from './error.mapping.js';

/** Logging after defaults are applied (see `ErrorsModuleOptions.logging`). */
export interface LoggingSettings {
  serverErrors: LogLevel | false;
  clientErrors: LogLevel | false;
}

function isLevelEnabled(level: LogLevel): boolean {
  try {
    return Logger.isLevelEnabled(level);
  } catch {
    return true;
  }
}

/**
 * A readable account of any thrown value for the log: an Error's stack (and its cause's), or an
 * inspection of anything else. A mapper's replacement is followed by what it replaced as its
 * mapper described it, and where that was thrown, but never by its message (see
 * `MappedErrorNote.origin`). Never throws, whatever the value does.
 */
export function describeThrown(value: unknown, seen: Set<unknown> = new Set()): string {
  try {
    if (value instanceof Error) {
      seen.add(value);
      const own =
        typeof value.stack === 'string' && value.stack !== ''
          ? value.stack
          : `${value.name}: ${value.message}`;
      const mapped = mappedErrorRecord(value);
      if (mapped !== undefined) {
        return `${own}\nCaused by: ${mapped.origin}${stackFrames(mapped.original)}`;
      }
      const { cause } = value;
      if (cause === undefined) {
        return own;
      }
      // A cause chain can loop (e.cause = e) or run deep: five links are enough for a log.
      return seen.has(cause) || seen.size >= 5
        ? `${own}\nCaused by: (further causes omitted)`
        : `${own}\nCaused by: ${describeThrown(cause, seen)}`;
    }
    return `Non-error value thrown: ${inspect(value, { depth: 2, breakLength: Infinity })}`;
  } catch {
    return 'Non-error value thrown (it could not be described)';
  }
}

/**
 * Step 4 of the pipeline: a 5xx is logged with the thrown value's stack and the request id (the
 * only place its real message goes); a 4xx is one line at `clientErrors` level, off by default
 * in production log levels. A mapped error's line ends with what it was mapped from. Outside a
 * request every error is logged as a 5xx is: no client made a mistake there, and the log is the
 * only place it shows.
 */
export function logApiError(
  logger: LoggerService,
  error: ApiError,
  context: ErrorContext,
  settings: LoggingSettings,
): void {
  const serverError = isServerSideError(error, context);
  const level = serverError ? settings.serverErrors : settings.clientErrors;
  // Checked before the line is built: a 4xx at a level the app's logger leaves out costs nothing.
  if (level === false || !isLevelEnabled(level)) {
    return;
  }
  const mapped = mappedErrorRecord(error.cause);
  const line = `${context.method} ${context.path} ${error.status}${error.code === undefined ? '' : ` ${error.code}`} requestId=${context.requestId}: ${error.message}${mapped === undefined ? '' : ` (mapped from ${mapped.origin})`}`;
  const log = logger[level]?.bind(logger) ?? logger.log.bind(logger);
  if (!serverError) {
    log(line);
  } else if (level === 'error' || level === 'fatal') {
    log(line, describeThrown(error.cause));
  } else {
    log(`${line}\n${describeThrown(error.cause)}`);
  }
}
