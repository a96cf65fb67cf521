import { t } from '../../shared/i18n';
import { findCase, findTopic } from '../knowledge-view';
import { notice } from '../reply-parts';
import { addFeedback, withoutTopic } from '../state';
import type { Turn, TurnEvent, TurnOutcome } from '../turn';
import { moveToNextCase } from './answer';
import { startEscalation } from './escalation';

/**
 * The answer to "Did this solve it?": a warm close, the next cause to check (past the causes the
 * answer itself rules out), or the hand-over to support. The one answer is both the outcome and the feedback on the steps: the statistics get
 * solved/not-solved and 👍/👎, the ticket the feedback.
 */
export function answerSolved(turn: Turn, topicId: string, caseId: string | null, solved: boolean, escalate = false, ruledOut: readonly string[] = []): TurnOutcome {
  const topic = findTopic(turn.ctx.knowledge, topicId);
  if (!topic) return { replies: [notice(turn.lang, 'errors.staleButton')], state: turn.state };
  // A button from an earlier topic in the thread still answers for that topic.
  const sameTopic = turn.state.topic === topic.id;
  const base = sameTopic ? turn.state : { ...turn.state, topic: topic.id, casesTried: [], casesShown: caseId ? [caseId] : [], casesUnlikely: [], case: caseId };
  const triedCase = findCase(topic, caseId)?.id ?? findCase(topic, base.case)?.id ?? topic.cases[0]!.id;
  const rated = addFeedback(base, { helpful: solved, at: turn.ctx.now });
  const outcome: TurnEvent[] = [
    { type: solved ? 'solved' : 'not-solved', topic: topic.id },
    { type: 'feedback', topic: topic.id, helpful: solved },
  ];

  if (solved) {
    return {
      replies: [{ kind: 'notice', lang: turn.lang, text: [t(turn.lang, 'solved.closed')] }],
      // Closed: a later question in this thread starts fresh instead of continuing this topic.
      state: withoutTopic(rated),
      events: outcome,
    };
  }
  if (escalate) {
    // The ticket records the cause these steps were for: the state keeps the topic and case.
    const handOver = startEscalation({ ...turn, state: { ...rated, casesTried: [...new Set([...rated.casesTried, triedCase])] } });
    return { ...handOver, events: [...outcome, ...(handOver.events ?? [])] };
  }
  // "No, and there is no proxy either": what the no rules out in words is passed too.
  const next = moveToNextCase(turn, topic, [triedCase, ...ruledOut], rated);
  return { ...next, events: [...outcome, ...(next.events ?? [])] };
}
