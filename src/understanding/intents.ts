import type { Intents } from '../knowledge/schema';
import type { SmalltalkIntent } from './understanding';
import { STOPWORDS } from './stopwords';
import { tokenize } from './normalize-text';

export type Intent = SmalltalkIntent | 'escalate';

// When a message holds several intents ("thanks, bye"), the first in this order wins.
const PRIORITY: readonly Intent[] = ['escalate', 'thanks', 'goodbye', 'help', 'greeting'];

export interface IntentDetector {
  /**
   * The intent of a message that is nothing but intent phrases (give or take filler words);
   * undefined when the message says anything more than that.
   */
  detect(cleanText: string): Intent | undefined;
}

export function createIntentDetector(intents: Intents, clean: (text: string) => string): IntentDetector {
  const phrases: { intent: Intent; tokens: string[] }[] = [];
  for (const intent of PRIORITY) {
    for (const phrase of [...intents[intent].nl, ...intents[intent].en]) {
      const tokens = tokenize(clean(phrase));
      if (tokens.length > 0) phrases.push({ intent, tokens });
    }
  }
  // Longest phrases first, so "thank you" is taken whole before "thank".
  phrases.sort((a, b) => b.tokens.length - a.tokens.length);

  const detect = (cleanText: string): Intent | undefined => {
    const tokens = tokenize(cleanText);
    if (tokens.length === 0 || tokens.length > 12) return undefined;
    const used = new Array<boolean>(tokens.length).fill(false);
    const found = new Set<Intent>();
    for (const { intent, tokens: phrase } of phrases) {
      for (let start = 0; start + phrase.length <= tokens.length; start++) {
        if (phrase.every((t, k) => !used[start + k] && tokens[start + k] === t)) {
          for (let k = 0; k < phrase.length; k++) used[start + k] = true;
          found.add(intent);
        }
      }
    }
    if (found.size === 0) return undefined;
    const leftover = tokens.filter((t, i) => !used[i] && !STOPWORDS.has(t) && !['marsbot', 'bot', 'mars'].includes(t));
    if (leftover.length > 0) return undefined;
    return PRIORITY.find((intent) => found.has(intent));
  };

  return { detect };
}
