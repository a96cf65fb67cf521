import type { Topic } from '../knowledge/schema';
import type { Analyzer } from './analyzer';
import type { ErrorIdCatalog } from './error-ids';
import { createTopicIndex } from './topic-index';

/**
 * What the agent shows but every other program shows as well: an HTTP status with its standard
 * reason ("(407) Proxy Authentication Required"). A topic quotes it because the agent shows it, but
 * pasted it is a shared code, not the agent's own words: the Azure Monitor Agent and every browser
 * behind the same proxy show it too. These are the error texts whose only code is a weak one (an
 * HTTP status, error-ids.ts).
 */
export interface SharedErrorTexts {
  /** Per topic, the longest run of one of its shared error texts in the word sequence (0–1, as topic-index.ts measures it). */
  runsIn(sequence: readonly string[]): ReadonlyMap<string, number>;
}

export function createSharedErrorTexts(topics: readonly Topic[], errorIds: ErrorIdCatalog, analyzer: Analyzer): SharedErrorTexts {
  const isShared = (errorText: string): boolean => {
    const ids = errorIds.extract(errorText);
    return ids.weak.length > 0 && ids.strong.length === 0;
  };
  const index = createTopicIndex(
    topics.map((topic) => ({ id: topic.id, fields: [], phrases: [], errorTexts: [...topic.errorTexts.nl, ...topic.errorTexts.en].filter(isShared) })),
    analyzer,
  );
  return {
    runsIn: (sequence) => new Map(index.score([], sequence).map((s) => [s.id, s.errorRun] as const)),
  };
}
