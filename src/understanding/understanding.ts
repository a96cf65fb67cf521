import type { Lang } from '../shared/lang';

/** What the matcher makes of one message. The JSON reply contract of `marsbot ask` is built from it. */
export type UnderstandingKind = 'answer' | 'clarify' | 'fallback' | 'info' | 'smalltalk' | 'escalate';

/**
 * Why the matcher may give a topic's troubleshooting steps: what in the message shows that the topic
 * explains it (see evidence.ts). `none` means only words every topic shares, or none at all.
 */
export type EvidenceKind = 'id' | 'error-text' | 'signature' | 'symptom' | 'shared-code' | 'none';

export type SmalltalkIntent = 'greeting' | 'thanks' | 'help' | 'goodbye';

export interface Candidate {
  topic: string;
  score: number;
}

export interface Understanding {
  kind: UnderstandingKind;
  /** The topic to answer (kind = answer), else null. */
  topic: string | null;
  /** The cause within the topic, when the message already tells it. */
  case: string | null;
  /** Causes of `topic` the message says are not it ("I tried Chrome and Edge", "no proxy"); absent = none. */
  ruledOut?: string[];
  /** With `openTopic` given: the cause the message names and the causes it rules out within that topic. */
  openTopicCase?: { case: string | null; ruledOut: string[] };
  /** Ranked alternatives, best first. */
  candidates: Candidate[];
  /** 0–1: how sure the matcher is of `topic`. */
  confidence: number;
  /** The reply language. */
  lang: Lang;
  /** Whether the language came from the user's own words (true) or from a preference/default. */
  langFromText: boolean;
  /** Error ids and codes found in the text, normalised. */
  errorIds: string[];
  smalltalk?: SmalltalkIntent;
  /** With kind = info: the id of the fact (knowledge/facts/<id>.yaml) that answers the message. */
  info?: string;
  /** With kind = fallback: the out-of-scope subject the message is about, when one is recognised. */
  subject?: string;
  /** What shows that the best topic explains the message (always set when a topic was scored). */
  evidence?: EvidenceKind;
  /** The best fact and out-of-scope subject and their scores, for diagnostics (`npm run eval -- --verbose`). */
  neighbours?: { fact?: { id: string; score: number }; subject?: { id: string; score: number } };
  /** The text after normalisation that was scored (for a long paste: the lines read closely). */
  normalizedText: string;
  /**
   * True only when the input was longer than everything the matcher reads at all (MAX_INPUT_CHARS,
   * above the HTTP body limit): a long paste is searched whole for error ids and agent messages.
   */
  truncated: boolean;
}

export interface UnderstandOptions {
  /** The caller's language preference, used when the text has no language signal. */
  preferredLang?: Lang;
  /** Forces the reply language (--lang). */
  forceLang?: Lang;
  /** The topic the conversation is on: the message is also read for that topic's causes. */
  openTopic?: string;
}

export interface Matcher {
  understand(text: string, options?: UnderstandOptions): Understanding;
}
