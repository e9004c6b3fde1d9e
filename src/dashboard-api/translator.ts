import { Injectable } from '@nestjs/common';

/** Injection token of the AI translation service; tests swap in a failing or malformed one. */
export const TRANSLATOR = Symbol('TRANSLATOR');

/** The third-party AI translation service content is sent to. */
export interface Translator {
  translate(text: string, locale: string): Promise<{ text: string }>;
}

/** The demo calls no provider: the "translation" is the text tagged with its locale. */
@Injectable()
export class TaggingTranslator implements Translator {
  async translate(text: string, locale: string): Promise<{ text: string }> {
    return { text: `[${locale}] ${text}` };
  }
}
