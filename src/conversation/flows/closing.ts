import { stem } from '../../understanding/normalize-text';
import { ownWords, pairHits, phraseHits, words } from '../text-match';
import type { Turn, TurnOutcome } from '../turn';
import { vocabularyOf, type Vocabulary } from '../vocabulary';
import { smalltalk } from './smalltalk';
import { answerSolved } from './solved';
import { isQuestion } from './typed-answers';

/**
 * "Top, het KEK-bestand ontbrak inderdaad. Teruggezet en hij draait weer, bedankt!", "changed it
 * to SYSTEM and it ran tonight. thanks!": the admin tells, in their own words, that it works again.
 * That closes the topic as solved; a thank-you that reports no trouble is a thank-you. Neither is
 * a new question, whatever topic the words resemble.
 */

function clausesOf(text: string): string[] {
  return text.split(/[,.;:!?\n]|\s[-–—]\s/).filter((c) => c.trim() !== '');
}

/** A success phrase, not negated in its clause and not followed by trouble ("it ran but failed again"). */
export function reportsSuccess(text: string, v: Vocabulary): boolean {
  if (isQuestion(text, v)) return false;
  const parts = clausesOf(ownWords(text)).map((clause) => {
    const tokens = words(clause);
    return { tokens, st: tokens.map(stem) };
  });
  if (parts.some(({ st }) => phraseHits(v.didNotHelp, st).length > 0)) return false;
  return parts.some(({ tokens, st }, index) => {
    const hit = [...phraseHits(v.worksAgain, st), ...pairHits(v.worksAgainPairs, tokens, st)].sort((a, b) => a.at - b.at)[0];
    if (!hit || tokens.some((w) => v.negations.words.has(w))) return false;
    const troubleAfter = phraseHits(v.vagueTroubles, st).some((trouble) => trouble.at >= hit.at + hit.length);
    const troubleLater = parts.slice(index + 1).some((later) => phraseHits(v.vagueTroubles, later.st).length > 0);
    return !troubleAfter && !troubleLater;
  });
}

/** Thanks in a message that reports no trouble and asks nothing. */
function thanksOnly(text: string, v: Vocabulary): boolean {
  if (isQuestion(text, v)) return false;
  const st = words(ownWords(text)).map(stem);
  return phraseHits(v.gratitude, st).length > 0 && phraseHits(v.vagueTroubles, st).length === 0 && phraseHits(v.didNotHelp, st).length === 0;
}

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
