import type { FollowUpOption, FollowUpQuestion, LocalizedText } from '../../knowledge/schema';
import { stem } from '../../understanding/normalize-text';
import { STOPWORDS } from '../../understanding/stopwords';
import { containsPhrase, indexOfPhrase, stems, words, wordsMeet } from '../text-match';
import {
  NEGATIONS,
  NO,
  NOT_SOLVED_PHRASES,
  ORDINAL_FILLER,
  ORDINALS,
  SOLVED_PHRASES,
  SOLVED_WORDS,
  YES,
} from '../vocabulary';

/**
 * Reading typed answers to what the bot just asked: "2", "de tweede", "ja", "nee, geen proxy",
 * "0x80070005", "het werkt weer". Each parser returns undefined when the text is not clearly an
 * answer, so the turn can go on to be read as a question.
 */

/** Longest message still read as a short answer rather than a new question. */
const SHORT_ANSWER_WORDS = 8;
const SOLVED_ANSWER_WORDS = 12;

/** "2", "optie 2", "2.", "de tweede", "the first one" → 0-based index within `count`. */
export function parseIndex(text: string, count: number): number | undefined {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > 4) return undefined;
  const picks = tokens.filter((tok) => !ORDINAL_FILLER.has(tok));
  if (picks.length !== 1) return undefined;
  const pick = picks[0]!;
  const n = /^\d$/.test(pick) ? Number(pick) : ORDINALS[pick];
  return n !== undefined && n >= 1 && n <= count ? n - 1 : undefined;
}

function phrasesOf(option: FollowUpOption): string[] {
  return [...option.answers.nl, ...option.answers.en, option.label.nl, option.label.en];
}

function significantStems(text: string): string[] {
  return words(text)
    .filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !YES.has(w) && !NO.has(w))
    .map(stem);
}

/** The option a typed answer picks, or undefined when it does not clearly pick one. */
export function parseOption(text: string, question: FollowUpQuestion): FollowUpOption | undefined {
  const options = question.options;
  const tokens = words(text);
  if (tokens.length === 0) return undefined;

  const index = parseIndex(text, options.length);
  if (index !== undefined) return options[index];

  const messageStems = tokens.map(stem);
  const whole = messageStems.join(' ');
  const exact = options.filter((o) => phrasesOf(o).some((p) => stems(p).join(' ') === whole));
  if (exact.length === 1) return exact[0];

  // "nee, ..." / "yes we do": the option whose answers or label start with the same polarity.
  const first = tokens[0]!;
  const polarity = YES.has(first) ? YES : NO.has(first) ? NO : undefined;
  if (polarity) {
    const matching = options.filter((o) => phrasesOf(o).some((p) => polarity.has(words(p)[0] ?? '')));
    if (matching.length === 1) return matching[0];
  }

  // The longest answer phrase the message contains decides; a tie decides nothing.
  let best: FollowUpOption | undefined;
  let bestLength = 0;
  let tie = false;
  for (const option of options) {
    for (const phrase of [...option.answers.nl, ...option.answers.en]) {
      const phraseStems = stems(phrase);
      if (indexOfPhrase(messageStems, phraseStems) < 0) continue;
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
  if (best && !tie) return best;

  // A short answer that repeats words of one option's label ("de proxy", "cloud file").
  if (tokens.length > SHORT_ANSWER_WORDS) return undefined;
  const userStems = significantStems(text);
  const scored = options.map((o) => {
    const labelStems = new Set([...significantStems(o.label.nl), ...significantStems(o.label.en)]);
    return { option: o, hits: [...labelStems].filter((l) => userStems.some((u) => wordsMeet(u, l))).length };
  });
  const top = Math.max(...scored.map((s) => s.hits));
  const winners = scored.filter((s) => s.hits === top);
  return top > 0 && winners.length === 1 ? winners[0]!.option : undefined;
}

const QUESTION_OPENERS = ['wat als', 'en als', 'what if', 'and if', 'what about', 'en wat', 'hoe', 'how', 'waarom', 'why', 'moet ik', 'should i', 'kan ik', 'can i'];

function isQuestion(text: string, tokens: readonly string[]): boolean {
  const opening = tokens.slice(0, 2).join(' ');
  return text.trim().endsWith('?') || QUESTION_OPENERS.some((q) => opening === q || opening.startsWith(`${q} `) || tokens[0] === q);
}

/** Typed answer to "Did this solve it?": true, false, or undefined when it is something else. */
export function parseSolved(text: string): boolean | undefined {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > SOLVED_ANSWER_WORDS) return undefined;
  // "What if I don't have a proxy?" asks something; it is not a report on the steps.
  if (isQuestion(text, tokens)) return undefined;
  const st = tokens.map(stem);
  if (tokens.some((w) => NEGATIONS.has(w) || NO.has(w)) || NOT_SOLVED_PHRASES.some((p) => containsPhrase(st, p))) return false;
  if (tokens.some((w) => YES.has(w) || SOLVED_WORDS.has(w)) || SOLVED_PHRASES.some((p) => containsPhrase(st, p))) return true;
  return undefined;
}

/** "Het werkt weer!" while a question is open: only unmistakable, un-negated "it works". */
export function saysItWorks(text: string): boolean {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > SHORT_ANSWER_WORDS) return false;
  if (tokens.some((w) => NEGATIONS.has(w) || NO.has(w))) return false;
  const st = tokens.map(stem);
  return tokens.some((w) => SOLVED_WORDS.has(w)) || SOLVED_PHRASES.some((p) => containsPhrase(st, p));
}

/** Picks one of the offered titles by position or by its words. */
export function parseChoice(text: string, titles: readonly LocalizedText[]): number | undefined {
  const index = parseIndex(text, titles.length);
  if (index !== undefined) return index;
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > SHORT_ANSWER_WORDS) return undefined;
  const userStems = significantStems(text);
  const scored = titles.map((title) => {
    const titleStems = new Set([...significantStems(title.nl), ...significantStems(title.en)]);
    return [...titleStems].filter((s) => userStems.some((u) => wordsMeet(u, s))).length;
  });
  const top = Math.max(...scored);
  return top > 0 && scored.filter((s) => s === top).length === 1 ? scored.indexOf(top) : undefined;
}
