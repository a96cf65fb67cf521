import { openTopic } from '../knowledge/follow-ups';
import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Lang } from '../shared/lang';
import { t } from '../shared/i18n';
import type { Candidate, Understanding, UnderstandingKind } from '../understanding/understanding';

/** The reply object of `marsbot ask --json` (contract: shared/eval/README.md). */
export interface AskReply {
  kind: Exclude<UnderstandingKind, 'smalltalk'> | 'smalltalk';
  topic: string | null;
  case: string | null;
  candidates: Candidate[];
  confidence: number;
  lang: Lang;
  errorIds: string[];
  title: string;
  steps: string[];
  followUps: { id: string; label: string }[];
  /** The follow-up question the followUps answer (extra field, for readable output). */
  prompt?: string;
  /** Greeting, thanks, help or goodbye: the message is small talk, answered with `title`. */
  smalltalk?: string;
}

/** Builds the contract reply from what the matcher understood and the knowledge base. */
export function buildAskReply(kb: KnowledgeBase, u: Understanding): AskReply {
  const common = {
    kind: u.kind,
    topic: u.topic,
    case: u.case,
    candidates: u.candidates,
    confidence: u.confidence,
    lang: u.lang,
    errorIds: u.errorIds,
  };
  const lang = u.lang;
  const topic = u.topic ? kb.byId.get(u.topic) : undefined;
  if (u.kind === 'answer' && topic) {
    // The same opening the chat shows: ruled-out causes skipped, answered questions not asked.
    const { shown: chosen, question } = openTopic(topic, u.case, u.ruledOut);
    return {
      ...common,
      title: topic.title[lang],
      steps: chosen.steps[lang],
      prompt: question ? question.question[lang] : t(lang, 'cli:solvedPrompt'),
      followUps: question
        ? question.options.map((o) => ({ id: `${question.id}:${o.id}`, label: o.label[lang] }))
        : [{ id: 'solved:yes', label: t(lang, 'cli:solvedYes') }, { id: 'solved:no', label: t(lang, 'cli:solvedNo') }],
    };
  }
  if (u.kind === 'clarify') {
    return {
      ...common,
      title: t(lang, 'cli:clarifyTitle'),
      steps: [],
      followUps: u.candidates.map((c) => ({ id: c.topic, label: kb.byId.get(c.topic)?.title[lang] ?? c.topic })),
    };
  }
  if (u.kind === 'smalltalk') {
    // Small talk is out of scope for troubleshooting: the contract scores out-of-scope lines by
    // kind "fallback", so that is the kind; `smalltalk` names the intent and the title answers it.
    return {
      ...common,
      kind: 'fallback',
      smalltalk: u.smalltalk ?? 'help',
      title: t(lang, `cli:smalltalk.${u.smalltalk ?? 'help'}`),
      steps: [],
      followUps: [],
    };
  }
  if (u.kind === 'escalate') {
    return { ...common, title: t(lang, 'cli:escalateTitle'), steps: [], followUps: [{ id: 'escalate', label: t(lang, 'cli:escalateButton') }] };
  }
  return {
    ...common,
    title: t(lang, 'cli:fallbackTitle'),
    steps: [],
    followUps: [{ id: 'escalate', label: t(lang, 'cli:escalateButton') }],
  };
}
