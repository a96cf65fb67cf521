import { words } from '../text-match';
import type { Turn, TurnOutcome } from '../turn';
import { vocabularyOf } from '../vocabulary';
import { answerTopic } from './answer';
import { clarify } from './clarify';
import { clearlyDifferentTopic } from './contextual';
import { escalateFromMessage } from './message-escalation';
import { reprompt } from './reprompt';
import { answerSmalltalk, fallback } from './smalltalk';
import { isQuestion } from './typed-answers';
import { answerInfo, subjectFallback } from './info';

/**
 * A reply to an open question that neither answers it nor says anything else ("geen idee",
 * "hmm") gets the question again; a longer message, or a question, says something of its own.
 */
const REPROMPT_MAX_WORDS = 6;

/** Says nothing but a (failed) answer: short, and not a question. */
function saysNothingElse(turn: Turn): boolean {
  return words(turn.text).length <= REPROMPT_MAX_WORDS && !isQuestion(turn.text, vocabularyOf(turn.ctx.knowledge));
}

/** What the matcher made of the message: an answer, a clarify, small talk, an escalation or nothing. */
export function answerUnderstood(turn: Turn): TurnOutcome | undefined {
  const u = turn.understanding;
  if (!u || turn.text === '') return undefined;
  const kb = turn.ctx.knowledge;
  const asked = { type: 'question' as const, topic: u.topic };
  const withQuestion = (outcome: TurnOutcome): TurnOutcome => ({ ...outcome, events: [asked, ...(outcome.events ?? [])] });
  // A new subject leaves the open question behind.
  const moveOn = { ...turn.state, pendingQuestion: null, awaiting: null, topicChoices: [] };

  switch (u.kind) {
    case 'smalltalk':
      return answerSmalltalk(turn);
    case 'escalate':
      return escalateFromMessage(turn);
    case 'answer': {
      const topic = kb.byId.get(u.topic ?? '');
      if (!topic) return withQuestion(fallback({ ...turn, state: moveOn }));
      const current = turn.state.topic;
      // A question that another topic clearly claims starts that topic. A statement that another
      // topic only loosely claims, while a question about the open one waits, may be a failed
      // answer just as well: ask which one is meant.
      // "Which of these is it?" is answered by a description the matcher reads as a topic: no question.
      const waiting = turn.state.pendingQuestion !== null || (turn.state.awaiting !== null && turn.state.awaiting !== 'topic-choice');
      const loose = waiting && !isQuestion(turn.text, vocabularyOf(kb)) && !clearlyDifferentTopic(kb, current, u);
      if (current && current !== topic.id && kb.byId.has(current) && loose) {
        return withQuestion(clarify(turn, [topic.id, current], moveOn));
      }
      return withQuestion(answerTopic(turn, topic, u.case, u.ruledOut));
    }
    case 'clarify':
      return withQuestion(clarify(turn, u.candidates.map((c) => c.topic), moveOn));
    case 'info': {
      // A fact is a new subject: answerInfo closes whatever was open.
      const fact = u.info ? kb.factsById.get(u.info) : undefined;
      return withQuestion(fact ? answerInfo(turn, fact) : fallback({ ...turn, state: moveOn }));
    }
    case 'fallback': {
      if (saysNothingElse(turn)) {
        const again = reprompt(turn);
        if (again) return again;
      }
      return withQuestion(subjectFallback({ ...turn, state: moveOn }, u.subject) ?? fallback({ ...turn, state: moveOn }));
    }
  }
}
