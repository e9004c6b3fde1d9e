import type { ApiError } from './api-error.interface.js';
import { ApiException, fillTemplate } from './api.exception.js';
import { MAX_TAG_LENGTH, pickLanguage } from './content-negotiation.js';

/** `messages`, compiled once: for each code, its message template per language. */
export type Translations = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * `{ de: { AGENT_NOT_FOUND: 'Agent nicht gefunden' } }` → code → language → template, with the
 * language tags lower-cased (`de-CH`). Undefined without messages, so an app without them pays
 * nothing per error. Throws at start-up on a template that is not a string, and on a tag longer
 * than MAX_TAG_LENGTH (35): requests are matched only against tags up to that length, which bounds
 * the work a client's `Accept-Language` can cause.
 */
export function compileTranslations(
  messages: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined,
): Translations | undefined {
  if (messages === undefined) {
    return undefined;
  }
  const byCode = new Map<string, Map<string, string>>();
  for (const [language, templates] of Object.entries(messages)) {
    const tag = language.trim().toLowerCase();
    if (!/^[a-z]{1,8}(-[a-z0-9]{1,8})*$/.test(tag)) {
      throw new TypeError(`ErrorsModule messages: "${language}" is not a language tag like 'de'`);
    }
    if (tag.length > MAX_TAG_LENGTH) {
      throw new TypeError(
        `ErrorsModule messages: "${language}" is longer than ${MAX_TAG_LENGTH} characters`,
      );
    }
    for (const [code, template] of Object.entries(templates)) {
      if (typeof template !== 'string') {
        throw new TypeError(`ErrorsModule messages: ${language}.${code} is not a string`);
      }
      let languages = byCode.get(code);
      if (languages === undefined) {
        languages = new Map();
        byCode.set(code, languages);
      }
      languages.set(tag, template);
    }
  }
  return byCode.size === 0 ? undefined : byCode;
}

/**
 * The error as the client's best language says it, and that language; or the error as it was,
 * and no language. Only a code's documented message is translated (with its template fields
 * filled): a message given at the throw site is the thrower's own words, and the code never
 * changes. Every language the client accepts is tried in its order until one has this code.
 */
export function translateError(
  error: ApiError,
  translations: Translations,
  acceptLanguage: string | undefined,
): { error: ApiError; language: string | undefined } {
  const templates = error.code === undefined ? undefined : translations.get(error.code);
  if (templates === undefined || acceptLanguage === undefined) {
    return { error, language: undefined };
  }
  const { cause } = error;
  const documented = cause instanceof ApiException ? cause : undefined;
  if (documented !== undefined && error.message !== documented.documentedMessage) {
    return { error, language: undefined };
  }
  const language = pickLanguage(acceptLanguage, templates);
  if (language === undefined) {
    return { error, language: undefined };
  }
  const message = fillTemplate(templates.get(language)!, documented?.templateValues ?? {});
  return { error: { ...error, message }, language };
}
