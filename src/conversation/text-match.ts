import { foldCase, stem, tokenize } from '../understanding/normalize-text';
import { STOPWORDS } from '../understanding/stopwords';
import type { WordList } from './vocabulary';

/**
 * Small word-level matching for the engine's own decisions (typed answers, commands, case hints).
 * Everything compares folded, lightly stemmed tokens so "Proxy-server", "proxyservers" and
 * "proxy server" meet, and Dutch/English mixed messages work without knowing the language.
 */

/** How much of each end of a long message the dialogue reads for its own words. */
const OWN_WORDS_CHARS = 2_000;

/**
 * What the admin wrote around a paste: the start and the end of a long message ("… ik wil een
 * medewerker spreken" after a log). The dialogue's own words are looked for here, so a long paste
 * costs nothing extra; the matcher reads the paste itself.
 */
export function ownWords(text: string): string {
  return text.length <= 2 * OWN_WORDS_CHARS ? text : `${text.slice(0, OWN_WORDS_CHARS)}\n${text.slice(-OWN_WORDS_CHARS)}`;
}

export function words(text: string): string[] {
  return tokenize(foldCase(text));
}

export function stems(text: string): string[] {
  return words(text).map(stem);
}

/** Where `phrase` occurs in `tokens` as consecutive stems, or -1. */
export function indexOfPhrase(tokens: readonly string[], phrase: readonly string[], from = 0): number {
  if (phrase.length === 0 || phrase.length > tokens.length) return -1;
  for (let start = from; start + phrase.length <= tokens.length; start++) {
    if (phrase.every((p, k) => tokens[start + k] === p)) return start;
  }
  return -1;
}

export interface PhraseHit {
  /** Token position where the phrase starts. */
  at: number;
  /** How many tokens it covers. */
  length: number;
}

/** Every place where an entry of `list` occurs in the stemmed tokens; overlapping hits are all kept. */
export function phraseHits(list: WordList, tokenStems: readonly string[]): PhraseHit[] {
  const hits: PhraseHit[] = [];
  for (const phrase of list.phrases) {
    for (let at = indexOfPhrase(tokenStems, phrase); at >= 0; at = indexOfPhrase(tokenStems, phrase, at + 1)) {
      hits.push({ at, length: phrase.length });
    }
  }
  return hits.sort((a, b) => a.at - b.at || b.length - a.length);
}

/**
 * How far apart a verb and what goes with it may stand: at most this many words between them that
 * say something ("is there an actual human I can speak to", "loop in one of your engineers") …
 */
const PAIR_REACH = 2;
/** … and at most this many words in all. */
const PAIR_SPAN = 5;

/** Where each entry of `list` occurs in `tokens`, as written (folded, not stemmed). */
function exactHits(list: WordList, tokens: readonly string[]): PhraseHit[] {
  const hits: PhraseHit[] = [];
  for (const phrase of list.exact) {
    for (let at = indexOfPhrase(tokens, phrase); at >= 0; at = indexOfPhrase(tokens, phrase, at + 1)) hits.push({ at, length: phrase.length });
  }
  return hits;
}

/**
 * A verb (in exactly one of the listed forms: "talked" is not "talk", "get" counts only as "get me")
 * and one of its companions a few words from it, in either order, as one hit covering both. Filler
 * between them ("one of your", "van de") does not count towards the distance.
 */
export function pairHits(pair: { verbs: WordList; people: WordList }, tokens: readonly string[], tokenStems: readonly string[]): PhraseHit[] {
  const verbs = exactHits(pair.verbs, tokens);
  const hits: PhraseHit[] = [];
  for (const other of phraseHits(pair.people, tokenStems)) {
    for (const verb of verbs) {
      const [first, second] = verb.at < other.at ? [verb, other] : [other, verb];
      const gapStart = first.at + first.length;
      if (second.at < gapStart) continue;
      const between = tokens.slice(gapStart, second.at);
      if (between.length > PAIR_SPAN || between.filter((token) => !STOPWORDS.has(token)).length > PAIR_REACH) continue;
      hits.push({ at: first.at, length: second.at + second.length - first.at });
    }
  }
  return hits;
}

/** True when an entry of `list` occurs anywhere in the stemmed tokens. */
export function mentions(list: WordList, tokenStems: readonly string[]): boolean {
  return list.phrases.some((phrase) => indexOfPhrase(tokenStems, phrase) >= 0);
}

/** True when some token is one of the list's single words. */
export function hasWordOf(list: WordList, tokens: readonly string[]): boolean {
  return tokens.some((token) => list.words.has(token));
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
