import { pairTerm, termsOf, type Analyzer } from './analyzer';

/**
 * A BM25 index where each document is one class (a topic, or an out-of-scope subject), plus a
 * phrase score: how much of the best-matching single trigger phrase the message contains. BM25
 * gathers evidence spread over a long message; the phrase score rewards a message that says what
 * one trigger says, even when it is short.
 *
 * Everything a message is compared with is laid out at build time as numbered terms with posting
 * lists, so scoring a message touches only the classes, phrases and error texts that share a word
 * with it. The sums are taken in the same order as a straightforward per-class loop would take them.
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

const K1 = 1.2;
/** Summed idf at which a phrase counts fully: about two words that only one or two topics use. */
const TELLING_PHRASE_WEIGHT = 5;
const B = 0.4;

export interface TopicIndex {
  /** Scores every class for a message's analyzed words (pairs are added here) and word sequence. */
  score(words: readonly string[], sequence?: readonly string[]): ClassScore[];
  /** Inverse document frequency of a term (0 when unknown). */
  idf(term: string): number;
  /**
   * What this word sequence repeats in a row of any class's error text: the best share of one
   * error text (0–1) and the longest run in words.
   */
  errorRuns(sequence: readonly string[]): { share: number; length: number };
  /** The classes one of whose error texts contains this whole word sequence, word for word. */
  errorTextsContaining(sequence: readonly string[]): string[];
}

/** "Seen in this call" marks that need no clearing: a mark counts only when it equals the current call's number. */
class CallMarks {
  private marks: Uint32Array;
  private call = 0;
  constructor(size: number) {
    this.marks = new Uint32Array(size);
  }
  next(): void {
    this.call++;
    if (this.call === 0xffffffff) {
      this.marks.fill(0);
      this.call = 1;
    }
  }
  /** Marks slot i; true when it was not marked yet in this call. */
  first(i: number): boolean {
    if (this.marks[i] === this.call) return false;
    this.marks[i] = this.call;
    return true;
  }
}

export function createTopicIndex(docs: readonly ClassDocument[], analyzer: Analyzer): TopicIndex {
  const n = docs.length;
  const termFreqs: Map<string, number>[] = []; // class → term → weighted tf
  const lengths: number[] = [];
  const docFreq = new Map<string, number>();
  // first word → second word → pair term, for the pairs the knowledge base contains
  const pairTerms = new Map<string, Map<string, string>>();

  for (const doc of docs) {
    const tf = new Map<string, number>();
    let length = 0;
    for (const field of doc.fields) {
      for (const text of field.texts) {
        const words = analyzer.analyze(text).words;
        for (const term of termsOf(words)) {
          tf.set(term, (tf.get(term) ?? 0) + field.weight);
          length += field.weight;
        }
        for (let i = 0; i + 1 < words.length; i++) {
          const seconds = pairTerms.get(words[i]!) ?? new Map<string, string>();
          seconds.set(words[i + 1]!, pairTerm(words[i]!, words[i + 1]!));
          pairTerms.set(words[i]!, seconds);
        }
      }
    }
    termFreqs.push(tf);
    lengths.push(length);
    for (const term of tf.keys()) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
  }

  const idfCache = new Map<string, number>();
  for (const [term, df] of docFreq) idfCache.set(term, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  const idf = (term: string): number => idfCache.get(term) ?? 0;
  const averageLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, n);

  // Terms by number; for each term the classes that use it with their BM25 numerator and denominator.
  const termId = new Map<string, number>();
  const termIdf: number[] = [];
  for (const [term, value] of idfCache) {
    termId.set(term, termIdf.length);
    termIdf.push(value);
  }
  const pairIds = new Map<string, Map<string, number>>();
  for (const [first, seconds] of pairTerms) {
    const ids = new Map<string, number>();
    for (const [second, term] of seconds) ids.set(second, termId.get(term)!);
    pairIds.set(first, ids);
  }
  const postingClasses: number[][] = termIdf.map(() => []);
  const postingNumerators: number[][] = termIdf.map(() => []);
  const postingDenominators: number[][] = termIdf.map(() => []);
  termFreqs.forEach((tf, classIndex) => {
    const norm = K1 * (1 - B + (B * lengths[classIndex]!) / averageLength);
    for (const [term, f] of tf) {
      const id = termId.get(term)!;
      postingClasses[id]!.push(classIndex);
      postingNumerators[id]!.push(termIdf[id]! * f * (K1 + 1));
      postingDenominators[id]!.push(f + norm);
    }
  });

  // Phrases by number, and which phrases use a word: a message only touches the phrases that share a word with it.
  const phraseClass: number[] = [];
  const phraseWeight: number[] = [];
  const phraseTelling: number[] = [];
  const phrasesOfTerm: number[][] = termIdf.map(() => []);
  docs.forEach((doc, classIndex) => {
    for (const phrase of doc.phrases) {
      const words = analyzer.analyze(phrase).words;
      if (words.length === 0) continue;
      const terms = new Set(words);
      const weight = [...terms].reduce((sum, term) => sum + idf(term), 0);
      if (weight <= 0) continue;
      const phraseId = phraseClass.length;
      phraseClass.push(classIndex);
      phraseWeight.push(weight);
      // A phrase of one common word proves little: weigh the share by how telling the phrase is.
      phraseTelling.push(Math.min(1, weight / TELLING_PHRASE_WEIGHT));
      for (const term of terms) {
        const id = termId.get(term);
        if (id !== undefined) phrasesOfTerm[id]!.push(phraseId);
      }
    }
  });

  // Every word of every error text gets a slot: text after text, with one unused slot in front of
  // each text, so "the slot before" a position is the previous word of the same text or never used.
  const slotClass: number[] = [];
  const slotTarget: number[] = [];
  const slotsOfWord = new Map<string, number[]>();
  docs.forEach((doc, classIndex) => {
    for (const errorText of doc.errorTexts) {
      const words = analyzer.analyze(errorText).sequence;
      slotClass.push(-1);
      slotTarget.push(1);
      words.forEach((word) => {
        const list = slotsOfWord.get(word) ?? [];
        list.push(slotClass.length);
        slotsOfWord.set(word, list);
        slotClass.push(classIndex);
        slotTarget.push(Math.min(8, words.length));
      });
    }
  });
  // Highest slot first: a word that repeats within a text reads its predecessor before overwriting it.
  for (const list of slotsOfWord.values()) list.sort((a, b) => b - a);

  // Scratch space for one score() call; score() runs to completion before the next call can start.
  const bm25 = new Float64Array(n);
  const covered = new Float64Array(n);
  const termMarks = new CallMarks(termIdf.length);
  const phraseMarks = new CallMarks(phraseClass.length);
  const phraseFound = new Float64Array(phraseClass.length);
  const touchedPhrases = new Int32Array(phraseClass.length);
  // Run length per slot and the step (word number, counted over all calls) it was written at.
  const slotRun = new Int32Array(slotClass.length);
  const slotStep = new Float64Array(slotClass.length);
  let stepClock = 2;

  const longestErrorRuns = (words: readonly string[]): { perClass: number[]; length: number; longestPerClass: number[] } => {
    const best = new Array<number>(n).fill(0);
    const longestPerClass = new Array<number>(n).fill(0);
    let longest = 0;
    const firstStep = stepClock;
    stepClock += words.length + 1;
    for (let i = 0; i < words.length; i++) {
      const slots = slotsOfWord.get(words[i]!);
      if (slots === undefined) continue;
      const step = firstStep + i;
      for (const slot of slots) {
        const run = (slotStep[slot - 1] === step - 1 ? slotRun[slot - 1]! : 0) + 1;
        slotRun[slot] = run;
        slotStep[slot] = step;
        if (run > longest) longest = run;
        const share = Math.min(1, run / slotTarget[slot]!);
        const classIndex = slotClass[slot]!;
        if (share > best[classIndex]!) best[classIndex] = share;
        if (run > longestPerClass[classIndex]!) longestPerClass[classIndex] = run;
      }
    }
    return { perClass: best, length: longest, longestPerClass };
  };

  const score = (words: readonly string[], sequence: readonly string[] = words): ClassScore[] => {
    const errorRuns = longestErrorRuns(sequence).perClass;

    // The message's known terms, each once, in order: its words, then its word pairs.
    termMarks.next();
    const uniqueWords: number[] = [];
    for (const word of words) {
      const id = termId.get(word);
      if (id !== undefined && termMarks.first(id)) uniqueWords.push(id);
    }
    const uniqueTerms = uniqueWords.slice();
    for (let i = 0; i + 1 < words.length; i++) {
      const id = pairIds.get(words[i]!)?.get(words[i + 1]!);
      if (id !== undefined && termMarks.first(id)) uniqueTerms.push(id);
    }

    let best = 0;
    bm25.fill(0);
    for (const id of uniqueTerms) {
      best += termIdf[id]! * (K1 + 1);
      const classes = postingClasses[id]!;
      const numerators = postingNumerators[id]!;
      const denominators = postingDenominators[id]!;
      for (let k = 0; k < classes.length; k++) bm25[classes[k]!]! += numerators[k]! / denominators[k]!;
    }

    let knownWordWeight = 0;
    covered.fill(0);
    phraseMarks.next();
    let touched = 0;
    for (const id of uniqueWords) {
      const weight = termIdf[id]!;
      knownWordWeight += weight;
      for (const classIndex of postingClasses[id]!) covered[classIndex]! += weight;
      for (const phrase of phrasesOfTerm[id]!) {
        if (phraseMarks.first(phrase)) {
          phraseFound[phrase] = 0;
          touchedPhrases[touched++] = phrase;
        }
        phraseFound[phrase]! += weight;
      }
    }
    const phraseShares = new Array<number>(n).fill(0);
    for (let k = 0; k < touched; k++) {
      const phrase = touchedPhrases[k]!;
      const share = (phraseFound[phrase]! / phraseWeight[phrase]!) * phraseTelling[phrase]!;
      const classIndex = phraseClass[phrase]!;
      if (share > phraseShares[classIndex]!) phraseShares[classIndex] = share;
    }

    const scores: ClassScore[] = new Array<ClassScore>(n);
    for (let classIndex = 0; classIndex < n; classIndex++) {
      scores[classIndex] = {
        id: docs[classIndex]!.id,
        bm25: best > 0 ? bm25[classIndex]! / best : 0,
        phrase: phraseShares[classIndex]!,
        coverage: knownWordWeight > 0 ? covered[classIndex]! / knownWordWeight : 0,
        errorRun: errorRuns[classIndex]!,
        score: 0,
      };
    }
    return scores;
  };

  const errorRuns = (sequence: readonly string[]): { share: number; length: number } => {
    const runs = longestErrorRuns(sequence);
    return { share: Math.max(0, ...runs.perClass), length: runs.length };
  };

  const errorTextsContaining = (sequence: readonly string[]): string[] => {
    if (sequence.length === 0) return [];
    const runs = longestErrorRuns(sequence).longestPerClass;
    return docs.filter((_, classIndex) => runs[classIndex] === sequence.length).map((doc) => doc.id);
  };

  return { score, idf, errorRuns, errorTextsContaining };
}
