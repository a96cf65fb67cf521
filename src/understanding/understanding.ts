import type { Lang } from '../shared/lang';

/** What the matcher makes of one message. The JSON reply contract of `marsbot ask` is built from it. */
export type UnderstandingKind = 'answer' | 'clarify' | 'fallback' | 'smalltalk' | 'escalate';

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
  /** The text after normalisation, capped: what was matched. */
  normalizedText: string;
  /** True when the input was longer than the cap and cut. */
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
