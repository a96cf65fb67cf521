import { t } from '../../shared/i18n';
import { words } from '../text-match';
import type { Turn, TurnOutcome } from '../turn';
import { answerTopic } from './answer';
import { clarify } from './clarify';
import { clearlyDifferentTopic } from './contextual';
import { startEscalation } from './escalation';
import { openPrompt } from './open-prompt';
import { answerInfo, subjectFallback } from './info';
import { fallback, smalltalk } from './smalltalk';

/** A reply to an unrecognised short message while a question is open: ask that question again. */
const REPROMPT_MAX_WORDS = 6;

/** What the matcher made of the message: an answer, a clarify, small talk, an escalation or nothing. */
export function answerUnderstood(turn: Turn): TurnOutcome | undefined {
  const u = turn.understanding;
  if (!u || turn.text === '') return undefined;
  const kb = turn.ctx.knowledge;
  const asked = { type: 'question' as const, topic: u.topic };
  const withQuestion = (outcome: TurnOutcome): TurnOutcome => ({ ...outcome, events: [asked, ...(outcome.events ?? [])] });

  switch (u.kind) {
    case 'smalltalk':
      return smalltalk(turn, u.smalltalk ?? 'help');
    case 'escalate':
      return startEscalation(turn);
    case 'answer': {
      const topic = kb.byId.get(u.topic ?? '');
      if (!topic) return withQuestion(fallback(turn));
      const current = turn.state.topic;
      // Not sure enough to leave the open topic: let the user say which one they mean.
      if (current && current !== topic.id && kb.byId.has(current) && !clearlyDifferentTopic(kb, current, u)) {
        return withQuestion(clarify(turn, [topic.id, current]));
      }
      return withQuestion(answerTopic(turn, topic, u.case));
    }
    case 'clarify':
      return withQuestion(clarify(turn, u.candidates.map((c) => c.topic)));
    case 'info': {
      const fact = u.info ? kb.factsById.get(u.info) : undefined;
      return withQuestion(fact ? answerInfo(turn, fact) : fallback(turn));
    }
    case 'fallback': {
      const again = openPrompt(turn.state, turn.lang, kb);
      if (again && words(turn.text).length <= REPROMPT_MAX_WORDS) {
        return {
          replies: [{ kind: 'notice', lang: turn.lang, text: [t(turn.lang, 'followUp.retry')] }, again],
          state: turn.state,
        };
      }
      return withQuestion(subjectFallback(turn, u.subject) ?? fallback(turn));
    }
  }
}
