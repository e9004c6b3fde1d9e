import type { ErrorFormat } from '../formats/error-format.interface.js';
import { resolveFormat } from '../formats/error-formats.js';
import type { RequestIdSettings } from './error-context.js';
import type { LoggingSettings } from './error-logger.js';
import { DEFAULT_REQUEST_ID_HEADER } from './errors.constants.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';
import type { NormalizeOptions } from './normalize.js';

/** The module options with every default applied, computed once at start-up. */
export interface ErrorsSettings {
  format: ErrorFormat;
  normalize: NormalizeOptions;
  requestId: RequestIdSettings;
  logging: LoggingSettings;
  docsBaseUrl: string | undefined;
}

/** Applies the defaults documented on `ErrorsModuleOptions`; throws on an unknown format name. */
export function resolveErrorsSettings(options: ErrorsModuleOptions = {}): ErrorsSettings {
  const requestId = options.requestId === false ? undefined : (options.requestId ?? {});
  return {
    format: resolveFormat(options.format ?? 'timestamped'),
    normalize: { exposeInternalErrors: options.exposeInternalErrors ?? false },
    requestId: {
      enabled: requestId !== undefined,
      header: (requestId?.header ?? DEFAULT_REQUEST_ID_HEADER).toLowerCase(),
      generate: requestId?.generate,
      trustIncoming: requestId?.trustIncoming ?? true,
    },
    logging: {
      serverErrors: options.logging?.serverErrors ?? 'error',
      clientErrors: options.logging?.clientErrors ?? 'debug',
    },
    docsBaseUrl: options.docsBaseUrl,
  };
}

/** `application/json` → `application/json; charset=utf-8`, once per format. */
const contentTypes = new WeakMap<ErrorFormat, string>();
export function contentTypeOf(format: ErrorFormat): string {
  let contentType = contentTypes.get(format);
  if (contentType === undefined) {
    contentType = `${format.contentType}; charset=utf-8`;
    contentTypes.set(format, contentType);
  }
  return contentType;
}
