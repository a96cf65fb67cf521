import type { Topic } from '../knowledge/schema';
import type { Analyzer } from './analyzer';
import type { ErrorIdCatalog } from './error-ids';
import { createTopicIndex, type TopicIndex } from './topic-index';

/**
 * What the agent shows but every other program shows as well:
 *   - an HTTP status with its standard reason ("(407) Proxy Authentication Required"): the Azure
 *     Monitor Agent and every browser behind the same proxy show it too. These are the error texts
 *     whose only code is a weak one (an HTTP status, error-ids.ts);
 *   - Windows' own message for a Windows code ("Access is denied" for 0x80070005). A topic pairs each
 *     Windows code it owns with Windows' message in a trigger ("0x80070005 access is denied on some
 *     files"); its other error texts ("A critical inconsistency was detected…") are the agent's own,
 *     even when every id of the topic is a Windows code.
 * A topic quotes them because the agent shows them, but pasted they are shared codes, not the
 * agent's own words.
 */
export interface SharedErrorTexts {
  /** Per topic, the longest run of one of its shared error texts in the word sequence (0–1, as topic-index.ts measures it). */
  runsIn(sequence: readonly string[]): ReadonlyMap<string, number>;
  /** The same for Windows' own messages only. */
  windowsRunsIn(sequence: readonly string[]): ReadonlyMap<string, number>;
  /** Per topic, its error texts that are Windows' own messages. */
  windowsMessages: ReadonlyMap<string, readonly string[]>;
}

/** Windows' own error codes (HRESULTs of Win32 errors). */
export const WINDOWS_CODE = /^0x8007[0-9A-F]{4}$/;

export function createSharedErrorTexts(topics: readonly Topic[], errorIds: ErrorIdCatalog, analyzer: Analyzer): SharedErrorTexts {
  const isHttpReason = (errorText: string): boolean => {
    const ids = errorIds.extract(errorText);
    return ids.weak.length > 0 && ids.strong.length === 0;
  };
  const windowsMessages = new Map<string, string[]>();
  for (const topic of topics) {
    const windowsCodes = topic.errorIds.filter((id) => WINDOWS_CODE.test(id));
    if (windowsCodes.length === 0) continue;
    // The trigger phrases that name one of the topic's Windows codes, as sets of words.
    const pairedTriggers = [...topic.triggers.nl, ...topic.triggers.en]
      .filter((trigger) => errorIds.extract(trigger).strong.some((id) => windowsCodes.includes(id)))
      .map((trigger) => new Set(analyzer.analyze(trigger).words));
    const texts = [...topic.errorTexts.nl, ...topic.errorTexts.en].filter((text) => {
      const words = analyzer.analyze(text).words;
      return words.length > 0 && pairedTriggers.some((trigger) => words.every((word) => trigger.has(word)));
    });
    if (texts.length > 0) windowsMessages.set(topic.id, texts);
  }
  const indexOf = (select: (topic: Topic, text: string) => boolean) =>
    createTopicIndex(
      topics.map((topic) => ({
        id: topic.id,
        fields: [],
        phrases: [],
        errorTexts: [...topic.errorTexts.nl, ...topic.errorTexts.en].filter((text) => select(topic, text)),
      })),
      analyzer,
    );
  const isWindowsMessage = (topic: Topic, text: string): boolean => windowsMessages.get(topic.id)?.includes(text) ?? false;
  const shared = indexOf((topic, text) => isHttpReason(text) || isWindowsMessage(topic, text));
  const windows = indexOf(isWindowsMessage);
  const runs = (index: TopicIndex, sequence: readonly string[]): ReadonlyMap<string, number> =>
    new Map(index.score([], sequence).map((s) => [s.id, s.errorRun] as const));
  return {
    runsIn: (sequence) => runs(shared, sequence),
    windowsRunsIn: (sequence) => runs(windows, sequence),
    windowsMessages,
  };
}
