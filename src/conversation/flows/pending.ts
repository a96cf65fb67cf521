import { t } from '../../shared/i18n';
import { findQuestion, findTopic } from '../knowledge-view';
import type { Turn, TurnOutcome } from '../turn';
import { mentions, stems, words } from '../text-match';
import { vocabularyOf } from '../vocabulary';
import { answerTopic } from './answer';
import { reportsSuccess } from './success-report';
import { somethingElse } from './clarify';
import { casesRuledOutBy, confidentElsewhere, otherTopicErrorId, SWITCH_CONFIDENCE } from './contextual';
import { cancelsEscalation, escalationCancelled, startEscalation, typedContact, typedDescription } from './escalation';
import { answerFollowUp } from './follow-up';
import { answerSolved } from './solved';
import { splitChangeOfSubject, splitOpening } from './subject-change';
import { isVague } from './vague';
import { reprompt } from './reprompt';
import { isQuestion, matchOption, opensAsQuestion, parseChoice, parseIndex, parseSolved, parseYesNo, saysDontKnow, saysItWorks, saysSomethingElse } from './typed-answers';

/**
 * Typed answers to what the bot asked last: the open follow-up question, "did this solve it?",
 * which of the offered topics, or whether to hand over to support. A message is first read as a
 * message: one that carries a new error, or that another topic clearly claims, is a new question
 * even while a question is open (earlier routes have already taken requests for support,
 * language switches and changes of subject).
 */

/** "Did this solve it?" offers yes, no, and no-hand-it-to-support (solvedQuestion). */
const SOLVED_CHOICES = 3;

/** Up to this many words, a reply is read as an answer, whatever the matcher thinks of it. */
const SHORT_ANSWER_MAX = 3;

/**
 * Another topic clearly claims the message: a sure match, or a question in more than a few words
 * that the matcher answers with another topic.
 */
function claimedElsewhere(turn: Turn): boolean {
  const u = turn.understanding;
  if (!u || u.kind !== 'answer' || u.topic === null || u.topic === turn.state.topic) return false;
  if (words(turn.text).length <= SHORT_ANSWER_MAX) return false;
  return confidentElsewhere(turn.state.topic, u, SWITCH_CONFIDENCE) || isQuestion(turn.text, vocabularyOf(turn.ctx.knowledge));
}

/** Reads a turn as a message through the routes after the hand-over's own. */
export type ReadAsMessage = (turn: Turn) => TurnOutcome;

/**
 * While the hand-over waits for a description (or a contact), a message that starts something
 * else: an opening like "wacht even" or "actually wait, before that:" (the rest is read on its own),
 * or a message that opens as a question a fact or another topic answers ("what does SalBitmapError
 * mean?"). A request to support that merely ends in a question mark ("… since Monday, can you
 * check?") is still the description. `''`: only the opening, nothing after it.
 */
function somethingElseFirst(turn: Turn): { text: string } | undefined {
  const v = vocabularyOf(turn.ctx.knowledge);
  const opening = splitOpening(turn.text, v, v.interruption, { atStart: true });
  if (opening) return { text: opening.remainder };
  const u = turn.understanding;
  const answered = u !== undefined && (u.kind === 'info' || (u.kind === 'answer' && u.topic !== turn.state.topic));
  return answered && opensAsQuestion(turn.text, v) ? { text: turn.text } : undefined;
}

/**
 * The hand-over set aside for what the admin asks first: the question answered as any message
 * would be, with a word that the ticket can wait. Only "wait" and nothing else keeps waiting.
 */
function handOverSetAside(turn: Turn, first: { text: string }, readAsMessage: ReadAsMessage): TurnOutcome {
  const lang = turn.lang;
  if (first.text === '') return { replies: [{ kind: 'notice', lang, text: [t(lang, 'escalation.waiting')] }], state: turn.state };
  const understanding = first.text === turn.text ? turn.understanding : (turn.ctx.reread?.(first.text) ?? turn.understanding);
  const outcome = readAsMessage({ ...turn, text: first.text, understanding, state: { ...turn.state, awaiting: null, pendingEscalation: null } });
  return { ...outcome, replies: [{ kind: 'notice', lang, text: [t(lang, 'escalation.setAside')] }, ...outcome.replies] };
}

/**
 * The ticket description while the hand-over waits for one; "laat maar" cancels; a question or
 * "wait, first …" sets it aside. A change of subject is read later.
 */
export function answerDescription(turn: Turn, readAsMessage: ReadAsMessage): TurnOutcome | undefined {
  if (turn.state.awaiting !== 'escalation-description' || turn.text === '') return undefined;
  if (cancelsEscalation(turn)) return escalationCancelled(turn);
  if (splitChangeOfSubject(turn.text, vocabularyOf(turn.ctx.knowledge), { atStart: true })) return undefined;
  const first = somethingElseFirst(turn);
  return first ? handOverSetAside(turn, first, readAsMessage) : typedDescription(turn);
}

/** How support can reach the user, asked after a typed description where the platform does not say; "laat maar" cancels. */
export function answerContact(turn: Turn, readAsMessage: ReadAsMessage): TurnOutcome | undefined {
  if (turn.state.awaiting !== 'escalation-contact' || turn.text === '') return undefined;
  if (cancelsEscalation(turn)) return escalationCancelled(turn);
  if (splitChangeOfSubject(turn.text, vocabularyOf(turn.ctx.knowledge), { atStart: true })) return undefined;
  const first = somethingElseFirst(turn);
  return first ? handOverSetAside(turn, first, readAsMessage) : typedContact(turn);
}

export function answerPending(turn: Turn): TurnOutcome | undefined {
  const { state, text } = turn;
  if (text === '') return undefined;
  const kb = turn.ctx.knowledge;
  const v = vocabularyOf(kb);
  if (otherTopicErrorId(kb, state.topic, turn.understanding)) return undefined;

  const topic = findTopic(kb, state.topic);
  const question = topic ? findQuestion(topic, state.pendingQuestion) : undefined;
  // None of the options, or none of the offered topics: ask for the admin's own words.
  if ((question || state.awaiting === 'topic-choice') && saysSomethingElse(text, v)) return somethingElse(turn);
  if (topic && question) {
    const match = matchOption(text, question, v);
    // "2" or the option's own words are the answer. "Nope, same error" is about the steps on
    // screen, not a "no" to the question; and a guess from a few shared words is no answer when
    // another topic clearly claims the message.
    // "Excluded OneDrive and the next run was clean" reports the end, it does not pick the OneDrive option.
    // "Antivirus is not the problem", or "Defender already excludes it" while those steps are on
    // screen: the words rule that option's cause out rather than pick it.
    const st = stems(text);
    const leadsToRuledOut =
      match?.option.case !== undefined && (casesRuledOutBy(turn, topic).includes(match.option.case) || (match.option.case === state.case && mentions(v.alreadyDone, st)));
    const remark = mentions(v.didNotHelp, st) || leadsToRuledOut || reportsSuccess(text, v);
    const accepted = match && (match.how === 'exact' || (!remark && (match.how === 'polarity' || !claimedElsewhere(turn))));
    if (match && accepted) return answerFollowUp(turn, topic, question, match.option);
    if (saysItWorks(text, v)) return answerSolved(turn, topic.id, state.case, true);
  }

  if (topic && state.awaiting === 'solved' && !claimedElsewhere(turn)) {
    // "3" is the third choice of "did this solve it?": no, hand it to support.
    if (parseIndex(text, SOLVED_CHOICES, v) === SOLVED_CHOICES - 1) return answerSolved(turn, topic.id, state.case, false, true);
    // "Vannacht geen waarschuwingen meer": its "geen" is about the warnings, not about the fix.
    if (reportsSuccess(text, v)) return answerSolved(turn, topic.id, state.case, true);
    // A message that names an error ("eerst die 34506 graag") says which, not whether.
    const solved = (turn.understanding?.errorIds.length ?? 0) > 0 ? undefined : parseSolved(text, v);
    if (solved !== undefined) return answerSolved(turn, topic.id, state.case, solved, false, solved ? [] : casesRuledOutBy(turn, topic));
  }
  // "Geen idee" that no option takes: the question again, not a guess at another topic.
  if (topic && (question || state.awaiting === 'solved') && saysDontKnow(text, v)) return reprompt(turn);

  if (state.awaiting === 'topic-choice' && state.topicChoices.length > 0) {
    const offered = state.topicChoices.map((id) => kb.byId.get(id)).filter((choice) => choice !== undefined);
    // "Something else" is the last choice, after the topics. A vague complaint is not a choice,
    // however many words it shares with a title ("the agent is broken").
    const index = isVague(text, v) ? undefined : parseChoice(text, offered.map((choice) => choice.title), v, offered.length + 1);
    if (index === offered.length) return somethingElse(turn);
    const chosen = index !== undefined ? offered[index] : undefined;
    if (chosen) return answerTopic(turn, chosen, null);
  }

  if (state.awaiting === 'escalation-offer') {
    const yes = parseYesNo(text, v);
    if (yes === true) return startEscalation(turn);
    if (yes === false) return { replies: [{ kind: 'notice', lang: turn.lang, text: [t(turn.lang, 'exhausted.declined')] }], state: { ...state, awaiting: null } };
  }
  return undefined;
}
