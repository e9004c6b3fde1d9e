import { describe, expect, it, vi } from 'vitest';
import { acceptsInstead, pickLanguage, prefersOver } from './content-negotiation.js';

const PROBLEM = 'application/problem+json';
const JSON_TYPE = 'application/json';

describe('acceptsInstead', () => {
  it.each([
    [PROBLEM, true],
    [`${PROBLEM}, ${JSON_TYPE}`, true],
    [`${JSON_TYPE};q=0.9, ${PROBLEM}`, true],
    [`${PROBLEM};q=0.5, ${JSON_TYPE}`, false],
    [`${PROBLEM};q=0`, false],
    [`${PROBLEM};q=banana`, false],
    [`APPLICATION/PROBLEM+JSON`, true],
    ['*/*', false],
    ['application/*', false],
    [JSON_TYPE, false],
    ['text/html', false],
    [undefined, false],
    ['', false],
  ])('Accept %j → problem: %s', (accept, expected) => {
    expect(acceptsInstead(accept, PROBLEM, JSON_TYPE)).toBe(expected);
  });
});

describe('pickLanguage', () => {
  const available = new Set(['de', 'fr', 'pt-br']);
  it.each([
    ['de', 'de'],
    ['de-CH', 'de'],
    ['fr-FR, de;q=0.9', 'fr'],
    ['en, de;q=0.5', 'de'],
    ['de;q=0.2, fr;q=0.8', 'fr'],
    ['pt-BR', 'pt-br'],
    ['pt', undefined],
    ['de;q=0', undefined],
    ['*', undefined],
    ['en-US, en', undefined],
    [undefined, undefined],
    ['x'.repeat(10_000), undefined],
  ])('Accept-Language %j → %s', (header, expected) => {
    expect(pickLanguage(header, available)).toBe(expected);
  });
});

/** A language set that counts its lookups and the characters they hash. */
function countingLanguages(tags: readonly string[]) {
  const set = new Set(tags);
  const work = { lookups: 0, characters: 0 };
  return {
    work,
    has(tag: string) {
      work.lookups++;
      work.characters += tag.length;
      return set.has(tag);
    },
  };
}

describe('pickLanguage: work per header is bounded, whatever its size (issue 27)', () => {
  // 7,000 one-letter subtags: the 14 KB range that cost 75 ms when every prefix was looked up.
  const hostile = `de${'-a'.repeat(7_000)}`;

  it('a 14 KB range falls back to its language (RFC 4647 lookup) in a few short lookups', () => {
    const available = countingLanguages(['de', 'fr']);
    expect(pickLanguage(hostile, available)).toBe('de');
    expect(available.work.lookups).toBeLessThanOrEqual(18);
    expect(available.work.characters).toBeLessThanOrEqual(18 * 35);
  });

  it('32 hostile ranges (the most read): at most 64 lookups for the whole header', () => {
    const header = Array.from({ length: 40 }, () => `en${'-ab'.repeat(150)}`).join(',') + ', de';
    const available = countingLanguages(['de']);
    expect(pickLanguage(header, available)).toBeUndefined();
    expect(available.work.lookups).toBeLessThanOrEqual(64);
    expect(available.work.characters).toBeLessThanOrEqual(64 * 35);
  });

  it('the work does not grow with the range: 1,750 and 7,000 subtags cost the same', () => {
    const short = countingLanguages(['de']);
    const long = countingLanguages(['de']);
    pickLanguage(`de${'-ab'.repeat(1_750)}`, short);
    pickLanguage(`de${'-ab'.repeat(7_000)}`, long);
    expect(long.work).toEqual(short.work);
  });

  it.each([
    [
      'a tag of 35 characters is found whole',
      'zh-hant-cn-x-private1-private2-abcd',
      'zh-hant-cn-x-private1-private2-abcd',
    ],
    [
      'a longer range, through its first 35 characters',
      'zh-hant-cn-x-private1-private2-abcd-efgh',
      'zh-hant-cn-x-private1-private2-abcd',
    ],
  ])('%s', (_, header, expected) => {
    expect(pickLanguage(header, new Set(['zh', 'zh-hant-cn-x-private1-private2-abcd']))).toBe(
      expected,
    );
  });
});

/** How many strings `run` splits: the parser's work, one split per entry and per parameter. */
function splitsDuring(run: () => void): number {
  const split = vi.spyOn(String.prototype, 'split');
  try {
    run();
    return split.mock.calls.length;
  } finally {
    split.mockRestore();
  }
}

describe('Accept (negotiate): work per header is bounded, whatever its size (issue 27)', () => {
  // 7,000 parameters on one entry, 7,000 entries: 14 KB each.
  const manyParams = `${PROBLEM}${';a=1'.repeat(3_500)}`;
  const manyEntries = `${'text/html,'.repeat(1_400)} ${PROBLEM}`;

  it.each([
    ['7,000 parameters', manyParams],
    ['1,400 entries', manyEntries],
  ])('%s: at most 32 entries of 8 parameters each are split', (_, header) => {
    expect(splitsDuring(() => acceptsInstead(header, PROBLEM, JSON_TYPE))).toBeLessThanOrEqual(
      1 + 32 * (1 + 8),
    );
    expect(splitsDuring(() => prefersOver(header, PROBLEM, JSON_TYPE))).toBeLessThanOrEqual(
      1 + 32 * (1 + 8),
    );
  });

  it('the answers stay right: parameters past the eighth are not read, entries past the 32nd neither', () => {
    expect(acceptsInstead(manyParams, PROBLEM, JSON_TYPE)).toBe(true);
    expect(acceptsInstead(`${PROBLEM};a=1;q=0`, PROBLEM, JSON_TYPE)).toBe(false);
    expect(acceptsInstead(manyEntries, PROBLEM, JSON_TYPE)).toBe(false);
    expect(acceptsInstead(`${PROBLEM}${'x'.repeat(14_000)}`, PROBLEM, JSON_TYPE)).toBe(false);
  });
});
