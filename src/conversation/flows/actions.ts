import type { ActionPayload } from '../../replies/reply';
import { isLang } from '../../shared/lang';
import { findTopic } from '../knowledge-view';
import { notice } from '../reply-parts';
import type { Turn, TurnOutcome } from '../turn';
import { answerTopic } from './answer';
import { somethingElse } from './clarify';
import { switchLanguage } from './commands';
import { startEscalation, submitEscalation } from './escalation';
import { recordFeedback } from './feedback';
import { answerFollowUpAction } from './follow-up';
import { answerSolved } from './solved';

/** A button press or form submit. Payloads come back from the platform, so every field is checked. */
export function answerAction(turn: Turn, action: ActionPayload): TurnOutcome {
  switch (action.type) {
    case 'choose-topic': {
      const topic = findTopic(turn.ctx.knowledge, action.topic);
      return topic ? answerTopic(turn, topic, null) : { replies: [notice(turn.lang, 'errors.staleButton')], state: turn.state };
    }
    case 'follow-up':
      return answerFollowUpAction(turn, action.topic, action.question, action.option);
    case 'solved':
      return answerSolved(turn, action.topic, action.case, action.solved, action.escalate === true);
    case 'feedback':
      return recordFeedback(turn, action.topic, action.helpful);
    case 'escalate':
      return startEscalation(turn);
    case 'something-else':
      return somethingElse(turn);
    case 'escalate-submit': {
      const urgency = action.urgency === 'low' || action.urgency === 'high' ? action.urgency : 'normal';
      // turn.said is this description, redacted (describeAction gives the description for a submit).
      return submitEscalation(turn, turn.said, urgency, { ...(action.name !== undefined ? { name: action.name } : {}), ...(action.email !== undefined ? { email: action.email } : {}) });
    }
    case 'set-lang':
      return isLang(action.lang) ? switchLanguage(turn, action.lang) : { replies: [], state: turn.state };
    case 'ticket-claim':
    case 'ticket-resolve':
      // Support-side buttons are handled by the support desk's handler, not in a user's thread.
      return { replies: [], state: turn.state };
    default:
      return { replies: [notice(turn.lang, 'errors.staleButton')], state: turn.state };
  }
}
