import type { Lang } from '../../shared/lang';
import type { Understanding } from '../../understanding/understanding';
import { stem } from '../../understanding/normalize-text';
import { t, type MessageKey } from '../../shared/i18n';
import { findCase, findTopic } from '../knowledge-view';
import { withoutTopic } from '../state';
import { indexOfPhrase, ownWords, pairHits, phraseHits, words } from '../text-match';
import type { Turn, TurnOutcome } from '../turn';
import { vocabularyOf, type Vocabulary, type WordList } from '../vocabulary';
import { caseReply } from './answer';
import { escalateFromMessage } from './message-escalation';
import { openPrompt } from './open-prompt';
import { helpReply } from './smalltalk';
import { isQuestion } from './typed-answers';

/** Typed commands: exact, short messages only, so a real question is never mistaken for one. */

/**
 * Every whole-message command is a handful of words; no message this long can be one, and a
 * pasted log need not be tokenised to find that out. (An escalation request is found anywhere.)
 */
const MAX_COMMAND_CHARS = 400;
/** How far back a negation reaches: "ik wil geen medewerker", "I don't need a human". */
const NEGATION_REACH = 3;
/** A vendor's name this close to a request for support makes it a request for the vendor's support. */
const VENDOR_REACH = 2;

function withoutPoliteness(text: string, v: Vocabulary): string {
  return words(text)
    .filter((w) => !v.politeness.words.has(w))
    .join(' ');
}

function isOneOf(text: string, list: WordList, v: Vocabulary): boolean {
  const core = withoutPoliteness(text.replace(/^\s*\//, ''), v);
  return core !== '' && list.whole.has(core);
}

/** "in English please", "can you say that in English", "nederlands graag", "lang en" → the language asked for. */
function detectLanguageSwitch(text: string, v: Vocabulary, understanding?: Understanding): Lang | undefined {
  const whole = languageAskedFor(text, v);
  if (whole) return whole;
  // The request may come with a reason ("can you say that in English? my colleague has to do
  // it", "in English please, my colleague reads no Dutch"), but not with a question of its own
  // ("in English: the agent fails with 100050").
  const first = text.split(/[?.!;:,\n]/)[0] ?? '';
  const rest = text.slice(first.length).replace(/^[\s?.!;:,]+/, '');
  if (rest === '' || (understanding?.errorIds.length ?? 0) > 0 || isQuestion(rest, v)) return undefined;
  return languageAskedFor(first, v);
}

function languageAskedFor(text: string, v: Vocabulary): Lang | undefined {
  const tokens = words(text.replace(/^\s*\//, ''));
  if (tokens.length === 0 || tokens.length > 10) return undefined;
  if (tokens.length === 2 && v.languageCommands.words.has(tokens[0]!)) {
    return tokens[1] === 'nl' || tokens[1] === 'en' ? tokens[1] : v.languageNames.get(tokens[1]!);
  }
  const named = tokens.filter((w) => v.languageNames.has(w));
  const langs = new Set(named.map((w) => v.languageNames.get(w)));
  if (named.length === 0 || langs.size !== 1) return undefined;
  const rest = tokens.filter((w) => !v.languageNames.has(w));
  const filler = (w: string) => v.languageFiller.words.has(w) || v.languageCommands.words.has(w) || v.politeness.words.has(w) || w === 'nl' || w === 'en';
  return rest.every(filler) ? v.languageNames.get(named[0]!) : undefined;
}

function isHelpCommand(text: string, v: Vocabulary): boolean {
  return isOneOf(text, v.help, v);
}

/** The message cut into clauses: a negation or a vendor's name only counts within its own clause. */
function clauses(text: string): string[] {
  return text.split(/[,.;:!?\n()[\]"]|\s[-–—]\s/).filter((c) => c.trim() !== '');
}

/**
 * Asking for our support team, wherever it stands in the message ("dat hielp niet, ik wil een
 * medewerker spreken", "is there an actual human I can speak to"); not when negated ("I don't
 * need a human"), and not when it is about a vendor's support ("open a ticket with Microsoft":
 * the contact-support topic).
 */
function asksForSupport(text: string, v: Vocabulary): boolean {
  for (const clause of clauses(ownWords(text))) {
    const tokens = words(clause);
    const st = tokens.map(stem);
    const spans = [...phraseHits(v.escalate, st), ...pairHits(v.askForPerson, tokens, st), ...pairHits(v.askForTicket, tokens, st)];
    for (const { at, length } of spans) {
      // "ik wil geen medewerker", "don't need to talk to anyone": a negation before or inside it.
      const before = tokens.slice(Math.max(0, at - NEGATION_REACH), at + length);
      const around = st.slice(Math.max(0, at - VENDOR_REACH), at + length + VENDOR_REACH);
      if (before.some((w) => v.negations.words.has(w))) continue;
      if (v.vendor.phrases.some((vendor) => indexOfPhrase(around, vendor) >= 0)) continue;
      return true;
    }
  }
  return false;
}

/** The bot's last answer, in `lang`: the steps of the case on screen, if the thread has one. */
function lastAnswer(turn: Turn, lang: Lang) {
  const topic = findTopic(turn.ctx.knowledge, turn.state.topic);
  const shown = topic ? findCase(topic, turn.state.case) : undefined;
  // "Did this solve it?" follows it again when it is open, with the escalate choice in it.
  return topic && shown && turn.state.casesShown.includes(shown.id) ? caseReply({ ...turn, lang }, topic, shown, undefined, turn.state.awaiting !== 'solved') : undefined;
}

/** Switches the thread (and the user's preference) to `lang` and says the last answer and open question again in it. */
export function switchLanguage(turn: Turn, lang: Lang): TurnOutcome {
  const state = { ...turn.state, lang };
  const answer = lastAnswer(turn, lang);
  const again = openPrompt(state, lang, turn.ctx.knowledge);
  return {
    replies: [{ kind: 'notice', lang, text: [t(lang, 'language.switched')] }, ...(answer ? [answer] : []), ...(again ? [again] : [])],
    state,
    prefs: { ...turn.prefs, lang },
  };
}

export function reset(turn: Turn, key: MessageKey = 'reset.done'): TurnOutcome {
  return {
    replies: [{ kind: 'notice', lang: turn.lang, text: [t(turn.lang, key)] }],
    // The escalation count stays: a later ticket must not reuse an earlier ticket's key.
    state: { ...withoutTopic(turn.state), errorIds: [], stepsShown: [], followUpAnswers: [] },
  };
}

export function runCommand(turn: Turn): TurnOutcome | undefined {
  const text = turn.text;
  if (text === '') return undefined;
  const v = vocabularyOf(turn.ctx.knowledge);
  if (asksForSupport(text, v)) return escalateFromMessage(turn);
  if (text.length > MAX_COMMAND_CHARS) return undefined;
  const lang = detectLanguageSwitch(text, v, turn.understanding);
  if (lang) return switchLanguage(turn, lang);
  if (isHelpCommand(text, v)) return { replies: [helpReply(turn.lang, turn.ctx.knowledge)], state: turn.state };
  if (isOneOf(text, v.reset, v)) return reset(turn);
  return undefined;
}
