import { describe, expect, it } from 'vitest';
import { AgentNotFoundException } from '../domains/agents.exceptions.js';
import { UnknownProviderException } from '../domains/apps.exceptions.js';
import { UploadFailedException } from '../domains/vault-files.exceptions.js';
import { normalizeError } from './error.normalizer.js';
import { compileTranslations, translateError } from './error.translator.js';

const translations = compileTranslations({
  de: {
    AGENT_NOT_FOUND: 'Agent nicht gefunden',
    UNKNOWN_PROVIDER: 'Unbekannter Anbieter: {provider}',
    UPLOAD_FAILED: 'Hochladen fehlgeschlagen',
  },
  'fr-CA': { AGENT_NOT_FOUND: 'Agent introuvable' },
})!;
const hidden = { exposeInternalErrors: false };

describe('translateError', () => {
  it('picks the best language with this code, fills template fields, keeps the code', () => {
    const error = normalizeError(new UnknownProviderException({ provider: 'notion' }), hidden);
    expect(translateError(error, translations, 'de-CH, en;q=0.5')).toEqual({
      error: { ...error, message: 'Unbekannter Anbieter: notion' },
      language: 'de',
    });
    const agent = normalizeError(new AgentNotFoundException(), hidden);
    expect(translateError(agent, translations, 'fr-CA;q=0.9, de;q=0.8').language).toBe('fr-ca');
    // fr-CA has no UNKNOWN_PROVIDER: the next language the client accepts does.
    expect(translateError(error, translations, 'fr-CA, de;q=0.1').language).toBe('de');
  });

  it('leaves the documented message when no accepted language has the code', () => {
    const error = normalizeError(new AgentNotFoundException(), hidden);
    expect(translateError(error, translations, 'es, it;q=0.8')).toEqual({
      error,
      language: undefined,
    });
    expect(translateError(error, translations, undefined)).toEqual({ error, language: undefined });
  });

  it("never replaces a thrower's own message, but translates a redacted 5xx", () => {
    const own = normalizeError(
      new AgentNotFoundException({ message: 'agt_9 is archived' }),
      hidden,
    );
    expect(translateError(own, translations, 'de').language).toBeUndefined();
    const redacted = normalizeError(
      new UploadFailedException({ message: 'bucket acme-prod is read-only' }),
      hidden,
    );
    expect(translateError(redacted, translations, 'de').error.message).toBe(
      'Hochladen fehlgeschlagen',
    );
  });

  it('refuses what is not a language tag or a message, at start-up', () => {
    expect(() => compileTranslations({ 'de CH': {} })).toThrow(/not a language tag/);
    expect(() => compileTranslations({ de: { X: 42 as unknown as string } })).toThrow(/de.X/);
    // Requests are matched against tags of up to 35 characters only (the bound on their work).
    const longest = 'zh-hant-cn-x-private1-private2-abcd';
    expect(
      compileTranslations({ [longest]: { X: 'x' } })
        ?.get('X')
        ?.has(longest),
    ).toBe(true);
    expect(() => compileTranslations({ [`${longest}e`]: { X: 'x' } })).toThrow(
      /longer than 35 characters/,
    );
    expect(compileTranslations({})).toBeUndefined();
  });
});
