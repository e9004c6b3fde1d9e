/** One entry of an `Accept` or `Accept-Language` header, lower-cased, with its weight. */
interface Preference {
  value: string;
  q: number;
}

/**
 * What is read of an `Accept` or `Accept-Language` header, so that the work per header has a
 * bound however large a header the server accepts (issue 27: a 14 KB `Accept-Language` of 7,000
 * subtags cost 75 ms): the first 32 entries, the first 8 parameters of each (a media type has
 * one or two before its weight), and the first 255 characters of each value (RFC 6838 caps a media type at 127/127
 * characters, and no language tag that is looked up is longer, see MAX_TAG_LENGTH). A value cut
 * there can still match by its prefixes (languages); never exactly (media types, which are
 * shorter). What is left unread is only scanned for its separators, by the engine's native split.
 */
const MAX_ENTRIES = 32;
const MAX_PARAMS = 8;
const MAX_VALUE_LENGTH = 255;

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
    const paramsStart = part.indexOf(';');
    const value = (paramsStart === -1 ? part : part.slice(0, paramsStart))
      .trim()
      .slice(0, MAX_VALUE_LENGTH)
      .toLowerCase();
    if (value !== '') {
      entries.push({ value, q: paramsStart === -1 ? 1 : weightIn(part.slice(paramsStart + 1)) });
    }
  }
  return entries;
}

/** The `q` of an entry's parameters (`level=1;q=0.5`); 1 without one. */
function weightIn(params: string): number {
  let q = 1;
  for (const param of params.split(';', MAX_PARAMS)) {
    const [name, weight] = param.split('=', 2);
    if (name?.trim().toLowerCase() === 'q') {
      const parsed = Number(weight?.trim());
      q = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0;
    }
  }
  return q;
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

/**
 * Parsed `Accept-Language` headers: clients send the same few over and over. Only headers up to
 * MAX_CACHED_LENGTH are kept: real ones are short, and 256 keys of 16 KB each would let clients
 * fill memory; a longer header is parsed each time (its parse is bounded, see MAX_ENTRIES).
 */
const parsedLanguages = new Map<string, readonly string[]>();
const MAX_PARSED = 256;
const MAX_CACHED_LENGTH = 256;

/** The languages a header accepts, best first (weight 0 and `*` left out). */
function languagesOf(acceptLanguage: string | undefined): readonly string[] {
  if (acceptLanguage === undefined || acceptLanguage === '') {
    return [];
  }
  const cacheable = acceptLanguage.length <= MAX_CACHED_LENGTH;
  let languages = cacheable ? parsedLanguages.get(acceptLanguage) : undefined;
  if (languages === undefined) {
    languages = preferences(acceptLanguage)
      .filter((entry) => entry.q > 0 && entry.value !== '*')
      // Stable: equal weights keep the client's order.
      .sort((a, b) => b.q - a.q)
      .map((entry) => entry.value);
    if (cacheable) {
      if (parsedLanguages.size >= MAX_PARSED) {
        // Bounded whatever clients send: starting over costs one parse per header.
        parsedLanguages.clear();
      }
      parsedLanguages.set(acceptLanguage, languages);
    }
  }
  return languages;
}

/**
 * The longest language tag that can be chosen (`compileTranslations` refuses longer ones at
 * start-up): 35 characters, the buffer RFC 5646 § 4.4.1 sizes for language tags. A range is
 * looked up through its longest prefix of whole subtags within that length, since no longer prefix
 * can be an available tag: at most 18 lookups of at most 35 characters per range, where trying
 * every prefix of a 7,000-subtag range made 7,000 lookups of up to 14 KB each.
 */
export const MAX_TAG_LENGTH = 35;

/**
 * Lookups per header, across its ranges: real headers need a few (`de-CH, de, en` is 4); 32
 * ranges of 18 subtags would need 576.
 */
const MAX_LOOKUPS = 64;

/** `range` cut to its longest prefix of whole subtags of at most MAX_TAG_LENGTH characters. */
function lookupStart(range: string): string {
  return range.length <= MAX_TAG_LENGTH
    ? range
    : range.slice(0, Math.max(0, range.lastIndexOf('-', MAX_TAG_LENGTH)));
}

/**
 * The best of `available` languages (lower-case tags) for an `Accept-Language` header: highest
 * weight first, each tag tried as it is and then by its prefixes (`de-CH` → `de`), as RFC 4647's
 * lookup does, for at most MAX_LOOKUPS tags. Undefined when none fits.
 */
export function pickLanguage(
  acceptLanguage: string | undefined,
  available: { has(tag: string): boolean },
): string | undefined {
  let lookups = 0;
  for (const value of languagesOf(acceptLanguage)) {
    for (
      let tag = lookupStart(value);
      tag !== '' && lookups < MAX_LOOKUPS;
      tag = tag.slice(0, Math.max(0, tag.lastIndexOf('-')))
    ) {
      lookups++;
      if (available.has(tag)) {
        return tag;
      }
    }
  }
  return undefined;
}
