import type { Analyzer } from './analyzer';

/**
 * A BM25 index where each document is one class (a topic, or an out-of-scope subject), plus a
 * phrase score: how much of the best-matching single trigger phrase the message contains. BM25
 * gathers evidence spread over a long message; the phrase score rewards a message that says what
 * one trigger says, even when it is short.
 */

export interface ClassDocument {
  id: string;
  /** Weighted texts: error messages and titles count more than loose symptoms. */
  fields: { texts: readonly string[]; weight: number }[];
  /** Phrases for the phrase score (triggers, error texts). */
  phrases: readonly string[];
  /** The agent's messages: a pasted piece of one, even cut off, is strong evidence. */
  errorTexts: readonly string[];
}

export interface ClassScore {
  id: string;
  /** BM25 divided by the best a message of these words could score: 0–1-ish. */
  bm25: number;
  /** Share (idf-weighted) of the best trigger phrase found in the message: 0–1. */
  phrase: number;
  /** Share (idf-weighted) of the message's known words that this class knows: 0–1. */
  coverage: number;
  /** Longest run of consecutive words shared with one of the class's error texts, as a share of 8 words (0–1). */
  errorRun: number;
  score: number;
}

interface IndexedPhrase {
  terms: Set<string>;
  weight: number;
}

const K1 = 1.2;
/** Summed idf at which a phrase counts fully: about two words that only one or two topics use. */
const TELLING_PHRASE_WEIGHT = 5;
const B = 0.4;

export interface TopicIndex {
  score(terms: readonly string[], words: readonly string[], sequence?: readonly string[]): ClassScore[];
  /** Inverse document frequency of a term (0 when unknown). */
  idf(term: string): number;
  /**
   * What this word sequence repeats in a row of any class's error text: the best share of one
   * error text (0–1) and the longest run in words.
   */
  errorRuns(sequence: readonly string[]): { share: number; length: number };
}

export function createTopicIndex(docs: readonly ClassDocument[], analyzer: Analyzer): TopicIndex {
  const termFreqs = new Map<string, Map<string, number>>(); // class → term → weighted tf
  const lengths = new Map<string, number>();
  const docFreq = new Map<string, number>();
  const phrasesByClass = new Map<string, IndexedPhrase[]>();

  for (const doc of docs) {
    const tf = new Map<string, number>();
    let length = 0;
    for (const field of doc.fields) {
      for (const text of field.texts) {
        for (const term of analyzer.analyze(text).terms) {
          tf.set(term, (tf.get(term) ?? 0) + field.weight);
          length += field.weight;
        }
      }
    }
    termFreqs.set(doc.id, tf);
    lengths.set(doc.id, length);
    for (const term of tf.keys()) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
  }

  const n = docs.length;
  const idfCache = new Map<string, number>();
  for (const [term, df] of docFreq) idfCache.set(term, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  const idf = (term: string): number => idfCache.get(term) ?? 0;
  const averageLength = [...lengths.values()].reduce((a, b) => a + b, 0) / Math.max(1, n);

  for (const doc of docs) {
    const phrases: IndexedPhrase[] = [];
    for (const phrase of doc.phrases) {
      const words = analyzer.analyze(phrase).words;
      if (words.length === 0) continue;
      const terms = new Set(words);
      const weight = [...terms].reduce((sum, term) => sum + idf(term), 0);
      if (weight > 0) phrases.push({ terms, weight });
    }
    phrasesByClass.set(doc.id, phrases);
  }

  // Which phrases use a word: a message only touches the phrases that share a word with it.
  const phrasesByWord = new Map<string, { classIndex: number; phrase: IndexedPhrase }[]>();
  docs.forEach((doc, classIndex) => {
    for (const phrase of phrasesByClass.get(doc.id)!) {
      for (const word of phrase.terms) {
        const list = phrasesByWord.get(word) ?? [];
        list.push({ classIndex, phrase });
        phrasesByWord.set(word, list);
      }
    }
  });

  const bestPhraseShares = (uniqueWords: ReadonlySet<string>): number[] => {
    const found = new Map<IndexedPhrase, number>();
    const classOf = new Map<IndexedPhrase, number>();
    for (const word of uniqueWords) {
      for (const { classIndex, phrase } of phrasesByWord.get(word) ?? []) {
        found.set(phrase, (found.get(phrase) ?? 0) + idf(word));
        classOf.set(phrase, classIndex);
      }
    }
    const best = new Array<number>(docs.length).fill(0);
    for (const [phrase, weight] of found) {
      // A phrase of one common word proves little: weigh the share by how telling the phrase is.
      const share = (weight / phrase.weight) * Math.min(1, phrase.weight / TELLING_PHRASE_WEIGHT);
      const classIndex = classOf.get(phrase)!;
      if (share > best[classIndex]!) best[classIndex] = share;
    }
    return best;
  };

  // Where each word occurs in the error texts: (class, text, position), for finding shared runs.
  const errorTextOccurrences = new Map<string, { classIndex: number; key: number; length: number }[]>();
  let textCounter = 0;
  docs.forEach((doc, classIndex) => {
    for (const errorText of doc.errorTexts) {
      const words = analyzer.analyze(errorText).sequence;
      const textId = textCounter++;
      words.forEach((word, position) => {
        const list = errorTextOccurrences.get(word) ?? [];
        list.push({ classIndex, key: textId * 1024 + position, length: words.length });
        errorTextOccurrences.set(word, list);
      });
    }
  });

  const longestErrorRuns = (words: readonly string[]): { perClass: number[]; length: number } => {
    const best = new Array<number>(docs.length).fill(0);
    let longest = 0;
    let previous = new Map<number, number>();
    for (const word of words) {
      const current = new Map<number, number>();
      for (const occurrence of errorTextOccurrences.get(word) ?? []) {
        const run = (previous.get(occurrence.key - 1) ?? 0) + 1;
        current.set(occurrence.key, run);
        if (run > longest) longest = run;
        const share = Math.min(1, run / Math.min(8, occurrence.length));
        if (share > best[occurrence.classIndex]!) best[occurrence.classIndex] = share;
      }
      previous = current;
    }
    return { perClass: best, length: longest };
  };

  const score = (terms: readonly string[], words: readonly string[], sequence: readonly string[] = words): ClassScore[] => {
    const errorRuns = longestErrorRuns(sequence).perClass;
    const uniqueTerms = [...new Set(terms)].filter((term) => idfCache.has(term));
    const uniqueWords = new Set(words.filter((word) => idfCache.has(word)));
    const best = uniqueTerms.reduce((sum, term) => sum + idf(term) * (K1 + 1), 0);
    const knownWordWeight = [...uniqueWords].reduce((sum, word) => sum + idf(word), 0);
    const phraseShares = bestPhraseShares(uniqueWords);
    return docs.map((doc, classIndex) => {
      const tf = termFreqs.get(doc.id)!;
      const norm = K1 * (1 - B + (B * lengths.get(doc.id)!) / averageLength);
      let bm25 = 0;
      for (const term of uniqueTerms) {
        const f = tf.get(term);
        if (f) bm25 += (idf(term) * f * (K1 + 1)) / (f + norm);
      }
      let coveredWeight = 0;
      for (const word of uniqueWords) if (tf.has(word)) coveredWeight += idf(word);
      const phrase = phraseShares[classIndex]!;
      const bm25Share = best > 0 ? bm25 / best : 0;
      const coverage = knownWordWeight > 0 ? coveredWeight / knownWordWeight : 0;
      return { id: doc.id, bm25: bm25Share, phrase, coverage, errorRun: errorRuns[classIndex]!, score: 0 };
    });
  };

  const errorRuns = (sequence: readonly string[]): { share: number; length: number } => {
    const runs = longestErrorRuns(sequence);
    return { share: Math.max(0, ...runs.perClass), length: runs.length };
  };

  return { score, idf, errorRuns };
}
