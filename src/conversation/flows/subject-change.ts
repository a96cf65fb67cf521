import { stem } from '../../understanding/normalize-text';
import { STOPWORDS } from '../../understanding/stopwords';
import { withoutTopic } from '../state';
import { indexOfPhrase, words } from '../text-match';
import type { Turn, TurnOutcome } from '../turn';
import { vocabularyOf, type Vocabulary, type WordList } from '../vocabulary';
import { reportsSuccess } from './success-report';
import { reset } from './commands';
import { answerSolved } from './solved';

/**
 * "Laat maar, andere vraag: waarom draait mijn geplande back-up niet", "different thing: …",
 * "nevermind": the admin leaves the current subject. Whatever follows the opening is a new
 * question, read on its own; nothing after it means "ask me the other question".
 */

/** A clause of the message, with where it starts in the text. */
interface Clause {
  text: string;
  start: number;
}

/** An opening of a new subject stands near the start of what the admin wrote. */
const OPENING_WITHIN_CHARS = 2_000;

function clausesOf(text: string): Clause[] {
  return [...text.slice(0, OPENING_WITHIN_CHARS).matchAll(/[^,.;:!?\n]+/g)].map((m) => ({ text: m[0], start: m.index }));
}

/** Where in `clause` its first `count` word tokens end (an offset into the clause). */
function endOfTokens(clause: string, count: number): number {
  let seen = 0;
  for (const chunk of clause.matchAll(/\S+/g)) {
    seen += words(chunk[0]).length;
    if (seen >= count) return chunk.index + chunk[0].length;
  }
  return clause.length;
}

/** Filler around an opening ("ok", "oh", "even", the bot's name): says nothing of its own. */
function isFiller(token: string, v: Vocabulary): boolean {
  return STOPWORDS.has(token) || v.politeness.words.has(token) || v.botNames.words.has(token);
}

/**
 * The text after an opening from `openings` ('' when there is nothing after it), or undefined when
 * no clause of the message opens with one (with `atStart`: unless the message itself opens with
 * one). With several openings the last one counts: "never mind, got it with another browser.
 * different question: …" asks what follows it.
 */
export function splitOpening(text: string, v: Vocabulary, openings: WordList, options: { atStart?: boolean } = {}): { remainder: string } | undefined {
  let remainder: string | undefined;
  for (const clause of clausesOf(text)) {
    const tokens = words(clause.text);
    const st = tokens.map(stem);
    // Filler on its own says nothing, unless it is the opening itself ("wait, …").
    if (tokens.length === 0 || (tokens.every((token) => isFiller(token, v)) && !openings.phrases.some((p) => indexOfPhrase(st, p) === 0))) continue;
    // The opening phrase, after filler at most: "ok, andere vraag", "oh and unrelated".
    let skip = 0;
    while (skip < tokens.length && isFiller(tokens[skip]!, v) && !openings.phrases.some((p) => indexOfPhrase(st, p, skip) === skip)) skip++;
    const opening = openings.phrases.filter((p) => indexOfPhrase(st, p, skip) === skip).sort((a, b) => b.length - a.length)[0];
    if (!opening) {
      // Only an opening at the start counts when asked: "FS01 fails. btw the proxy changed" is one description.
      if (options.atStart && remainder === undefined) return undefined;
      continue;
    }
    const end = clause.start + endOfTokens(clause.text, skip + opening.length);
    remainder = text.slice(end).replace(/^[\s,.;:!?-]+/, '').trim();
  }
  return remainder === undefined ? undefined : { remainder };
}

/** The text after a change-of-subject opening ("andere vraag: …", "never mind, …"): see splitOpening. */
export function splitChangeOfSubject(text: string, v: Vocabulary, options: { atStart?: boolean } = {}): { remainder: string } | undefined {
  return splitOpening(text, v, v.changeSubject, options);
}

/**
 * A change of subject: the topic context is left behind, and the rest of the message is read as a
 * new message through `routeNew` (the routes a first message takes).
 */
export function changeSubject(turn: Turn, routeNew: (turn: Turn) => TurnOutcome): TurnOutcome | undefined {
  if (turn.text === '') return undefined;
  const split = splitChangeOfSubject(turn.text, vocabularyOf(turn.ctx.knowledge));
  if (!split) return undefined;
  // "Laat maar, het werkt alweer": not a new subject, the open one is solved.
  if (turn.state.topic && reportsSuccess(split.remainder, vocabularyOf(turn.ctx.knowledge))) {
    return answerSolved({ ...turn, state: { ...turn.state, awaiting: turn.state.awaiting === 'escalation-description' ? null : turn.state.awaiting } }, turn.state.topic, turn.state.case, true);
  }
  const fresh = reset(turn, 'reset.otherQuestion');
  if (split.remainder === '') return fresh;
  const understanding = turn.ctx.reread?.(split.remainder) ?? turn.understanding;
  const state = { ...withoutTopic(fresh.state), errorIds: [...new Set(understanding?.errorIds ?? [])] };
  return routeNew({ ...turn, text: split.remainder, understanding, state });
}
