import type { Turn, TurnOutcome } from '../turn';
import { vocabularyOf } from '../vocabulary';
import { smalltalk } from './smalltalk';
import { answerSolved } from './solved';
import { reportsSuccess, thanksOnly } from './success-report';

/**
 * "Top, het KEK-bestand ontbrak inderdaad. Teruggezet en hij draait weer, bedankt!", "changed it
 * to SYSTEM and it ran tonight. thanks!", "chkdsk gedraaid, vannacht geen waarschuwingen meer": the
 * admin tells, in their own words, that it works again. That closes the topic as solved; a
 * thank-you that reports no trouble is a thank-you. Neither is a new question, whatever topic the
 * words resemble.
 */
export function answerClosing(turn: Turn): TurnOutcome | undefined {
  if (turn.text === '' || (turn.understanding?.errorIds.length ?? 0) > 0) return undefined;
  const v = vocabularyOf(turn.ctx.knowledge);
  const { state } = turn;
  if (reportsSuccess(turn.text, v)) return state.topic ? answerSolved(turn, state.topic, state.case, true) : smalltalk(turn, 'thanks');
  if (thanksOnly(turn.text, v)) {
    // Thanks right after "did this solve it?" is a yes.
    return state.topic && state.awaiting === 'solved' ? answerSolved(turn, state.topic, state.case, true) : smalltalk(turn, 'thanks');
  }
  return undefined;
}
