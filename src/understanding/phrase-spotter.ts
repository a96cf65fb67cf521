import { tokenize } from './normalize-text';

export interface PhraseSpotter {
  /** True when one of the phrases occurs in the (cleaned) text as whole words. */
  mentionedIn(cleanText: string): boolean;
  /** `mentionedIn` for the tokens of the clean text. */
  mentionedInTokens(words: readonly string[]): boolean;
}

/** The phrases as word lists, looked up by their first word (a phrase that cleans to nothing is left out). */
function phrasesByFirstWord(phrases: readonly string[], clean: (text: string) => string): Map<string, string[][]> {
  const byFirstWord = new Map<string, string[][]>();
  for (const phrase of phrases) {
    const words = tokenize(clean(phrase));
    if (words.length === 0) continue;
    const list = byFirstWord.get(words[0]!) ?? [];
    list.push(words);
    byFirstWord.set(words[0]!, list);
  }
  return byFirstWord;
}

/** Finds any of a fixed list of names (one or more words) in a message, as whole words. */
export function createPhraseSpotter(phrases: readonly string[], clean: (text: string) => string): PhraseSpotter {
  const byFirstWord = phrasesByFirstWord(phrases, clean);
  const mentionedInTokens = (words: readonly string[]): boolean => {
    for (let i = 0; i < words.length; i++) {
      const candidates = byFirstWord.get(words[i]!);
      if (candidates !== undefined && candidates.some((phrase) => phrase.every((w, k) => words[i + k] === w))) return true;
    }
    return false;
  };
  const mentionedIn = (cleanText: string): boolean => mentionedInTokens(tokenize(cleanText));
  return { mentionedIn, mentionedInTokens };
}

export interface PhraseFinder<T> {
  /**
   * The value of the first listed phrase that occurs in the tokens as whole words, if any. A phrase
   * found inside a longer one that also occurs there does not count: "Azure Monitor Agent" is not
   * "Azure Monitor".
   */
  findInTokens(words: readonly string[]): T | undefined;
}

/** Like createPhraseSpotter, but each phrase carries a value (the subject a product name belongs to). */
export function createPhraseFinder<T>(entries: readonly { phrase: string; value: T }[], clean: (text: string) => string): PhraseFinder<T> {
  const byFirstWord = new Map<string, { words: string[]; order: number; value: T }[]>();
  entries.forEach(({ phrase, value }, order) => {
    const words = tokenize(clean(phrase));
    if (words.length === 0) return;
    const list = byFirstWord.get(words[0]!) ?? [];
    list.push({ words, order, value });
    byFirstWord.set(words[0]!, list);
  });
  const findInTokens = (words: readonly string[]): T | undefined => {
    const found: { start: number; end: number; order: number; value: T }[] = [];
    for (let i = 0; i < words.length; i++) {
      for (const candidate of byFirstWord.get(words[i]!) ?? []) {
        if (candidate.words.every((w, k) => words[i + k] === w)) {
          found.push({ start: i, end: i + candidate.words.length, order: candidate.order, value: candidate.value });
        }
      }
    }
    let best: { order: number; value: T } | undefined;
    for (const match of found) {
      const insideLonger = found.some((other) => other.start <= match.start && other.end >= match.end && other.end - other.start > match.end - match.start);
      if (!insideLonger && (best === undefined || match.order < best.order)) best = match;
    }
    return best?.value;
  };
  return { findInTokens };
}

/** Up to how many words a `*` in a masked phrase stands for: "hangt * aan" is "hangt via iSCSI aan". */
const GAP_WORDS = 3;
const GAP = '*';

/** How many words from `at` on the phrase covers, or -1 when it does not occur there; a `*` skips 0 to GAP_WORDS words. */
function matchLength(words: readonly string[], at: number, phrase: readonly string[], from = 0): number {
  if (from === phrase.length) return 0;
  const part = phrase[from]!;
  if (part === GAP) {
    for (let skip = 0; skip <= GAP_WORDS && at + skip <= words.length; skip++) {
      const rest = matchLength(words, at + skip, phrase, from + 1);
      if (rest >= 0) return skip + rest;
    }
    return -1;
  }
  if (words[at] !== part) return -1;
  const rest = matchLength(words, at + 1, phrase, from + 1);
  return rest < 0 ? -1 : rest + 1;
}

/**
 * Replaces every occurrence of the phrases in a word list with `mark` (one per word), so what is
 * spotted next cannot use their words: "is that going to be a problem" is a question, and its
 * "problem" reports nothing. A `*` in a phrase stands for up to three words ("hangt * aan": a disk
 * that "hangt via iSCSI aan de server" is attached to it).
 */
export function createPhraseMasker(phrases: readonly string[], toWords: (text: string) => string, mark: string): (words: readonly string[]) => readonly string[] {
  const byFirstWord = new Map<string, string[][]>();
  for (const phrase of phrases) {
    const words = phrase.split(/\s+/).flatMap((part) => (part === GAP ? [GAP] : tokenize(toWords(part))));
    if (words.length === 0 || words[0] === GAP) continue;
    const list = byFirstWord.get(words[0]!) ?? [];
    list.push(words);
    byFirstWord.set(words[0]!, list);
  }
  // Longest first, so the longer of two phrases that start alike is masked whole.
  for (const list of byFirstWord.values()) list.sort((a, b) => b.length - a.length);
  return (words) => {
    let out: string[] | undefined;
    for (let i = 0; i < words.length; i++) {
      let length = -1;
      for (const candidate of byFirstWord.get(words[i]!) ?? []) {
        length = matchLength(words, i, candidate);
        if (length > 0) break;
      }
      if (length <= 0) continue;
      out ??= words.slice();
      for (let k = 0; k < length; k++) out[i + k] = mark;
      i += length - 1;
    }
    return out ?? words;
  };
}

/** Where one phrase occurs in a word list: its first word and the word after its last. */
export interface PhraseSpan {
  start: number;
  end: number;
}

/** Every occurrence of the phrases in a word list, in order of where they start. */
export function createPhraseLocator(phrases: readonly string[], clean: (text: string) => string): (words: readonly string[]) => PhraseSpan[] {
  const byFirstWord = phrasesByFirstWord(phrases, clean);
  return (words) => {
    const spans: PhraseSpan[] = [];
    for (let i = 0; i < words.length; i++) {
      for (const phrase of byFirstWord.get(words[i]!) ?? []) {
        if (phrase.every((w, k) => words[i + k] === w)) spans.push({ start: i, end: i + phrase.length });
      }
    }
    return spans;
  };
}
