import { stem } from '../../understanding/normalize-text';
import { findCase, findTopic, topicOwningErrorId } from '../knowledge-view';
import { withoutTopic, type ConversationState } from '../state';
import { mentions, words } from '../text-match';
import type { Turn, TurnEvent, TurnOutcome } from '../turn';
import { vocabularyOf } from '../vocabulary';
import { startEscalation } from './escalation';

/**
 * A typed request for our support team wins wherever it stands in the message, and the rest of
 * the message still counts: "dat hielp niet, ik wil een medewerker" marks the steps on screen as
 * tried, and "34513 op FS01, graag iemand van support" puts that error's topic on the ticket.
 */
export function escalateFromMessage(turn: Turn): TurnOutcome {
  const kb = turn.ctx.knowledge;
  const v = vocabularyOf(kb);
  const u = turn.understanding;
  let state: ConversationState = turn.state;
  const events: TurnEvent[] = [];

  const newTopic = u?.errorIds.map((id) => topicOwningErrorId(kb, id)).find((topic) => topic !== undefined && topic.id !== state.topic);
  const current = findTopic(kb, state.topic);
  if (newTopic) {
    state = { ...withoutTopic(state), topic: newTopic.id, case: u?.topic === newTopic.id && findCase(newTopic, u.case) ? u.case : null };
  } else if (current && state.case && mentions(v.didNotHelp, words(turn.text).map(stem))) {
    // The steps on screen did not help: the ticket says so, and the statistics count it.
    state = { ...state, casesTried: [...new Set([...state.casesTried, state.case])] };
    events.push({ type: 'not-solved', topic: current.id });
  }
  const outcome = startEscalation({ ...turn, state });
  return { ...outcome, events: [...events, ...(outcome.events ?? [])] };
}
