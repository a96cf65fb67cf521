import type { Intents } from '../knowledge/schema';
import type { SmalltalkIntent } from './understanding';
import { STOPWORDS } from './stopwords';
import { foldCase, tokenize } from './normalize-text';

type Intent = SmalltalkIntent | 'escalate';

// When a message holds several intents ("thanks, bye"), the first in this order wins.
const PRIORITY: readonly Intent[] = ['escalate', 'thanks', 'goodbye', 'help', 'greeting'];

export interface IntentDetector {
  /**
   * The intent of a message that is nothing but intent phrases (give or take filler words);
   * undefined when the message says anything more than that.
   */
  detect(cleanText: string): Intent | undefined;
  /** `detect` for the tokens of the clean text. */
  detectTokens(tokens: readonly string[]): Intent | undefined;
  /**
   * Whether the message names a vendor whose support it may mean ("contact Microsoft support"):
   * then it is not a request for our team. Read on the text before synonyms fold "Microsoft
   * support" into "support".
   */
  namesVendor(text: string): boolean;
}

export function createIntentDetector(intents: Intents, clean: (text: string) => string): IntentDetector {
  // Names of the bot itself (knowledge/intents.yaml, dialogue.botNames): addressing it says nothing more.
  const botNames = new Set([...intents.dialogue.botNames.nl, ...intents.dialogue.botNames.en].flatMap((name) => tokenize(clean(name))));
  // "That does not help" is not asking for help, "no thanks" is not thanks: a negation outside the
  // phrases makes the message something else.
  // Politeness ("oké", "please") says nothing more either.
  const politeness = new Set([...intents.dialogue.politeness.nl, ...intents.dialogue.politeness.en].flatMap((word) => tokenize(clean(word))));
  const negations = new Set([...intents.dialogue.negations.nl, ...intents.dialogue.negations.en].flatMap((word) => tokenize(clean(word))));
  const phrases: { intent: Intent; tokens: string[] }[] = [];
  for (const intent of PRIORITY) {
    for (const phrase of [...intents[intent].nl, ...intents[intent].en]) {
      const tokens = tokenize(clean(phrase));
      if (tokens.length > 0) phrases.push({ intent, tokens });
    }
  }
  // Longest phrases first, so "thank you" is taken whole before "thank".
  phrases.sort((a, b) => b.tokens.length - a.tokens.length);
  // Positions in `phrases` by first word: a message can only match phrases that start with one of its words.
  const phrasesByFirstWord = new Map<string, number[]>();
  phrases.forEach(({ tokens }, position) => {
    const list = phrasesByFirstWord.get(tokens[0]!) ?? [];
    list.push(position);
    phrasesByFirstWord.set(tokens[0]!, list);
  });

  const detectTokens = (tokens: readonly string[]): Intent | undefined => {
    if (tokens.length === 0 || tokens.length > 12) return undefined;
    const candidates: number[] = [];
    for (const token of new Set(tokens)) {
      const positions = phrasesByFirstWord.get(token);
      if (positions !== undefined) candidates.push(...positions);
    }
    if (candidates.length === 0) return undefined;
    // In the phrases' own order, as if every phrase were tried.
    candidates.sort((a, b) => a - b);
    const used = new Array<boolean>(tokens.length).fill(false);
    const found = new Set<Intent>();
    for (const position of candidates) {
      const { intent, tokens: phrase } = phrases[position]!;
      for (let start = 0; start + phrase.length <= tokens.length; start++) {
        if (phrase.every((t, k) => !used[start + k] && tokens[start + k] === t)) {
          for (let k = 0; k < phrase.length; k++) used[start + k] = true;
          found.add(intent);
        }
      }
    }
    if (found.size === 0) return undefined;
    if (tokens.some((t, i) => !used[i] && negations.has(t))) return undefined;
    const leftover = tokens.filter((t, i) => !used[i] && !STOPWORDS.has(t) && !botNames.has(t) && !politeness.has(t));
    if (leftover.length > 0) return undefined;
    return PRIORITY.find((intent) => found.has(intent));
  };

  const detect = (cleanText: string): Intent | undefined => detectTokens(tokenize(cleanText));

  const vendors = new Set([...intents.dialogue.vendor.nl, ...intents.dialogue.vendor.en].flatMap((word) => tokenize(foldCase(word))));
  const namesVendor = (text: string): boolean => tokenize(foldCase(text)).some((word) => vendors.has(word));

  return { detect, detectTokens, namesVendor };
}
