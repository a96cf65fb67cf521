import { openTopic } from '../knowledge/follow-ups';
import { factCitation, findSubject, relatedTopics } from '../conversation/fact-view';
import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Lang } from '../shared/lang';
import { t } from '../shared/i18n';
import type { Candidate, Understanding, UnderstandingKind } from '../understanding/understanding';

/** The reply object of `marsbot ask --json` (contract: test/eval/README.md). */
export interface AskReply {
  kind: Exclude<UnderstandingKind, 'smalltalk'> | 'smalltalk';
  /** With kind = info: the id of the fact answered; else null. */
  info: string | null;
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
  /** With kind = info: the fact itself (extra field); `steps` hold its short points. */
  answer?: string;
  /** The Microsoft Learn page: the fact's section, or the page of the product a fallback names (extra field). */
  link?: { label: string; url: string };
  /** With kind = fallback: the out-of-scope subject recognised (extra field). */
  subject?: string;
}

const ESCALATE_ID = 'escalate';
const SOMETHING_ELSE_ID = 'something-else';

/** Builds the contract reply from what the matcher understood and the knowledge base. */
export function buildAskReply(kb: KnowledgeBase, u: Understanding): AskReply {
  const common = {
    kind: u.kind,
    info: null,
    topic: u.topic,
    case: u.case,
    candidates: u.candidates,
    confidence: u.confidence,
    lang: u.lang,
    errorIds: u.errorIds,
  };
  const lang = u.lang;
  const escalate = { id: ESCALATE_ID, label: t(lang, 'cli:escalateButton') };
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
  const fact = u.kind === 'info' && u.info ? kb.factsById.get(u.info) : undefined;
  if (fact) {
    const related = relatedTopics(kb, fact);
    const citation = factCitation(fact, lang);
    return {
      ...common,
      info: fact.id,
      title: fact.title[lang],
      answer: fact.answer[lang],
      steps: fact.points[lang],
      link: { label: citation.label, url: citation.url },
      ...(related.length > 0 ? { prompt: t(lang, 'cli:relatedPrompt') } : {}),
      followUps: related.map((r) => ({ id: r.id, label: r.title[lang] })),
    };
  }
  if (u.kind === 'clarify') {
    return {
      ...common,
      title: t(lang, 'cli:clarifyTitle'),
      steps: [],
      followUps: [
        ...u.candidates.map((c) => ({ id: c.topic, label: kb.byId.get(c.topic)?.title[lang] ?? c.topic })),
        { id: SOMETHING_ELSE_ID, label: t(lang, 'cli:somethingElse') },
        escalate,
      ],
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
    return { ...common, title: t(lang, 'cli:escalateTitle'), steps: [], followUps: [escalate] };
  }
  const subject = findSubject(kb, u.subject);
  return {
    ...common,
    kind: 'fallback',
    title: subject ? t(lang, 'cli:fallbackSubjectTitle', { name: subject.name[lang] }) : t(lang, 'cli:fallbackTitle'),
    steps: [],
    ...(subject && u.subject ? { subject: u.subject } : {}),
    ...(subject?.link ? { link: { label: subject.link.title[lang], url: subject.link.url } } : {}),
    followUps: [escalate],
  };
}
