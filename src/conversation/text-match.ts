import { foldCase, stem, tokenize } from '../understanding/normalize-text';

/**
 * Small word-level matching for the engine's own decisions (typed answers, commands, case hints).
 * Everything compares folded, lightly stemmed tokens so "Proxy-server", "proxyservers" and
 * "proxy server" meet, and Dutch/English mixed messages work without knowing the language.
 */

export function words(text: string): string[] {
  return tokenize(foldCase(text));
}

export function stems(text: string): string[] {
  return words(text).map(stem);
}

/** Where `phrase` occurs in `tokens` as consecutive stems, or -1. */
export function indexOfPhrase(tokens: readonly string[], phrase: readonly string[]): number {
  if (phrase.length === 0 || phrase.length > tokens.length) return -1;
  for (let start = 0; start + phrase.length <= tokens.length; start++) {
    if (phrase.every((p, k) => tokens[start + k] === p)) return start;
  }
  return -1;
}

/**
 * The engine's phrases are fixed (src/conversation/vocabulary.ts) and checked on every turn;
 * their stems are worked out once. Bounded in case a caller ever passes other text.
 */
const phraseStems = new Map<string, readonly string[]>();
const MAX_CACHED_PHRASES = 2_000;

function stemsOfPhrase(phrase: string): readonly string[] {
  let cached = phraseStems.get(phrase);
  if (!cached) {
    cached = stems(phrase);
    if (phraseStems.size < MAX_CACHED_PHRASES) phraseStems.set(phrase, cached);
  }
  return cached;
}

export function containsPhrase(tokens: readonly string[], phrase: string): boolean {
  return indexOfPhrase(tokens, stemsOfPhrase(phrase)) >= 0;
}

/**
 * Two words "meet" when their stems are equal, or when one is a long-enough prefix of the other:
 * Dutch glues words together ("proxyserver", "kluisreferentiebestand").
 */
export function wordsMeet(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 5 && long.startsWith(short);
}

/** The whole message, folded and with punctuation reduced to single spaces: for exact command checks. */
export function compact(text: string): string {
  return words(text).join(' ');
}

const compactedLists = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The compacted forms of a fixed list of phrases, worked out once per list. */
export function compactedSet(phrases: readonly string[]): ReadonlySet<string> {
  let set = compactedLists.get(phrases);
  if (!set) {
    set = new Set(phrases.map(compact));
    compactedLists.set(phrases, set);
  }
  return set;
}
