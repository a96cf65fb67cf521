import { t } from '../../shared/i18n';
import { findCase, findTopic } from '../knowledge-view';
import { notice } from '../reply-parts';
import { withoutTopic } from '../state';
import type { Turn, TurnOutcome } from '../turn';
import { moveToNextCase } from './answer';

/** The answer to "Did this solve it?": a warm close, or the next cause to check. */
export function answerSolved(turn: Turn, topicId: string, caseId: string | null, solved: boolean): TurnOutcome {
  const topic = findTopic(turn.ctx.knowledge, topicId);
  if (!topic) return { replies: [notice(turn.lang, 'errors.staleButton')], state: turn.state };
  // A button from an earlier topic in the thread still answers for that topic.
  const sameTopic = turn.state.topic === topic.id;
  const base = sameTopic ? turn.state : { ...turn.state, topic: topic.id, casesTried: [], casesShown: caseId ? [caseId] : [], casesUnlikely: [], case: caseId };
  const triedCase = findCase(topic, caseId)?.id ?? findCase(topic, base.case)?.id ?? topic.cases[0]!.id;

  if (solved) {
    return {
      replies: [{ kind: 'notice', lang: turn.lang, text: [t(turn.lang, 'solved.closed')] }],
      // Closed: a later question in this thread starts fresh instead of continuing this topic.
      state: withoutTopic(base),
      events: [{ type: 'solved', topic: topic.id }],
    };
  }
  const outcome = moveToNextCase(turn, topic, [triedCase], base);
  return { ...outcome, events: [{ type: 'not-solved', topic: topic.id }, ...(outcome.events ?? [])] };
}
