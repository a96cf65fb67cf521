import Fuse from 'fuse.js';
import type { Synonyms } from '../knowledge/schema';
import { foldCase, repairOcrWords, stem, stripMarkup, stripTimestamps, tokenize } from './normalize-text';
import { STOPWORDS } from './stopwords';

/**
 * Turns text into the terms the index compares: folded, synonyms unified, compounds split,
 * typos corrected against the knowledge base's own vocabulary, stemmed, with word pairs added
 * so that phrases weigh more than loose words.
 */

export interface AnalyzedText {
  /** Stemmed single-word terms, in order, stopwords removed. */
  words: string[];
  /** words plus adjacent pairs ("vault_credential"). */
  terms: string[];
  /** Every word in order, stopwords included: for recognising pasted (cut-off) agent messages. */
  sequence: string[];
}

export interface Analyzer {
  /** Text as the matcher sees it: markup, timestamps and OCR slips cleaned, folded, synonyms applied. */
  clean(text: string): string;
  analyze(text: string, options?: { correctTypos?: boolean }): AnalyzedText;
}

const MAX_TYPO_CORRECTIONS = 24;
const CORRECTION_CACHE_LIMIT = 20000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds one regex that rewrites every synonym variant to its group's first entry. */
function createSynonymFolder(synonyms: Synonyms): (folded: string) => string {
  const canonicalByVariant = new Map<string, string>();
  for (const group of synonyms.groups) {
    const canonical = foldCase(group[0]!);
    for (const variant of group.slice(1)) canonicalByVariant.set(foldCase(variant), canonical);
  }
  if (canonicalByVariant.size === 0) return (folded) => folded;
  const variants = [...canonicalByVariant.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![a-z0-9])(?:${variants.join('|')})(?![a-z0-9])`, 'g');
  return (folded) => folded.replace(pattern, (variant) => canonicalByVariant.get(variant) ?? variant);
}

export function createAnalyzer(synonyms: Synonyms, vocabularyTexts: readonly string[]): Analyzer {
  const foldSynonyms = createSynonymFolder(synonyms);

  const clean = (text: string): string =>
    foldSynonyms(repairOcrWords(foldCase(stripTimestamps(stripMarkup(text)))));

  // The vocabulary: every word the knowledge base uses, before stemming.
  const vocabulary = new Set<string>();
  for (const text of vocabularyTexts) for (const token of tokenize(clean(text))) vocabulary.add(token);

  const splitCompound = (token: string): string[] | undefined => {
    if (token.length < 7 || /\d/.test(token)) return undefined;
    for (let i = 3; i <= token.length - 3; i++) {
      const head = token.slice(0, i);
      let tail = token.slice(i);
      // Dutch links compound parts with -s- or -e-: "kluisreferentie", "tijdszone".
      if (!vocabulary.has(tail) && (tail.startsWith('s') || tail.startsWith('e')) && vocabulary.has(tail.slice(1))) {
        tail = tail.slice(1);
      }
      if (vocabulary.has(head) && vocabulary.has(tail)) return [head, tail];
    }
    return undefined;
  };

  // Typo correction with fuse.js, one small index per first letter so a search stays cheap.
  const buckets = new Map<string, Fuse<string>>();
  const wordsByInitial = new Map<string, string[]>();
  for (const word of vocabulary) {
    if (word.length < 4 || /\d/.test(word)) continue;
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
        const lengthGap = Math.abs(hit.item.length - token.length);
        if (lengthGap > 2) continue;
        const score = hit.score ?? 1;
        if (!best || score < best.score) best = { word: hit.item, score };
      }
    }
    const result = best && best.score <= 0.25 ? best.word : null;
    if (corrections.size >= CORRECTION_CACHE_LIMIT) corrections.clear();
    corrections.set(token, result);
    return result;
  };

  const analyze = (text: string, options: { correctTypos?: boolean } = {}): AnalyzedText => {
    const tokens = tokenize(clean(text));
    const words: string[] = [];
    const sequence: string[] = [];
    let correctionsLeft = options.correctTypos ? MAX_TYPO_CORRECTIONS : 0;
    for (let i = 0; i < tokens.length; i++) {
      let token = tokens[i]!;
      if (STOPWORDS.has(token)) {
        sequence.push(token);
        continue;
      }
      if (!vocabulary.has(token)) {
        // Two words the user wrote apart that the knowledge base writes as one ("kluis referenties").
        const next = tokens[i + 1];
        if (next && vocabulary.has(token + next)) {
          words.push(stem(token + next));
          i++;
          continue;
        }
        const parts = splitCompound(token);
        if (parts) {
          words.push(stem(token), ...parts.map(stem));
          continue;
        }
        if (correctionsLeft > 0 && token.length >= 4 && token.length <= 24 && /^[a-z]+$/.test(token)) {
          correctionsLeft--;
          const corrected = correct(token);
          if (corrected) token = corrected;
        }
      } else {
        const parts = splitCompound(token);
        if (parts) words.push(...parts.map(stem));
      }
      sequence.push(stem(token));
      if (STOPWORDS.has(token)) continue;
      words.push(stem(token));
    }
    const terms = [...words];
    for (let i = 0; i + 1 < words.length; i++) terms.push(`${words[i]}_${words[i + 1]}`);
    return { words, terms, sequence };
  };

  return { clean, analyze };
}
