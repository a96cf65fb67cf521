import type { Lang } from '../../shared/lang';
import { t } from '../../shared/i18n';
import { compactedSet, containsPhrase, stems, words } from '../text-match';
import {
  ESCALATE_PHRASES,
  HELP_PHRASES,
  LANGUAGE_CODES,
  LANGUAGE_COMMAND_WORDS,
  LANGUAGE_FILLER,
  LANGUAGE_NAMES,
  RESET_PHRASES,
  VENDOR_WORDS,
} from '../vocabulary';
import { withoutTopic } from '../state';
import type { Turn, TurnOutcome } from '../turn';
import { startEscalation } from './escalation';
import { openPrompt } from './open-prompt';
import { helpReply } from './smalltalk';

/** Typed commands: exact, short messages only, so a real question is never mistaken for one. */

const POLITE = new Set(['please', 'pls', 'graag', 'aub', 'alsjeblieft', 'ok', 'oke', 'okay', 'lets', "let's", 'we', 'even', 'ff', 'nu', 'now']);
const MAX_ESCALATE_WORDS = 12;
/**
 * Every command is at most MAX_ESCALATE_WORDS words; no message this long can be one, and a pasted
 * log need not be tokenised four times to find that out.
 */
const MAX_COMMAND_CHARS = 400;

function withoutPoliteness(text: string): string {
  return words(text)
    .filter((w) => !POLITE.has(w))
    .join(' ');
}

function isOneOf(text: string, phrases: readonly string[]): boolean {
  const core = withoutPoliteness(text);
  return core !== '' && compactedSet(phrases).has(core);
}

/** "in English please", "nederlands graag", "lang en" → the language asked for. */
export function detectLanguageSwitch(text: string): Lang | undefined {
  const tokens = words(text.replace(/^\s*\//, ''));
  if (tokens.length === 0 || tokens.length > 8) return undefined;
  if (tokens.length === 2 && LANGUAGE_COMMAND_WORDS.has(tokens[0]!)) return LANGUAGE_NAMES[tokens[1]!];
  const named = tokens.filter((w) => LANGUAGE_NAMES[w] !== undefined && !LANGUAGE_CODES.has(w));
  if (named.length !== 1) return undefined;
  const rest = tokens.filter((w) => w !== named[0]);
  return rest.every((w) => LANGUAGE_FILLER.has(w) || LANGUAGE_CODES.has(w)) ? LANGUAGE_NAMES[named[0]!] : undefined;
}

export function isHelpCommand(text: string): boolean {
  return isOneOf(text.replace(/^\s*\//, ''), HELP_PHRASES);
}

export function isResetCommand(text: string): boolean {
  return isOneOf(text.replace(/^\s*\//, ''), RESET_PHRASES);
}

/** Asking for our support team; a message naming Microsoft is the contact-support topic instead. */
export function isEscalateRequest(text: string): boolean {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > MAX_ESCALATE_WORDS) return false;
  if (tokens.some((w) => VENDOR_WORDS.has(w))) return false;
  const st = stems(text);
  return ESCALATE_PHRASES.some((p) => containsPhrase(st, p));
}

export function switchLanguage(turn: Turn, lang: Lang): TurnOutcome {
  const state = { ...turn.state, lang };
  const again = openPrompt(state, lang, turn.ctx.knowledge);
  return {
    replies: [{ kind: 'notice', lang, text: [t(lang, 'language.switched')] }, ...(again ? [again] : [])],
    state,
    prefs: { ...turn.prefs, lang },
  };
}

export function reset(turn: Turn): TurnOutcome {
  return {
    replies: [{ kind: 'notice', lang: turn.lang, text: [t(turn.lang, 'reset.done')] }],
    // The escalation count stays: a later ticket must not reuse an earlier ticket's key.
    state: { ...withoutTopic(turn.state), errorIds: [], stepsShown: [], followUpAnswers: [] },
  };
}

export function runCommand(turn: Turn): TurnOutcome | undefined {
  const text = turn.text;
  if (text === '' || text.length > MAX_COMMAND_CHARS) return undefined;
  const lang = detectLanguageSwitch(text);
  if (lang) return switchLanguage(turn, lang);
  if (isHelpCommand(text)) return { replies: [helpReply(turn.lang, turn.ctx.knowledge)], state: turn.state };
  if (isResetCommand(text)) return reset(turn);
  if (isEscalateRequest(text)) return startEscalation(turn);
  return undefined;
}
