import type { Topic, TopicCase } from '../../knowledge/schema';
import type { Reply } from '../../replies/reply';
import { t } from '../../shared/i18n';
import { openTopic } from '../../knowledge/follow-ups';
import { findCase, findQuestion, nextUntriedCase, sourceCitation } from '../knowledge-view';
import { escalateButton, followUpQuestion, solvedQuestion } from '../reply-parts';
import { addStepsShown, markShown, withoutTopic, type ConversationState } from '../state';
import type { Turn, TurnOutcome } from '../turn';

/**
 * Showing knowledge: a topic's answer, one case's steps, the next case when one did not help,
 * and the escalation offer when every case has been tried.
 */

/** The topic whose own escalation button is the point of the answer: our team, not Microsoft's. */
const CONTACT_SUPPORT_TOPIC = 'contact-support';

/**
 * The source, and the escalate button unless the question right after the answer offers it
 * ("did this solve it?" has it as its third choice: one question, not two).
 */
function answerActions(turn: Pick<Turn, 'lang'>, topic: Topic, escalate: boolean): Pick<Reply, 'actions' | 'source'> {
  const source = sourceCitation(topic, turn.lang);
  return {
    ...(escalate ? { actions: [escalateButton(turn.lang, topic.id === CONTACT_SUPPORT_TOPIC)] } : {}),
    ...(source ? { source } : {}),
  };
}

/**
 * The full answer to a topic: summary, the most likely case's steps, then a question. Cases the
 * message ruled out are never shown, and questions it already answered are not asked. `base` is the
 * state to build on (the turn's, or one already cleared by a change of subject).
 */
export function answerTopic(turn: Turn, topic: Topic, caseId: string | null, ruledOut: readonly string[] = [], base: ConversationState = turn.state): TurnOutcome {
  const lang = turn.lang;
  const opening = openTopic(topic, caseId, ruledOut);
  const shown = opening.shown;
  const firstQuestion = opening.question;
  const askFollowUp = firstQuestion !== undefined;

  const text = [topic.summary[lang]];
  if (topic.cases.length > 1) text.push(t(lang, 'answer.likelyCause', { case: shown.title[lang] }));

  const answer: Reply = { kind: 'answer', lang, title: topic.title[lang], text, steps: shown.steps[lang], ...answerActions(turn, topic, askFollowUp) };
  // What changed between article versions is background for maintainers and the ticket; under an
  // answer only where it changes what the admin does, and then as small print under the steps.
  if (topic.changes?.showInAnswer) answer.footer = t(lang, 'answer.changed', { text: topic.changes[lang] });
  if (topic.id === CONTACT_SUPPORT_TOPIC) {
    answer.prompt = t(lang, 'answer.contactSupportPrompt');
    answer.choices = [escalateButton(lang, true)];
  }

  let state: ConversationState = {
    ...withoutTopic(base),
    topic: topic.id,
    case: shown.id,
    casesTried: topic.cases.map((c) => c.id).filter((id) => opening.ruledOut.includes(id)),
    pendingQuestion: askFollowUp ? firstQuestion.id : null,
    awaiting: askFollowUp ? null : 'solved',
  };
  state = markShown(addStepsShown(state, shown.steps[lang]), shown.id);
  const next = askFollowUp ? followUpQuestion(lang, topic, firstQuestion) : solvedQuestion(lang, topic.id, shown.id);
  return { replies: [answer, next], state, events: [{ type: 'answer', topic: topic.id }] };
}

/**
 * One case's steps as an answer reply (no state change): shown now, or said again in another language.
 * `escalate`: whether the answer carries the escalate button itself (not when "did this solve it?" follows).
 */
export function caseReply(turn: Pick<Turn, 'lang'>, topic: Topic, chosen: TopicCase, intro?: string, escalate = true): Reply {
  const lang = turn.lang;
  const text = [...(intro ? [intro] : []), chosen.when[lang]];
  const title = topic.cases.length > 1 ? chosen.title[lang] : topic.title[lang];
  return { kind: 'answer', lang, title, text, steps: chosen.steps[lang], ...answerActions(turn, topic, escalate) };
}

/** One case's steps, with "did this solve it?" after them. */
export function showCase(turn: Turn, topic: Topic, chosen: TopicCase, intro?: string, base: ConversationState = turn.state): TurnOutcome {
  const lang = turn.lang;
  let state: ConversationState = {
    ...base,
    topic: topic.id,
    case: chosen.id,
    pendingQuestion: null,
    awaiting: 'solved',
    topicChoices: [],
  };
  state = markShown(addStepsShown(state, chosen.steps[lang]), chosen.id);
  return {
    replies: [caseReply(turn, topic, chosen, intro, false), solvedQuestion(lang, topic.id, chosen.id)],
    state,
    events: [{ type: 'answer', topic: topic.id }],
  };
}

/** The next follow-up question of a topic. */
export function askQuestion(turn: Turn, topic: Topic, questionId: string, base: ConversationState = turn.state): TurnOutcome {
  const question = findQuestion(topic, questionId)!;
  return {
    replies: [followUpQuestion(turn.lang, topic, question)],
    state: { ...base, topic: topic.id, pendingQuestion: question.id, awaiting: null, topicChoices: [] },
  };
}

/** "We've checked everything I know": what was checked, and the offer to hand it over with all of it. */
function exhausted(turn: Turn, topic: Topic, state: ConversationState): TurnOutcome {
  const lang = turn.lang;
  const checked = state.casesShown.map((id) => findCase(topic, id)).filter((c): c is TopicCase => c !== undefined);
  return {
    replies: [
      {
        kind: 'escalate',
        lang,
        title: t(lang, 'exhausted.title'),
        text: [t(lang, 'exhausted.text'), ...(checked.length > 0 ? [t(lang, 'exhausted.checked'), ...checked.map((c) => `• ${c.title[lang]}`)] : [])],
        prompt: t(lang, 'exhausted.prompt'),
        choices: [escalateButton(lang, true)],
      },
    ],
    state: { ...state, pendingQuestion: null, awaiting: 'escalation-offer', topicChoices: [] },
  };
}

/**
 * Marks `ruledOut` as tried and moves on to a cause that was neither shown nor ruled out by the
 * user's answers ("Then let's check …"); when none is left, says so and offers to hand over to
 * our support team.
 */
export function moveToNextCase(turn: Turn, topic: Topic, ruledOut: readonly string[], base: ConversationState = turn.state): TurnOutcome {
  const lang = turn.lang;
  const tried = [...new Set([...base.casesTried, ...ruledOut])].filter((id) => topic.cases.some((c) => c.id === id));
  const state: ConversationState = { ...base, topic: topic.id, casesTried: tried, pendingQuestion: null, topicChoices: [] };
  // Causes the answers led away from are offered last, not never: an answer that pointed elsewhere
  // ("the file is old") does not rule a cause out the way an explicit answer ("no proxy") does.
  const next = nextUntriedCase(topic, [...tried, ...state.casesShown, ...state.casesUnlikely]) ?? nextUntriedCase(topic, [...tried, ...state.casesShown]);
  // The cause shown next is the one the conversation reached, unlikely or not.
  if (next) return showCase(turn, topic, next, t(lang, 'answer.nextCase', { case: next.title[lang] }), { ...state, casesUnlikely: state.casesUnlikely.filter((id) => id !== next.id) });
  return exhausted(turn, topic, state);
}
