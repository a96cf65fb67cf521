import type { Lang } from '../../src/shared/lang';
import type { Matcher, UnderstandOptions, Understanding } from '../../src/understanding/understanding';

/**
 * A Matcher that answers from a script: exact text → what it should understand. Anything not
 * scripted is a fallback in the preferred language. Records every call, so tests can check the
 * language the engine asked for.
 */
export class FakeMatcher implements Matcher {
  readonly calls: { text: string; options: UnderstandOptions }[] = [];
  private readonly script = new Map<string, Partial<Understanding>>();

  constructor(script: Record<string, Partial<Understanding>> = {}) {
    for (const [text, understanding] of Object.entries(script)) this.script.set(text, understanding);
  }

  /** Adds or replaces a scripted understanding. */
  on(text: string, understanding: Partial<Understanding>): this {
    this.script.set(text, understanding);
    return this;
  }

  understand(text: string, options: UnderstandOptions = {}): Understanding {
    this.calls.push({ text, options });
    const scripted = this.script.get(text) ?? {};
    const lang: Lang = scripted.lang ?? options.forceLang ?? options.preferredLang ?? 'nl';
    return {
      kind: 'fallback',
      topic: null,
      case: null,
      candidates: [],
      confidence: scripted.kind === 'answer' ? 0.9 : 0,
      langFromText: scripted.lang !== undefined,
      errorIds: [],
      normalizedText: text.toLowerCase(),
      truncated: false,
      ...scripted,
      lang,
    };
  }
}
