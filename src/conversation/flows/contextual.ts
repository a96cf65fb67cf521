import type { KnowledgeBase } from '../../knowledge/load-knowledge';
import type { Topic, TopicCase } from '../../knowledge/schema';
import { stem } from '../../understanding/normalize-text';
import { STOPWORDS } from '../../understanding/stopwords';
import type { Understanding } from '../../understanding/understanding';
import { t } from '../../shared/i18n';
import { findCase, findTopic, topicOwningErrorId } from '../knowledge-view';
import { indexOfPhrase, mentions, phraseHits, stems, words, wordsMeet } from '../text-match';
import type { Turn, TurnOutcome } from '../turn';
import { vocabularyOf, type Vocabulary } from '../vocabulary';
import { moveToNextCase, showCase } from './answer';
import { openPrompt } from './open-prompt';

/**
 * A question typed while a topic is open ("en als dat niet werkt?", "what if I don't have a
 * proxy?") is about that topic: it picks a case, rules one out, or asks for the next one.
 * Only a clearly different topic (a confident match elsewhere, or another topic's error id)
 * leaves the current one.
 */

/** Confidence from which the matcher's answer on another topic beats the open topic … */
export const SWITCH_CONFIDENCE = 0.85;
/** … and from which it wins even over words that point at a case of the open topic. */
const SURE_SWITCH_CONFIDENCE = 0.95;
/** How far back a negation reaches: "don't have a proxy", "geen proxyserver". */
const NEGATION_REACH = 3;
/** Up to this length, "werkt niet" / "still failing" is about the last steps, not a new problem. */
const SHORT_REMARK_WORDS = 7;

/** An error id in the message that belongs to another topic than the open one (and none to it). */
export function otherTopicErrorId(kb: KnowledgeBase, current: string | null, understanding: Understanding | undefined): boolean {
  if (!understanding || !current) return false;
  const owners = understanding.errorIds.map((id) => topicOwningErrorId(kb, id)?.id).filter((id): id is string => id !== undefined);
  return owners.length > 0 && !owners.includes(current);
}

export function confidentElsewhere(current: string | null, understanding: Understanding | undefined, threshold: number): boolean {
  return (
    understanding !== undefined &&
    understanding.kind === 'answer' &&
    understanding.topic !== null &&
    understanding.topic !== current &&
    understanding.confidence >= threshold
  );
}

/** A message that is certainly a new question: another topic's error id, or a sure match elsewhere. */
export function clearlyDifferentTopic(kb: KnowledgeBase, current: string | null, understanding: Understanding | undefined): boolean {
  return otherTopicErrorId(kb, current, understanding) || confidentElsewhere(current, understanding, SWITCH_CONFIDENCE);
}

/*
 * "Fresh" words (dialogue.fresh) rule out a case about something old or expired without a "not":
 * "het bestand is nieuw" against the expired-credentials case. One direction only: "older than
 * 10 days" (dialogue.stale) must keep pointing at that case.
 */

interface CaseSignal {
  caseId: string;
  score: number;
  negated: boolean;
}

/** Words of a case that tell it apart from the topic's other cases. */
function distinctiveWords(topic: Topic, v: Vocabulary): Map<string, string[]> {
  const perCase = new Map<string, string[]>();
  const seenIn = new Map<string, number>();
  for (const c of topic.cases) {
    const own = new Set(
      [c.title.nl, c.title.en, c.when.nl, c.when.en].flatMap(words).filter((w) => w.length >= 3 && !STOPWORDS.has(w) && !v.negations.words.has(w)).map(stem),
    );
    perCase.set(c.id, [...own]);
    for (const w of own) seenIn.set(w, (seenIn.get(w) ?? 0) + 1);
  }
  for (const [id, list] of perCase) perCase.set(id, list.filter((w) => seenIn.get(w) === 1));
  return perCase;
}

function negatedAt(tokens: readonly string[], position: number, v: Vocabulary): boolean {
  for (let k = Math.max(0, position - NEGATION_REACH); k < position; k++) if (v.negations.words.has(tokens[k]!)) return true;
  return false;
}

/** How far after a cause's words "is fine" may stand: "the trigger is enabled", "de firewall staat gewoon goed". */
const IN_ORDER_REACH = 3;

/** "The trigger is enabled", "PowerShell looks good": the thing a cause is about is said to be in order (and not "not ok"). */
function inOrderAfter(tokens: readonly string[], tokenStems: readonly string[], end: number, v: Vocabulary): boolean {
  const after = tokenStems.slice(end, end + IN_ORDER_REACH + 1);
  return phraseHits(v.inOrder, after).some((hit) => !tokens.slice(end, end + hit.at).some((w) => v.negations.words.has(w)));
}

/** The message without its "if that doesn't work" and "that's not it" remarks: their words say nothing about a case. */
function withoutRemarks(text: string, v: Vocabulary): { tokens: string[]; remark: boolean; notTheCause: boolean } {
  const tokens = words(text);
  const st = tokens.map(stem);
  const keep = tokens.map(() => true);
  let remark = false;
  let notTheCause = false;
  for (const [list, isNotTheCause] of [[v.didNotHelp, false], [v.notTheCause, true]] as const) {
    for (const phraseStems of list.phrases) {
      const at = indexOfPhrase(st, phraseStems);
      if (at < 0) continue;
      remark = true;
      if (isNotTheCause) notTheCause = true;
      for (let k = at; k < at + phraseStems.length; k++) keep[k] = false;
    }
  }
  return { tokens: tokens.filter((_, i) => keep[i]), remark, notTheCause };
}

/**
 * What the message says about each cause of the topic: how strongly it points at it, and whether
 * it rules it out — a negation before its words ("geen proxy"), its thing said to be in order ("the
 * trigger is enabled"), "already" with the words of the steps on screen ("CBEngine.exe is already
 * excluded": done before, so no fix), or "that's not it" about the cause the message names most.
 */
function caseSignals(topic: Topic, tokens: readonly string[], v: Vocabulary, context: { onScreen: string | null; notTheCause: boolean }): CaseSignal[] {
  const messageStems = tokens.map(stem);
  const distinctive = distinctiveWords(topic, v);
  const already = mentions(v.alreadyDone, messageStems);
  const signals = topic.cases.map((c) => {
    let score = 0;
    let negated = false;
    // A negation that is part of the cause's own words ("not enabled") says it applies.
    const ownSpans: { at: number; end: number }[] = [];
    for (const trigger of [...c.triggers.nl, ...c.triggers.en]) {
      const triggerStems = stems(trigger);
      const at = indexOfPhrase(messageStems, triggerStems);
      if (at < 0) continue;
      score += 2;
      ownSpans.push({ at, end: at + triggerStems.length });
      if (negatedAt(tokens, at, v) || inOrderAfter(tokens, messageStems, at + triggerStems.length, v)) negated = true;
    }
    for (const word of distinctive.get(c.id) ?? []) {
      const at = messageStems.findIndex((m) => wordsMeet(m, word));
      if (at < 0) continue;
      score += 1;
      if (ownSpans.some((span) => at >= span.at && at < span.end)) continue;
      // Only a cause's own phrases are said to be in order: in "proxy settings look good" the
      // firewall case's word "settings" is not what looks good.
      if (negatedAt(tokens, at, v)) negated = true;
    }
    const caseWords = [c.when.nl, c.when.en, c.title.nl, c.title.en].flatMap(words);
    if (tokens.some((w) => v.fresh.words.has(w)) && !tokens.some((w) => v.stale.words.has(w)) && caseWords.some((w) => v.stale.words.has(w))) {
      score += 1;
      negated = true;
    }
    // "De scratchmap en CBEngine.exe staan al uitgesloten": with "already", the words of the steps
    // on screen say those steps were done before, whatever words the cause itself is named by.
    if (already && c.id === context.onScreen && (score > 0 || sharesStepWords(c, messageStems))) {
      score = Math.max(score, 1);
      negated = true;
    }
    return { caseId: c.id, score, negated };
  });
  if (!context.notTheCause) return signals;
  // "Exclusions for the scratch folder are in place, so that's not it": what the message is most
  // about is ruled out, not every word it mentions on the way.
  const top = Math.max(0, ...signals.map((s) => s.score));
  return signals.map((s) => (top > 0 && s.score === top ? { ...s, negated: true } : s));
}

/** How many of the message's own words must be in a case's steps before the message is about them. */
const STEP_WORDS_MET = 2;

/** The message repeats words of the case's steps ("CBEngine.exe", "scratch folder"), in either language. */
function sharesStepWords(c: TopicCase, messageStems: readonly string[]): boolean {
  const stepStems = new Set([...c.steps.nl, ...c.steps.en].flatMap(words).filter((w) => w.length >= 3 && !STOPWORDS.has(w)).map(stem));
  const own = new Set(messageStems.filter((w) => w.length >= 3 && !STOPWORDS.has(w)));
  return [...own].filter((w) => stepStems.has(w)).length >= STEP_WORDS_MET;
}

function pickCase(topic: Topic, signals: CaseSignal[]): TopicCase | undefined {
  const positive = signals.filter((s) => !s.negated && s.score >= 2).sort((a, b) => b.score - a.score);
  const best = positive[0];
  if (!best || (positive[1] && positive[1].score === best.score)) return undefined;
  return findCase(topic, best.caseId);
}

/** What the message says about each cause of the open topic, and whether it is a remark on the steps. */
function readCases(turn: Turn, topic: Topic): { signals: CaseSignal[]; remark: boolean } {
  const v = vocabularyOf(turn.ctx.knowledge);
  const { tokens, remark, notTheCause } = withoutRemarks(turn.text, v);
  // What the matcher's case detector rules out for this topic ("Chrome en Edge al geprobeerd")
  // counts as a "no" here too: such a cause is never picked, only moved past.
  const ruledOut = new Set(turn.understanding?.openTopicCase?.ruledOut ?? []);
  const signals = caseSignals(topic, tokens, v, { onScreen: turn.state.case, notTheCause }).map((s) =>
    ruledOut.has(s.caseId) ? { ...s, score: Math.max(s.score, 1), negated: true } : s,
  );
  return { signals, remark };
}

/**
 * The causes of the open topic the message rules out in words: "nee, de firewall staat open en er
 * is geen proxy" in answer to "did this solve it?" is a no that also rules out those causes.
 */
export function casesRuledOutBy(turn: Turn, topic: Topic): string[] {
  return readCases(turn, topic)
    .signals.filter((s) => s.negated && s.score > 0)
    .map((s) => s.caseId);
}

export function answerInContext(turn: Turn): TurnOutcome | undefined {
  const kb = turn.ctx.knowledge;
  const topic = findTopic(kb, turn.state.topic);
  const u = turn.understanding;
  if (!topic || turn.text === '' || !u || u.kind === 'escalate') return undefined;
  if (otherTopicErrorId(kb, topic.id, u)) return undefined;

  const lang = turn.lang;
  const withQuestion = (outcome: TurnOutcome): TurnOutcome => ({ ...outcome, events: [{ type: 'question', topic: topic.id }, ...(outcome.events ?? [])] });
  // While the bot asks which problem it is ("what do you see exactly?"), a description the matcher
  // reads as another topic answers that question; the first checks' causes do not claim its words.
  const choosing = turn.state.awaiting === 'topic-choice' && u.kind === 'answer' && u.topic !== topic.id;
  const sureElsewhere = choosing || confidentElsewhere(topic.id, u, SURE_SWITCH_CONFIDENCE);
  const { signals, remark } = readCases(turn, topic);
  const negated = signals.filter((s) => s.negated && s.score > 0).map((s) => s.caseId);
  const chosen = pickCase(topic, signals);
  // The case on screen has been seen: moving on means past it, as well as past what was ruled out.
  const current = turn.state.case ? [turn.state.case] : [];

  if (chosen && !sureElsewhere) {
    return withQuestion(showCase(turn, topic, chosen, t(lang, 'answer.caseIntro', { case: chosen.title[lang] })));
  }
  if (negated.length > 0 && !sureElsewhere) {
    const outcome = moveToNextCase(turn, topic, [...negated, ...current]);
    const ruledOut = findCase(topic, negated[0]);
    const intro = ruledOut ? [{ kind: 'notice' as const, lang, text: [t(lang, 'answer.notCase', { case: ruledOut.title[lang] })] }] : [];
    return withQuestion({ ...outcome, replies: [...intro, ...outcome.replies] });
  }
  // "Still broken" while the bot asks which problem it is: that question comes first.
  if (remark && turn.state.awaiting === 'topic-choice') {
    const again = openPrompt(turn.state, lang, kb);
    if (again) return { replies: [{ kind: 'notice', lang, text: [t(lang, 'vague.narrowFirst')] }, again], state: turn.state };
  }
  // "En als dat niet werkt?" is about the steps just shown, whatever else its words resemble;
  // in a longer message it only counts when no other topic claims the message.
  if (remark && (words(turn.text).length <= SHORT_REMARK_WORDS || !confidentElsewhere(topic.id, u, SWITCH_CONFIDENCE))) {
    return withQuestion(moveToNextCase(turn, topic, current));
  }
  // The matcher may already have read the case in the same topic ("34513 and we use a proxy").
  const known = u.topic === topic.id ? findCase(topic, u.case) : undefined;
  if (known) return withQuestion(showCase(turn, topic, known, t(lang, 'answer.caseIntro', { case: known.title[lang] })));
  return undefined;
}
