import type { Reply } from '../../replies/reply';
import { t } from '../../shared/i18n';
import type { Turn, TurnOutcome } from '../turn';
import { openPrompt } from './open-prompt';

/** The open question asked again, after "I didn't catch that"; undefined when nothing is open. */
export function reprompt(turn: Turn): TurnOutcome | undefined {
  const again = openPrompt(turn.state, turn.lang, turn.ctx.knowledge);
  if (!again) return undefined;
  const repeated: Reply = { ...again, reprompt: true };
  return { replies: [{ kind: 'notice', lang: turn.lang, text: [t(turn.lang, 'followUp.retry')] }, repeated], state: turn.state };
}
