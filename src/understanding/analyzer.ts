import Fuse from 'fuse.js';
import type { Synonyms } from '../knowledge/schema';
import { foldCase, repairOcrWords, stem, stripMarkup, stripTimestamps, tokenize } from './normalize-text';
import { STOPWORDS } from './stopwords';

/**
 * Turns text into the terms the index compares: folded, synonyms unified, compounds split,
 * typos corrected against the knowledge base's own vocabulary, stemmed. The index adds word pairs
 * (`termsOf`) so that phrases weigh more than loose words.
 */

interface AnalyzedText {
  /** Stemmed single-word terms, in order, stopwords removed. */
  words: string[];
  /** Every word in order, stopwords included: for recognising pasted (cut-off) agent messages. */
  sequence: string[];
}

interface AnalyzeOptions {
  correctTypos?: boolean;
}

export interface Analyzer {
  /** Text as the matcher sees it: markup, timestamps and OCR slips cleaned, folded, synonyms applied. */
  clean: (text: string) => string;
  /** `clean` for text that already went through stripMarkup and stripTimestamps. */
  cleanStripped(stripped: string): string;
  analyze(text: string, options?: AnalyzeOptions): AnalyzedText;
  /** `analyze` for the tokens of text that is already clean (`tokenize(clean(text))`). */
  analyzeTokens(tokens: readonly string[], options?: AnalyzeOptions): AnalyzedText;
  /** Only the `sequence` of `analyze(text)`, without typo correction. */
  sequenceOf(text: string): string[];
}

/** The term for two adjacent words ("vault_credential"). Words never contain "_". */
export function pairTerm(first: string, second: string): string {
  return `${first}_${second}`;
}

/** Words plus their adjacent pairs, in that order: what the index counts. */
export function termsOf(words: readonly string[]): string[] {
  const terms = words.slice();
  for (let i = 0; i + 1 < words.length; i++) terms.push(pairTerm(words[i]!, words[i + 1]!));
  return terms;
}

const MAX_TYPO_CORRECTIONS = 24;
const CORRECTION_CACHE_LIMIT = 20000;
const HAS_DIGIT = /\d/;
const ONLY_LETTERS = /^[a-z]+$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

interface SynonymNode {
  next: Map<number, SynonymNode>;
  /** The canonical form when a variant ends here. */
  canonical: string | undefined;
}

/**
 * Rewrites every synonym variant to its group's first entry, as whole words: what
 * /(?<![a-z0-9])(?:variant|…)(?![a-z0-9])/g with the longest variants first does (the longest
 * variant that ends a word wins), but walking a character tree from each word start instead of
 * trying a long alternation at every position.
 */
function createSynonymFolder(synonyms: Synonyms): (folded: string) => string {
  const canonicalByVariant = new Map<string, string>();
  for (const group of synonyms.groups) {
    const canonical = foldCase(group[0]!);
    for (const variant of group.slice(1)) canonicalByVariant.set(foldCase(variant), canonical);
  }
  if (canonicalByVariant.size === 0) return (folded) => folded;
  if (canonicalByVariant.has('')) {
    // An empty variant would match everywhere; leave that case to the regex engine's rules.
    const variants = [...canonicalByVariant.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    const pattern = new RegExp(`(?<![a-z0-9])(?:${variants.join('|')})(?![a-z0-9])`, 'g');
    return (folded) => folded.replace(pattern, (variant) => canonicalByVariant.get(variant) ?? variant);
  }
  const root: SynonymNode = { next: new Map(), canonical: undefined };
  for (const [variant, canonical] of canonicalByVariant) {
    let node = root;
    for (let i = 0; i < variant.length; i++) {
      const code = variant.charCodeAt(i);
      let child = node.next.get(code);
      if (child === undefined) {
        child = { next: new Map(), canonical: undefined };
        node.next.set(code, child);
      }
      node = child;
    }
    node.canonical = canonical;
  }
  return (folded) => {
    let out = '';
    let copied = 0;
    const n = folded.length;
    for (let i = 0; i < n; i++) {
      if (i > 0 && isWordChar(folded.charCodeAt(i - 1))) continue;
      let node = root.next.get(folded.charCodeAt(i));
      let end = -1;
      let canonical = '';
      for (let j = i + 1; node !== undefined; j++) {
        if (node.canonical !== undefined && (j >= n || !isWordChar(folded.charCodeAt(j)))) {
          end = j;
          canonical = node.canonical;
        }
        if (j >= n) break;
        node = node.next.get(folded.charCodeAt(j));
      }
      if (end < 0) continue;
      out += folded.slice(copied, i) + canonical;
      copied = end;
      i = end - 1;
    }
    return copied === 0 ? folded : out + folded.slice(copied);
  };
}

interface KnownWord {
  stem: string;
  /** Stems of the two vocabulary words this word is a compound of, if it is one. */
  partStems: string[] | undefined;
}

export function createAnalyzer(synonyms: Synonyms, vocabularyTexts: readonly string[]): Analyzer {
  const foldSynonyms = createSynonymFolder(synonyms);

  const cleanStripped = (stripped: string): string => foldSynonyms(repairOcrWords(foldCase(stripped)));
  const clean = (text: string): string => cleanStripped(stripTimestamps(stripMarkup(text)));

  // The vocabulary: every word the knowledge base uses, before stemming.
  const vocabulary = new Set<string>();
  for (const text of vocabularyTexts) for (const token of tokenize(clean(text))) vocabulary.add(token);
  // Every head splitCompound can find starts with one of these three letters.
  const headStarts = new Set<string>();
  for (const word of vocabulary) if (word.length >= 3) headStarts.add(word.slice(0, 3));

  const splitCompound = (token: string): string[] | undefined => {
    if (token.length < 7 || HAS_DIGIT.test(token) || !headStarts.has(token.slice(0, 3))) return undefined;
    for (let i = 3; i <= token.length - 3; i++) {
      const head = token.slice(0, i);
      if (!vocabulary.has(head)) continue;
      let tail = token.slice(i);
      // Dutch links compound parts with -s- or -e-: "kluisreferentie", "tijdszone". What is left is a
      // word of three letters or more: "different" is no "differ" + "nt".
      if (!vocabulary.has(tail) && (tail.startsWith('s') || tail.startsWith('e')) && tail.length > 3 && vocabulary.has(tail.slice(1))) {
        tail = tail.slice(1);
      }
      if (vocabulary.has(tail)) return [head, tail];
    }
    return undefined;
  };

  // What analyze needs of a vocabulary word depends on the knowledge base only: work it out once.
  const known = new Map<string, KnownWord>();
  for (const word of vocabulary) known.set(word, { stem: stem(word), partStems: undefined });
  for (const [word, entry] of known) entry.partStems = splitCompound(word)?.map((part) => known.get(part)!.stem);
  const stemOf = (token: string): string => known.get(token)?.stem ?? stem(token);

  // Typo correction with fuse.js, one small index per first letter so a search stays cheap.
  const buckets = new Map<string, Fuse<string>>();
  const wordsByInitial = new Map<string, string[]>();
  for (const word of vocabulary) {
    if (word.length < 4 || HAS_DIGIT.test(word)) continue;
    const list = wordsByInitial.get(word[0]!) ?? [];
    list.push(word);
    wordsByInitial.set(word[0]!, list);
  }
  for (const [initial, words] of wordsByInitial) {
    buckets.set(initial, new Fuse(words, { includeScore: true, threshold: 0.3, distance: 20, minMatchCharLength: 3 }));
  }
  const corrections = new Map<string, string | null>();

  const correct = (token: string): string | null => {
    const cached = corrections.get(token);
    if (cached !== undefined) return cached;
    let best: { word: string; score: number } | null = null;
    // OCR reads "i" as "l" at the start of words ("lnvalid"): try both initials.
    const initials = token.startsWith('l') ? ['l', 'i'] : [token[0]!];
    for (const initial of initials) {
      const probe = initial === token[0] ? token : initial + token.slice(1);
      for (const hit of buckets.get(initial)?.search(probe, { limit: 3 }) ?? []) {
        // A slip adds or drops a letter; two more letters on a short word make another word
        // ("left" is no "letter", "dell" no "delete", "month" no "monthly").
        const lengthGap = Math.abs(hit.item.length - token.length);
        if (lengthGap > (token.length < 8 ? 1 : 2)) continue;
        const score = hit.score ?? 1;
        if (!best || score < best.score) best = { word: hit.item, score };
      }
    }
    const result = best && best.score <= 0.25 ? best.word : null;
    if (corrections.size >= CORRECTION_CACHE_LIMIT) corrections.clear();
    corrections.set(token, result);
    return result;
  };

  const analyzeTokens = (tokens: readonly string[], options: AnalyzeOptions = {}): AnalyzedText => {
    const words: string[] = [];
    const sequence: string[] = [];
    let correctionsLeft = options.correctTypos ? MAX_TYPO_CORRECTIONS : 0;
    for (let i = 0; i < tokens.length; i++) {
      let token = tokens[i]!;
      if (STOPWORDS.has(token)) {
        sequence.push(token);
        continue;
      }
      const entry = known.get(token);
      if (entry !== undefined) {
        if (entry.partStems) for (const part of entry.partStems) words.push(part);
        sequence.push(entry.stem);
        words.push(entry.stem);
        continue;
      }
      // Two words the user wrote apart that the knowledge base writes as one ("kluis referenties").
      const next = tokens[i + 1];
      if (next) {
        const joined = known.get(token + next);
        if (joined !== undefined) {
          words.push(joined.stem);
          i++;
          continue;
        }
      }
      const parts = splitCompound(token);
      if (parts) {
        words.push(stem(token), known.get(parts[0]!)!.stem, known.get(parts[1]!)!.stem);
        continue;
      }
      if (correctionsLeft > 0 && token.length >= 4 && token.length <= 24 && ONLY_LETTERS.test(token)) {
        correctionsLeft--;
        const corrected = correct(token);
        if (corrected) token = corrected;
      }
      const stemmed = stemOf(token);
      sequence.push(stemmed);
      // A correction can land on a stopword.
      if (STOPWORDS.has(token)) continue;
      words.push(stemmed);
    }
    return { words, sequence };
  };

  const sequenceOf = (text: string): string[] => {
    const tokens = tokenize(clean(text));
    const sequence: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (STOPWORDS.has(token)) {
        sequence.push(token);
        continue;
      }
      const entry = known.get(token);
      if (entry !== undefined) {
        sequence.push(entry.stem);
        continue;
      }
      // Joined and compound words go to `words` only (see analyzeTokens).
      const next = tokens[i + 1];
      if (next && known.has(token + next)) {
        i++;
        continue;
      }
      if (splitCompound(token)) continue;
      sequence.push(stem(token));
    }
    return sequence;
  };

  const analyze = (text: string, options: AnalyzeOptions = {}): AnalyzedText => analyzeTokens(tokenize(clean(text)), options);

  return { clean, cleanStripped, analyze, analyzeTokens, sequenceOf };
}
