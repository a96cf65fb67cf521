import { stem } from '../../understanding/normalize-text';
import { STOPWORDS } from '../../understanding/stopwords';
import { ownWords, pairHits, phraseHits, words, type PhraseHit } from '../text-match';
import type { Vocabulary } from '../vocabulary';
import { isQuestion } from './typed-answers';

/**
 * Reading "it works again" told in a sentence: "teruggezet en hij draait weer", "changed it to
 * SYSTEM and it ran tonight", "vannacht geen waarschuwingen meer" — and telling it apart from the
 * same words in a description of the problem ("Back Up Now works fine, the schedule never starts",
 * "the event log shows no errors").
 */

/** One clause of a message, as folded tokens and their stems. */
interface ClauseWords {
  /** The clause as written: "back-up" and "Back Up" differ here, not in the tokens. */
  raw: string;
  tokens: string[];
  st: string[];
}

/** A negation, a success or a trouble only counts within its own clause. */
function clauseWordsOf(text: string): ClauseWords[] {
  return text
    .split(/[,.;:!?\n]|\s[-–—]\s/)
    .filter((c) => c.trim() !== '')
    .map((raw) => {
      const tokens = words(raw);
      return { raw, tokens, st: tokens.map(stem) };
    });
}

/** How far before a trouble noun the "no" may stand: "without a single warning". */
const NO_TROUBLE_REACH = 2;

/** "Geen waarschuwingen", "without a single warning", "no more errors": trouble said to be absent. */
function absentTrouble(clause: ClauseWords, v: Vocabulary): PhraseHit[] {
  const none = phraseHits(v.noTrouble, clause.st);
  return phraseHits(v.troubleNouns, clause.st).flatMap((noun) => {
    const before = none.find((no) => no.at + no.length <= noun.at && noun.at - (no.at + no.length) <= NO_TROUBLE_REACH);
    return before ? [{ at: before.at, length: noun.at + noun.length - before.at }] : [];
  });
}

const inside = (at: number, spans: readonly PhraseHit[]): boolean => spans.some((span) => at >= span.at && at < span.at + span.length);

/** A negation that is not the "no" of "no errors": "never starts", "start gewoon niet". */
function negatedAt(clause: ClauseWords, v: Vocabulary, from = 0, to = clause.tokens.length): boolean {
  const absent = absentTrouble(clause, v);
  const unsure = phraseHits(v.dontKnow, clause.st);
  for (let at = from; at < to; at++) {
    if (v.negations.words.has(clause.tokens[at]!) && !inside(at, absent) && !inside(at, unsure)) return true;
  }
  return false;
}

/** Trouble words in the clause (from `from` on), not counting trouble said to be absent. */
function troubleWordsAt(clause: ClauseWords, v: Vocabulary, from = 0): boolean {
  const absent = absentTrouble(clause, v);
  return phraseHits(v.vagueTroubles, clause.st).some((hit) => hit.at >= from && !inside(hit.at, absent));
}

/** Trouble told in the clause: a trouble word, "didn't help", or a negated verb ("that never starts"). */
function reportsTrouble(clause: ClauseWords, v: Vocabulary): boolean {
  return troubleWordsAt(clause, v) || phraseHits(v.didNotHelp, clause.st).length > 0 || negatedAt(clause, v);
}

/** "Vannacht geen waarschuwingen meer": trouble absent in a run after the fix, not in the symptom. */
function cleanRunHit(clause: ClauseWords, v: Vocabulary): PhraseHit | undefined {
  const absent = absentTrouble(clause, v)[0];
  return absent && phraseHits(v.cleanRun, clause.st).length > 0 ? absent : undefined;
}

interface SuccessHit extends PhraseHit {
  /** "Works fine": a state, which next to trouble elsewhere may be a contrast, not a recovery. */
  steady: boolean;
  /** Where its verb stands ("works"), or the hit itself when it has no verb of its own. */
  verbAt: number;
}

function successHit(clause: ClauseWords, v: Vocabulary): SuccessHit | undefined {
  const clean = cleanRunHit(clause, v);
  const hits = [...phraseHits(v.worksAgain, clause.st), ...pairHits(v.worksAgainPairs, clause.tokens, clause.st), ...(clean ? [clean] : [])].sort((a, b) => a.at - b.at);
  const first = hits[0];
  if (!first) return undefined;
  // "Back Up Now works fine" holds "now works" and "works fine": one state is enough to be one.
  const steady = hits.some((hit) => phraseHits(v.steadyState, clause.st.slice(hit.at, hit.at + hit.length)).length > 0);
  const verbAt = clause.tokens.findIndex((token, at) => at >= first.at && v.worksAgainPairs.verbs.words.has(token));
  return { ...first, steady, verbAt: verbAt < 0 ? first.at : verbAt };
}

/** The words of the clause as written that hold its first `count` tokens. */
function writtenWordsBefore(raw: string, count: number): string[][] {
  const out: string[][] = [];
  let seen = 0;
  for (const chunk of raw.split(/\s+/)) {
    if (seen >= count) break;
    const tokens = words(chunk);
    if (tokens.length === 0) continue;
    out.push(tokens.slice(0, count - seen));
    seen += tokens.length;
  }
  return out;
}

/**
 * "Back Up Now works fine", "handmatig werkt het wel": what works is something else than the thing
 * being fixed ("it", "everything", "de back-up"). Read on the words as written, so the button
 * "Back Up Now" is not the noun "back-up".
 */
function namesOtherSubject(clause: ClauseWords, verbAt: number, v: Vocabulary): boolean {
  const subject = subjectBefore(writtenWordsBefore(clause.raw, verbAt), v);
  return subject.length > 0 && subject.some((word) => !v.sameSubject.whole.has(word.join(' ')));
}

/**
 * The words right before the verb that name what works: a pronoun on its own ("it"), or the run of
 * words that say something ("a manual backup", "Back Up Now"). A word that narrows the noun down
 * ("manual", "handmatige") makes it another subject than the thing being fixed.
 */
function subjectBefore(written: readonly (readonly string[])[], v: Vocabulary): (readonly string[])[] {
  const subject: (readonly string[])[] = [];
  for (let at = written.length - 1; at >= 0; at--) {
    const word = written[at]!;
    const same = v.sameSubject.whole.has(word.join(' '));
    const filler = word.every((token) => STOPWORDS.has(token));
    if (same && filler) return subject.length > 0 ? subject : [word];
    if (filler) {
      if (subject.length > 0) break;
      continue;
    }
    subject.unshift(word);
  }
  return subject;
}

/**
 * A success told in a sentence: not negated in its clause, not followed by trouble ("it ran but
 * failed again"), and — where something else than the thing being fixed "works fine" — with no
 * trouble told anywhere else in the message ("it's the scheduled one that never starts, Back Up Now
 * works fine" describes the problem; "it failed all week, now it runs fine" is a recovery).
 */
export function reportsSuccess(text: string, v: Vocabulary): boolean {
  if (isQuestion(text, v)) return false;
  const parts = clauseWordsOf(ownWords(text));
  if (parts.some(({ st }) => phraseHits(v.didNotHelp, st).length > 0)) return false;
  return parts.some((clause, index) => {
    const hit = successHit(clause, v);
    if (!hit || negatedAt(clause, v)) return false;
    const troubleAfter = troubleWordsAt(clause, v, hit.at + hit.length);
    const troubleLater = parts.slice(index + 1).some((later) => troubleWordsAt(later, v));
    if (troubleAfter || troubleLater) return false;
    if (!hit.steady || !namesOtherSubject(clause, hit.verbAt, v)) return true;
    if (turnsAfter(parts, index, hit.at + hit.length, v)) return false;
    return !parts.some((other, at) => at !== index && reportsTrouble(other, v));
  });
}

/**
 * "Handmatig starten lukt prima, maar de geplande taak …": after something else than the thing being
 * fixed works fine, a "but" with something said after it turns to what does not work, whatever
 * words that takes.
 */
function turnsAfter(parts: readonly ClauseWords[], index: number, from: number, v: Vocabulary): boolean {
  const after = [...parts[index]!.tokens.slice(from), ...parts.slice(index + 1).flatMap((part) => part.tokens)];
  const turn = after.findIndex((token) => v.contrast.words.has(token));
  if (turn < 0) return false;
  return after.slice(turn + 1).some((token) => !STOPWORDS.has(token) && !v.gratitude.words.has(token) && !v.politeness.words.has(token) && !v.botNames.words.has(token));
}

/** Thanks in a message that reports no trouble and asks nothing. */
export function thanksOnly(text: string, v: Vocabulary): boolean {
  if (isQuestion(text, v)) return false;
  const parts = clauseWordsOf(ownWords(text));
  return parts.some(({ st }) => phraseHits(v.gratitude, st).length > 0) && !parts.some((clause) => troubleWordsAt(clause, v) || phraseHits(v.didNotHelp, clause.st).length > 0);
}
