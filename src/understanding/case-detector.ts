import type { Topic } from '../knowledge/schema';
import type { Analyzer } from './analyzer';

/**
 * Within a topic, which cause does the message already name? ("34513 … we are behind a proxy"
 * → the proxy case.) Only words that belong to one case's triggers count, so words every case
 * shares decide nothing.
 */

export type CaseIndex = ReadonlyMap<string, { caseId: string; words: Set<string> }[]>;

export function createCaseIndex(topics: readonly Topic[], analyzer: Analyzer): CaseIndex {
  const index = new Map<string, { caseId: string; words: Set<string> }[]>();
  for (const topic of topics) {
    if (topic.cases.length < 2) continue;
    const perCase = topic.cases.map((c) => ({
      caseId: c.id,
      words: new Set([...c.triggers.nl, ...c.triggers.en].flatMap((t) => analyzer.analyze(t).words)),
    }));
    // Keep only the words that are distinctive for one case: not shared with another case, and
    // not part of the topic's own name or error message (those say which topic, not which cause).
    const generic = new Set(
      [topic.title.nl, topic.title.en, ...topic.errorTexts.nl, ...topic.errorTexts.en].flatMap((t) => analyzer.analyze(t).words),
    );
    const counts = new Map<string, number>();
    for (const c of perCase) for (const w of c.words) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const c of perCase) for (const w of [...c.words]) if ((counts.get(w) ?? 0) > 1 || generic.has(w)) c.words.delete(w);
    index.set(topic.id, perCase);
  }
  return index;
}

export function detectCase(index: CaseIndex, topic: Topic, words: readonly string[]): string | null {
  const cases = index.get(topic.id);
  if (!cases) return null;
  const message = new Set(words);
  const ranked = cases
    .map((c) => ({ caseId: c.caseId, hits: [...c.words].filter((w) => message.has(w)).length }))
    .sort((a, b) => b.hits - a.hits);
  const [best, second] = ranked;
  if (!best || best.hits === 0 || (second && second.hits === best.hits)) return null;
  return best.caseId;
}
