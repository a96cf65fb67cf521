import type { FollowUpOption, FollowUpQuestion, LocalizedText } from '../../knowledge/schema';
import { stem } from '../../understanding/normalize-text';
import { STOPWORDS } from '../../understanding/stopwords';
import { hasWordOf, indexOfPhrase, mentions, phraseHits, stems, words, wordsMeet } from '../text-match';
import type { Vocabulary } from '../vocabulary';

/**
 * Reading typed answers to what the bot just asked: "2", "de tweede", "ja", "nee, geen proxy",
 * "0x80070005", "het werkt weer". Each parser returns undefined when the text is not clearly an
 * answer, so the turn can go on to be read as a question.
 */

/** Longest message still read as a short answer rather than a new question. */
const SHORT_ANSWER_WORDS = 8;
const SOLVED_ANSWER_WORDS = 12;
/** "Iets anders", "none of these": a short message only. */
const SOMETHING_ELSE_WORDS = 5;

/** "2", "optie 2", "2.", "de tweede", "the first one" → 0-based index within `count`. */
export function parseIndex(text: string, count: number, v: Vocabulary): number | undefined {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > 4) return undefined;
  const picks = tokens.filter((tok) => !v.ordinalFiller.words.has(tok));
  if (picks.length !== 1) return undefined;
  const pick = picks[0]!;
  const n = /^\d$/.test(pick) ? Number(pick) : v.ordinals.get(pick);
  return n !== undefined && n >= 1 && n <= count ? n - 1 : undefined;
}

function phrasesOf(option: FollowUpOption): string[] {
  return [...option.answers.nl, ...option.answers.en, option.label.nl, option.label.en];
}

function significantStems(text: string, v: Vocabulary): string[] {
  return words(text)
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !v.yes.words.has(w) && !v.no.words.has(w))
    .map(stem);
}

/**
 * How a typed answer picked its option: by position or the option's exact words (`exact`), by a
 * leading yes or no (`polarity`), or by some of its words (`words`).
 */
export type OptionMatch = { option: FollowUpOption; how: 'exact' | 'polarity' | 'words' };

/** The option a typed answer picks, or undefined when it does not clearly pick one. */
export function matchOption(text: string, question: FollowUpQuestion, v: Vocabulary): OptionMatch | undefined {
  const options = question.options;
  const tokens = words(text);
  if (tokens.length === 0) return undefined;

  const index = parseIndex(text, options.length, v);
  if (index !== undefined) return { option: options[index]!, how: 'exact' };

  const messageStems = tokens.map(stem);
  const whole = messageStems.join(' ');
  const exact = options.filter((o) => phrasesOf(o).some((p) => stems(p).join(' ') === whole));
  if (exact.length === 1) return { option: exact[0]!, how: 'exact' };

  // "nee, ..." / "yes we do": the option whose answers or label start with the same polarity
  // ("geen idee" and "not sure" are no polarity at all).
  const first = tokens[0]!;
  const unsure = mentions(v.dontKnow, messageStems);
  const polarity = unsure ? undefined : v.yes.words.has(first) ? v.yes : v.no.words.has(first) ? v.no : undefined;
  if (polarity) {
    const matching = options.filter((o) => phrasesOf(o).some((p) => polarity.words.has(words(p)[0] ?? '')));
    if (matching.length === 1) return { option: matching[0]!, how: 'polarity' };
  }

  // The longest answer phrase the message contains decides; a tie decides nothing. A phrase said
  // with a negation before it ("no new antivirus") is not that answer.
  let best: FollowUpOption | undefined;
  let bestLength = 0;
  let tie = false;
  for (const option of options) {
    for (const phrase of [...option.answers.nl, ...option.answers.en]) {
      const phraseStems = stems(phrase);
      const at = indexOfPhrase(messageStems, phraseStems);
      if (at < 0 || negatedBefore(tokens, at, v)) continue;
      const length = phraseStems.join(' ').length;
      if (length > bestLength) {
        best = option;
        bestLength = length;
        tie = false;
      } else if (length === bestLength && best !== option) {
        tie = true;
      }
    }
  }
  if (best && !tie) return { option: best, how: 'words' };

  // A short answer that repeats words of one option's label ("de proxy", "cloud file"), not negated.
  if (tokens.length > SHORT_ANSWER_WORDS) return undefined;
  const userStems = significantStems(tokens.filter((_, at) => !negatedBefore(tokens, at, v)).join(' '), v);
  const scored = options.map((o) => {
    const labelStems = new Set([...significantStems(o.label.nl, v), ...significantStems(o.label.en, v)]);
    return { option: o, hits: [...labelStems].filter((l) => userStems.some((u) => wordsMeet(u, l))).length };
  });
  const top = Math.max(...scored.map((s) => s.hits));
  const winners = scored.filter((s) => s.hits === top);
  return top > 0 && winners.length === 1 ? { option: winners[0]!.option, how: 'words' } : undefined;
}

/** How far back a negation reaches over an answer's words: "we did not install any new antivirus". */
const NEGATION_REACH = 4;

/** A negation shortly before `at`, not past a "but" and not the "no" of "no idea". */
function negatedBefore(tokens: readonly string[], at: number, v: Vocabulary): boolean {
  const unsure = phraseHits(v.dontKnow, tokens.map(stem)).flatMap((hit) => Array.from({ length: hit.length }, (_, k) => hit.at + k));
  for (let k = at - 1; k >= Math.max(0, at - NEGATION_REACH); k--) {
    if (v.contrast.words.has(tokens[k]!)) return false;
    if (v.negations.words.has(tokens[k]!) && !unsure.includes(k)) return true;
  }
  return false;
}

/** A typed message that asks something ("what if I don't have a proxy?", "waarom draait …"). */
export function isQuestion(text: string, v: Vocabulary): boolean {
  return text.trim().endsWith('?') || opensAsQuestion(text, v);
}

/**
 * A message that opens with a question ("what does SalBitmapError mean", "hoe lang is …"), not
 * just one that ends in a question mark ("backups fail since Monday, can you check?").
 */
export function opensAsQuestion(text: string, v: Vocabulary): boolean {
  const tokens = stems(text);
  return v.questionOpeners.phrases.some((opener) => indexOfPhrase(tokens.slice(0, opener.length), opener) === 0);
}

/** Typed answer to "Did this solve it?" (yes first, no second): true, false, or undefined when it is something else. */
export function parseSolved(text: string, v: Vocabulary): boolean | undefined {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > SOLVED_ANSWER_WORDS) return undefined;
  const index = parseIndex(text, 2, v);
  if (index !== undefined) return index === 0;
  // "What if I don't have a proxy?" asks something; it is not a report on the steps.
  if (isQuestion(text, v)) return undefined;
  const st = tokens.map(stem);
  // "Weet ik niet" is neither.
  if (mentions(v.dontKnow, st)) return undefined;
  if (hasWordOf(v.negations, tokens) || hasWordOf(v.no, tokens) || mentions(v.didNotHelp, st) || mentions(v.stillBroken, st)) return false;
  if (mentions(v.solved, st)) return true;
  // "Yes, CBEngine.exe is already excluded": those steps were done before, so they were no fix.
  if (mentions(v.alreadyDone, st)) return false;
  // A yes with a statement of its own after it ("ja, de schijf was vol") answers something else.
  if (hasWordOf(v.yes, tokens)) return ownContent(tokens, v).length <= YES_CONTENT_WORDS ? true : undefined;
  return undefined;
}

/** Words around a yes that still make it a plain yes ("yes, thanks", "ja hoor, dat was het"). */
const YES_CONTENT_WORDS = 2;

/** The words of a short answer that say something of their own: not filler, yes, thanks or politeness. */
function ownContent(tokens: readonly string[], v: Vocabulary): string[] {
  return tokens.filter((w) => !STOPWORDS.has(w) && !v.yes.words.has(w) && !v.politeness.words.has(w) && !v.gratitude.words.has(w) && !v.botNames.words.has(w));
}

/** "Het werkt weer!" while a question is open: only unmistakable, un-negated "it works". */
export function saysItWorks(text: string, v: Vocabulary): boolean {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > SHORT_ANSWER_WORDS) return false;
  if (hasWordOf(v.negations, tokens) || hasWordOf(v.no, tokens)) return false;
  return mentions(v.solved, tokens.map(stem));
}

/** A yes or no to a yes/no offer ("zal ik het doorzetten?"): true, false or undefined. "1" is yes. */
export function parseYesNo(text: string, v: Vocabulary): boolean | undefined {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > 4 || isQuestion(text, v)) return undefined;
  const index = parseIndex(text, 2, v);
  if (index !== undefined) return index === 0;
  if (hasWordOf(v.no, tokens) || hasWordOf(v.negations, tokens)) return false;
  if (hasWordOf(v.yes, tokens) || tokens.every((w) => v.politeness.words.has(w))) return true;
  return undefined;
}

/** "Iets anders", "geen van beide", "none of these": none of what was offered. */
export function saysSomethingElse(text: string, v: Vocabulary): boolean {
  const tokens = words(text);
  return tokens.length > 0 && tokens.length <= SOMETHING_ELSE_WORDS && mentions(v.somethingElse, tokens.map(stem));
}

/** "Geen idee", "not sure": a short reply that knows no answer. */
export function saysDontKnow(text: string, v: Vocabulary): boolean {
  const tokens = words(text);
  return tokens.length > 0 && tokens.length <= SOMETHING_ELSE_WORDS && mentions(v.dontKnow, tokens.map(stem));
}

/** Picks one of the offered titles by position or by its words. `count` may include extra choices after the titles. */
export function parseChoice(text: string, titles: readonly LocalizedText[], v: Vocabulary, count = titles.length): number | undefined {
  const index = parseIndex(text, count, v);
  if (index !== undefined) return index;
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > SHORT_ANSWER_WORDS) return undefined;
  const userStems = significantStems(text, v);
  const scored = titles.map((title) => {
    const titleStems = new Set([...significantStems(title.nl, v), ...significantStems(title.en, v)]);
    return [...titleStems].filter((s) => userStems.some((u) => wordsMeet(u, s))).length;
  });
  const top = Math.max(...scored);
  return top > 0 && scored.filter((s) => s === top).length === 1 ? scored.indexOf(top) : undefined;
}
