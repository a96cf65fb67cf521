import { findQuestion, findTopic } from '../knowledge-view';
import type { Turn, TurnOutcome } from '../turn';
import { answerTopic } from './answer';
import { confidentElsewhere, otherTopicErrorId, SURE_SWITCH_CONFIDENCE } from './contextual';
import { words } from '../text-match';
import { typedDescription } from './escalation';
import { answerFollowUp } from './follow-up';
import { answerSolved } from './solved';
import { parseChoice, parseOption, parseSolved, saysItWorks } from './typed-answers';

/**
 * Typed answers to what the bot asked last: the escalation description, the open follow-up
 * question, "did this solve it?", or which of the offered topics.
 */
/** Answers this short ("ja", "via de proxy") are always read as answers, whatever the matcher thinks. */
const SHORT_ANSWER_MAX = 3;

export function answerPending(turn: Turn): TurnOutcome | undefined {
  const { state, text } = turn;
  if (text === '') return undefined;
  if (state.awaiting === 'escalation-description') return typedDescription(turn);

  const kb = turn.ctx.knowledge;
  // A new error, or a sure match elsewhere in more than a few words, is a new question, not an answer.
  const sureElsewhere = confidentElsewhere(state.topic, turn.understanding, SURE_SWITCH_CONFIDENCE) && words(text).length > SHORT_ANSWER_MAX;
  if (otherTopicErrorId(kb, state.topic, turn.understanding) || sureElsewhere) return undefined;

  const topic = findTopic(kb, state.topic);
  const question = topic ? findQuestion(topic, state.pendingQuestion) : undefined;
  if (topic && question) {
    const option = parseOption(text, question);
    if (option) return answerFollowUp(turn, topic, question, option);
    if (saysItWorks(text)) return answerSolved(turn, topic.id, state.case, true);
  }

  if (topic && state.awaiting === 'solved') {
    const solved = parseSolved(text);
    if (solved !== undefined) return answerSolved(turn, topic.id, state.case, solved);
  }

  if (state.awaiting === 'topic-choice' && state.topicChoices.length > 0) {
    const offered = state.topicChoices.map((id) => kb.byId.get(id)).filter((t) => t !== undefined);
    const index = parseChoice(text, offered.map((t) => t.title));
    const chosen = index !== undefined ? offered[index] : undefined;
    if (chosen) return answerTopic(turn, chosen, null);
  }
  return undefined;
}
