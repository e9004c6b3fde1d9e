import type { ErrorFormat } from './error-format.interface.js';
import { envelopeFormat } from './envelope.format.js';
import { graphqlFormat } from './graphql.format.js';
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
  graphql: graphqlFormat,
} as const satisfies Record<string, ErrorFormat>;

/** Name of a built-in format. */
export type FormatName = keyof typeof ERROR_FORMATS;

/** A built-in format's name or a format object of your own. */
export type FormatOption = FormatName | ErrorFormat;

/** The format of an app, a reference and the CLI when none is named. */
export const DEFAULT_FORMAT: FormatName = 'timestamped';

/** Metadata key under which `UseErrorFormat` records a controller's or handler's format. */
export const ERROR_FORMAT_METADATA = 'nest-api-errors:format';

/** The format `UseErrorFormat` gives a handler: its own, else its controller's; undefined without. */
export function declaredFormat(handler: object, controller: object): ErrorFormat | undefined {
  return (Reflect.getMetadata(ERROR_FORMAT_METADATA, handler) ??
    Reflect.getMetadata(ERROR_FORMAT_METADATA, controller)) as ErrorFormat | undefined;
}

/** True when `name` names a built-in format. */
export function isFormatName(name: unknown): name is FormatName {
  return typeof name === 'string' && Object.hasOwn(ERROR_FORMATS, name);
}

/** The format object for a name or object; throws on an unknown name, at start-up. */
export function resolveFormat(format: FormatOption): ErrorFormat {
  if (typeof format !== 'string') {
    return format;
  }
  if (!isFormatName(format)) {
    throw new TypeError(
      `Unknown error format "${format}"; use one of ${Object.keys(ERROR_FORMATS).join(', ')} or an ErrorFormat object`,
    );
  }
  return ERROR_FORMATS[format];
}

const contentTypes = new WeakMap<ErrorFormat, string>();

/** `application/json` → `application/json; charset=utf-8`, computed once per format. */
export function contentTypeOf(format: ErrorFormat): string {
  let contentType = contentTypes.get(format);
  if (contentType === undefined) {
    contentType = `${format.contentType}; charset=utf-8`;
    contentTypes.set(format, contentType);
  }
  return contentType;
}

/** The body schema of a format: its own, or any object. */
export function schemaOf(format: ErrorFormat): Record<string, unknown> {
  return format.schema === undefined ? { type: 'object' } : { ...format.schema };
}
