import type { Topic } from '../knowledge/schema';
import type { Analyzer } from './analyzer';
import type { ErrorIdCatalog } from './error-ids';
import { foldCase, tokenize } from './normalize-text';
import type { TopicIndex } from './topic-index';

/**
 * Which lines of a long paste carry an error of ours: an error id of the agent (not an HTTP code, a
 * log is full of numbers like 403) or a run of an agent message. Every line gets a cheap first look —
 * does it have an id's digits, a Sal* name, or two of the rarer words of the agent's messages (used by
 * at most two topics)? — and only such lines get the full check.
 */
export function createErrorLineFinder(topics: readonly Topic[], errorIds: ErrorIdCatalog, index: TopicIndex, analyzer: Analyzer): (line: string) => boolean {
  const topicsUsing = new Map<string, number>();
  for (const topic of topics) {
    const words = new Set([...topic.errorTexts.nl, ...topic.errorTexts.en].flatMap((text) => tokenize(foldCase(text))));
    for (const word of words) if (word.length >= 5 && !/^\d+$/.test(word)) topicsUsing.set(word, (topicsUsing.get(word) ?? 0) + 1);
  }
  const messageWords = new Set([...topicsUsing].filter(([, count]) => count <= 2).map(([word]) => word));
  const idWords = new Set<string>();
  let salIds = false;
  for (const id of errorIds.ids) {
    if (/^[1-5]\d\d$/.test(id)) continue;
    if (id.startsWith('Sal')) salIds = true;
    else idWords.add(id.startsWith('0x') ? id.slice(2).toLowerCase() : id);
  }

  return (line: string): boolean => {
    let idHint = false;
    let messageHints = 0;
    for (const word of line.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      if (idWords.has(word) || idWords.has(word.replace(/^0x/, '')) || (salIds && word.startsWith('sal') && word.length >= 8)) idHint = true;
      else if (messageWords.has(word)) messageHints++;
    }
    if (idHint && errorIds.extract(line).strong.length > 0) return true;
    // A run of four words of an agent message has at least two of its rarer words.
    if (messageHints < 2) return false;
    const run = index.errorRuns(analyzer.sequenceOf(line));
    return run.length >= 4 || run.share >= 0.75;
  };
}
