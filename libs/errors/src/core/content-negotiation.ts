/** One entry of an `Accept` or `Accept-Language` header, lower-cased, with its weight. */
interface Preference {
  value: string;
  q: number;
}

/** At most this many entries are read: a header of thousands costs no more than a short one. */
const MAX_ENTRIES = 32;

/**
 * `text/html;q=0.9, application/problem+json` → entries with their `q` (default 1), in order.
 * Malformed weights count as 0: a client that cannot say what it wants gets the default.
 */
function preferences(header: string | undefined): Preference[] {
  if (header === undefined || header === '') {
    return [];
  }
  const entries: Preference[] = [];
  for (const part of header.split(',', MAX_ENTRIES)) {
    const [value = '', ...params] = part.split(';');
    let q = 1;
    for (const param of params) {
      const [name, weight] = param.split('=');
      if (name?.trim().toLowerCase() === 'q') {
        const parsed = Number(weight?.trim());
        q = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0;
      }
    }
    const trimmed = value.trim().toLowerCase();
    if (trimmed !== '') {
      entries.push({ value: trimmed, q });
    }
  }
  return entries;
}

/** The weight an `Accept` header gives a media type: exact, `type/*`, `*\/*`, else 0. */
function weightOf(entries: readonly Preference[], mediaType: string): number {
  const [type] = mediaType.split('/');
  let exact: number | undefined;
  let range: number | undefined;
  let any: number | undefined;
  for (const { value, q } of entries) {
    if (value === mediaType) exact ??= q;
    else if (value === `${type}/*`) range ??= q;
    else if (value === '*/*') any ??= q;
  }
  return exact ?? range ?? any ?? 0;
}

/**
 * Whether an `Accept` header asks for `wanted` (named explicitly, with a weight above 0) at least
 * as much as for `current`, the media type the route answers with. Wildcards alone never switch:
 * `*\/*` keeps the route's format.
 */
export function acceptsInstead(
  accept: string | undefined,
  wanted: string,
  current: string,
): boolean {
  if (accept === undefined || !accept.toLowerCase().includes(wanted)) {
    return false;
  }
  const entries = preferences(accept);
  const explicit = entries.find((entry) => entry.value === wanted);
  return explicit !== undefined && explicit.q > 0 && explicit.q >= weightOf(entries, current);
}

/** Whether an `Accept` header weighs `wanted` above `current` (a tie keeps `current`). */
export function prefersOver(accept: string | undefined, wanted: string, current: string): boolean {
  if (accept === undefined || !accept.toLowerCase().includes(wanted)) {
    return false;
  }
  const entries = preferences(accept);
  return weightOf(entries, wanted) > weightOf(entries, current);
}

/** Parsed `Accept-Language` headers: clients send the same few over and over. */
const parsedLanguages = new Map<string, readonly string[]>();
const MAX_PARSED = 256;

/** The languages a header accepts, best first (weight 0 and `*` left out). */
function languagesOf(acceptLanguage: string | undefined): readonly string[] {
  if (acceptLanguage === undefined || acceptLanguage === '') {
    return [];
  }
  let languages = parsedLanguages.get(acceptLanguage);
  if (languages === undefined) {
    languages = preferences(acceptLanguage)
      .filter((entry) => entry.q > 0 && entry.value !== '*')
      // Stable: equal weights keep the client's order.
      .sort((a, b) => b.q - a.q)
      .map((entry) => entry.value);
    if (parsedLanguages.size >= MAX_PARSED) {
      // Bounded whatever clients send: starting over costs one parse per header.
      parsedLanguages.clear();
    }
    parsedLanguages.set(acceptLanguage, languages);
  }
  return languages;
}

/**
 * The best of `available` languages (lower-case tags) for an `Accept-Language` header: highest
 * weight first, each tag tried as it is and then by its prefixes (`de-CH` → `de`), as RFC 4647's
 * lookup does. Undefined when none fits.
 */
export function pickLanguage(
  acceptLanguage: string | undefined,
  available: { has(tag: string): boolean },
): string | undefined {
  for (const value of languagesOf(acceptLanguage)) {
    for (let tag = value; tag !== ''; tag = tag.slice(0, Math.max(0, tag.lastIndexOf('-')))) {
      if (available.has(tag)) {
        return tag;
      }
    }
  }
  return undefined;
}
