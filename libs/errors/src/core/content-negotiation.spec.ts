import { describe, expect, it } from 'vitest';
import { acceptsInstead, pickLanguage } from './content-negotiation.js';

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
