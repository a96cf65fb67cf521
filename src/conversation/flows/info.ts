import type { Fact } from '../../knowledge/fact-schema';
import type { Reply } from '../../replies/reply';
import { t } from '../../shared/i18n';
import { factCitation, findSubject, relatedTopics } from '../fact-view';
import { escalateButton, topicList } from '../reply-parts';
import { withoutTopic } from '../state';
import type { Turn, TurnOutcome } from '../turn';
import { shortTopicList } from './smalltalk';

/**
 * The info tier in the conversation: a short fact from the MARS FAQ or support matrix with its
 * Microsoft Learn section and the troubleshooting topics that usually come next (as buttons, or by
 * typing their number); and the fallback that names another product and links its documentation.
 */

/** The event topic under which an info answer is counted in the statistics. */
function infoEventTopic(fact: Fact): string {
  return `info:${fact.id}`;
}

export function answerInfo(turn: Turn, fact: Fact): TurnOutcome {
  const { lang } = turn;
  const related = relatedTopics(turn.ctx.knowledge, fact);
  const reply: Reply = {
    kind: 'info',
    lang,
    title: fact.title[lang],
    text: [fact.answer[lang], ...fact.points[lang].map((point) => `• ${point}`)],
    source: factCitation(fact, lang),
    actions: [escalateButton(lang)],
    ...(related.length > 0
      ? {
          prompt: t(lang, 'info.relatedPrompt'),
          choices: related.map((topic) => ({ id: `topic-${topic.id}`, label: topic.title[lang], action: { type: 'choose-topic' as const, topic: topic.id } })),
        }
      : {}),
  };
  // A fact is a new subject: whatever was open is closed, and the related topics can be picked by number.
  const state = { ...withoutTopic(turn.state), awaiting: related.length > 0 ? ('topic-choice' as const) : null, topicChoices: related.map((topic) => topic.id) };
  return { replies: [reply], state, events: [{ type: 'answer', topic: infoEventTopic(fact) }] };
}

/**
 * A message about another product or tool (MABS, Azure VM backup, Az PowerShell …): say what it is
 * about, link Microsoft's documentation for it, list what marsbot does know, offer escalation.
 * Undefined when the subject has no name in the knowledge base (the plain fallback answers then).
 */
export function subjectFallback(turn: Turn, subjectId: string | undefined): TurnOutcome | undefined {
  const { lang } = turn;
  const subject = findSubject(turn.ctx.knowledge, subjectId);
  if (!subject) return undefined;
  const reply: Reply = {
    kind: 'fallback',
    lang,
    text: [
      t(lang, subject.link ? 'fallback.subject' : 'fallback.subjectNoLink', { name: subject.name[lang] }),
      t(lang, 'fallback.known'),
      ...topicList(lang, shortTopicList(turn.ctx.knowledge)),
    ],
    ...(subject.link ? { source: { label: subject.link.title[lang], url: subject.link.url } } : {}),
    actions: [escalateButton(lang)],
  };
  return {
    replies: [reply],
    state: { ...turn.state, topicChoices: [], awaiting: turn.state.awaiting === 'topic-choice' ? null : turn.state.awaiting },
    events: [{ type: 'fallback', topic: null }],
  };
}
