import type { Topic, TopicCase } from '../../knowledge/schema';
import type { Reply } from '../../replies/reply';
import { t } from '../../shared/i18n';
import { openTopic } from '../../knowledge/follow-ups';
import { findQuestion, nextUntriedCase, sourceCitation } from '../knowledge-view';
import { escalateButton, feedbackRequest, followUpQuestion, solvedQuestion } from '../reply-parts';
import { addStepsShown, withoutTopic, type ConversationState } from '../state';
import type { Turn, TurnOutcome } from '../turn';

/**
 * Showing knowledge: a topic's answer, one case's steps, the next case when one did not help,
 * and the escalation offer when every case has been tried.
 */

/** The topic whose own escalation button is the point of the answer: our team, not Microsoft's. */
const CONTACT_SUPPORT_TOPIC = 'contact-support';

function answerActions(turn: Turn, topic: Topic): Pick<Reply, 'actions' | 'feedback' | 'source'> {
  const source = sourceCitation(topic, turn.lang);
  return {
    actions: [escalateButton(turn.lang, topic.id === CONTACT_SUPPORT_TOPIC)],
    feedback: feedbackRequest(turn.lang, topic.id),
    ...(source ? { source } : {}),
  };
}

/**
 * The full answer to a topic: summary, the most likely case's steps, then a question. Cases the
 * message ruled out are never shown, and questions it already answered are not asked.
 */
export function answerTopic(turn: Turn, topic: Topic, caseId: string | null, ruledOut: readonly string[] = []): TurnOutcome {
  const lang = turn.lang;
  const opening = openTopic(topic, caseId, ruledOut);
  const shown = opening.shown;
  const firstQuestion = opening.question;
  const askFollowUp = firstQuestion !== undefined;

  const text = [topic.summary[lang]];
  if (topic.cases.length > 1) text.push(t(lang, 'answer.likelyCause', { case: shown.title[lang] }));

  const answer: Reply = { kind: 'answer', lang, title: topic.title[lang], text, steps: shown.steps[lang], ...answerActions(turn, topic) };
  // What changed between article versions is background for maintainers and the ticket; under an
  // answer only where it changes what the admin does, and then as small print under the steps.
  if (topic.changes?.showInAnswer) answer.footer = t(lang, 'answer.changed', { text: topic.changes[lang] });
  if (topic.id === CONTACT_SUPPORT_TOPIC) {
    answer.prompt = t(lang, 'answer.contactSupportPrompt');
    answer.choices = [escalateButton(lang, true)];
  }

  let state: ConversationState = {
    ...withoutTopic(turn.state),
    topic: topic.id,
    case: shown.id,
    casesTried: topic.cases.map((c) => c.id).filter((id) => opening.ruledOut.includes(id)),
    pendingQuestion: askFollowUp ? firstQuestion.id : null,
    awaiting: askFollowUp ? null : 'solved',
  };
  state = addStepsShown(state, shown.steps[lang]);
  const next = askFollowUp ? followUpQuestion(lang, topic, firstQuestion) : solvedQuestion(lang, topic.id, shown.id);
  return { replies: [answer, next], state, events: [{ type: 'answer', topic: topic.id }] };
}

/** One case's steps, with "did this solve it?" after them. */
export function showCase(turn: Turn, topic: Topic, chosen: TopicCase, intro?: string, base: ConversationState = turn.state): TurnOutcome {
  const lang = turn.lang;
  const text = [...(intro ? [intro] : []), chosen.when[lang]];
  const title = topic.cases.length > 1 ? chosen.title[lang] : topic.title[lang];
  const answer: Reply = { kind: 'answer', lang, title, text, steps: chosen.steps[lang], ...answerActions(turn, topic) };
  let state: ConversationState = {
    ...base,
    topic: topic.id,
    case: chosen.id,
    pendingQuestion: null,
    awaiting: 'solved',
    topicChoices: [],
  };
  state = addStepsShown(state, chosen.steps[lang]);
  return { replies: [answer, solvedQuestion(lang, topic.id, chosen.id)], state, events: [{ type: 'answer', topic: topic.id }] };
}

/** The next follow-up question of a topic. */
export function askQuestion(turn: Turn, topic: Topic, questionId: string, base: ConversationState = turn.state): TurnOutcome {
  const question = findQuestion(topic, questionId)!;
  return {
    replies: [followUpQuestion(turn.lang, topic, question)],
    state: { ...base, topic: topic.id, pendingQuestion: question.id, awaiting: null, topicChoices: [] },
  };
}

/**
 * Marks `ruledOut` as tried and moves on: the next untried case ("Then let's check …"), or,
 * when none is left, the offer to hand over to our support team.
 */
export function moveToNextCase(turn: Turn, topic: Topic, ruledOut: readonly string[], base: ConversationState = turn.state): TurnOutcome {
  const lang = turn.lang;
  const tried = [...new Set([...base.casesTried, ...ruledOut])].filter((id) => topic.cases.some((c) => c.id === id));
  const state: ConversationState = { ...base, topic: topic.id, casesTried: tried, pendingQuestion: null, topicChoices: [] };
  const next = nextUntriedCase(topic, tried, base.casesUnlikely);
  if (next) return showCase(turn, topic, next, t(lang, 'answer.nextCase', { case: next.title[lang] }), state);
  return {
    replies: [
      {
        kind: 'escalate',
        lang,
        title: t(lang, 'exhausted.title'),
        text: [t(lang, 'exhausted.text')],
        prompt: t(lang, 'exhausted.prompt'),
        choices: [escalateButton(lang, true)],
      },
    ],
    state: { ...state, awaiting: null },
  };
}
