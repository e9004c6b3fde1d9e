import type { ErrorFormat } from './error-format.interface.js';
import { envelopeFormat } from './envelope.format.js';
import { problemFormat } from './problem.format.js';
import { simpleFormat } from './simple.format.js';
import { timestampedFormat } from './timestamped.format.js';
import { tracedFormat } from './traced.format.js';

/** The built-in formats, by the names `ErrorsModuleOptions.format` and `UseErrorFormat` take. */
export const ERROR_FORMATS = {
  timestamped: timestampedFormat,
  traced: tracedFormat,
  simple: simpleFormat,
  envelope: envelopeFormat,
  problem: problemFormat,
} as const satisfies Record<string, ErrorFormat>;

/** Name of a built-in format. */
export type ErrorFormatName = keyof typeof ERROR_FORMATS;

/** A built-in format's name or a format object of your own. */
export type ErrorFormatOption = ErrorFormatName | ErrorFormat;

/** The format object for a name or object; throws on an unknown name, at start-up. */
export function resolveFormat(format: ErrorFormatOption): ErrorFormat {
  if (typeof format !== 'string') {
    return format;
  }
  const resolved: ErrorFormat | undefined = (ERROR_FORMATS as Record<string, ErrorFormat>)[format];
  if (resolved === undefined) {
    throw new TypeError(
      `Unknown error format "${format}"; use one of ${Object.keys(ERROR_FORMATS).join(', ')} or an ErrorFormat object`,
    );
  }
  return resolved;
}
