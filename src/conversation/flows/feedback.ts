import { t } from '../../shared/i18n';
import { escalateButton } from '../reply-parts';
import { addFeedback } from '../state';
import type { Turn, TurnOutcome } from '../turn';

/** A 👍/👎 on an answer: remembered for the ticket and the statistics, thanked briefly. */
export function recordFeedback(turn: Turn, topic: string | null, helpful: boolean): TurnOutcome {
  const lang = turn.lang;
  return {
    replies: [
      helpful
        ? { kind: 'notice', lang, text: [t(lang, 'feedback.thanks')] }
        : { kind: 'notice', lang, text: [t(lang, 'feedback.thanksNegative')], actions: [escalateButton(lang)] },
    ],
    state: addFeedback(turn.state, { helpful, at: turn.ctx.now }),
    events: [{ type: 'feedback', topic: topic ?? turn.state.topic, helpful }],
  };
}
