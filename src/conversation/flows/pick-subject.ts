import type { Topic } from '../../knowledge/schema';
import { stem } from '../../understanding/normalize-text';
import { STOPWORDS } from '../../understanding/stopwords';
import type { Understanding } from '../../understanding/understanding';
import { t } from '../../shared/i18n';
import { findCase, findTopic, topicOwningErrorId } from '../knowledge-view';
import { indexOfPhrase, phraseHits, words, wordsMeet } from '../text-match';
import type { Turn, TurnOutcome } from '../turn';
import { vocabularyOf, type Vocabulary } from '../vocabulary';
import { answerTopic, caseReply } from './answer';
import { openPrompt } from './open-prompt';
import { isQuestion } from './typed-answers';

/**
 * "Twee dingen: fout 34506 bij de back-up, en daarnaast staat C:\Windows\Temp vol" — and then "eerst
 * die 34506 graag", "the schedule one first please", "laten we met het herstel beginnen": after a
 * message that named several problems, a short reply that names one of them by its words (or its
 * error id) picks that one. Each part of the earlier message is read on its own to know which
 * problem it is.
 */

/** A pick is short: "the disk one first". */
const PICK_MAX_WORDS = 8;
/** … and says in at most this many words which one. */
const PICK_MAX_OWN_WORDS = 3;
/** How many of the admin's earlier messages a pick may refer to. */
const LOOK_BACK_MESSAGES = 3;
/** More parts than this and it is a log, not a list of problems. */
const MAX_PARTS = 8;

/** Clause ends: a full stop or colon only before a space ("64.000", "C:\Windows" stay whole). */
const PART_ENDS = /[,;!?\n]|[.:](?=\s|$)/;

interface Subject {
  stems: string[];
  topic: string;
}

/** The message cut where one problem ends and the next begins: punctuation, "en daarnaast", "and also". */
function partsOf(text: string, v: Vocabulary): string[][] {
  const parts: string[][] = [];
  for (const clause of text.split(PART_ENDS)) {
    const tokens = words(clause);
    let start = 0;
    for (let at = 0; at < tokens.length; at++) {
      const also = v.alsoWords.exact.find((phrase) => indexOfPhrase(tokens, phrase, at) === at);
      if (!also) continue;
      if (at > start) parts.push(tokens.slice(start, at));
      start = at + also.length;
      at = start - 1;
    }
    if (start < tokens.length) parts.push(tokens.slice(start));
  }
  return parts;
}

/** The problem a part of a message is about: the topic of its error id, or the matcher's answer. */
function topicOfPart(part: readonly string[], reread: (text: string) => Understanding | undefined, turn: Turn): string | undefined {
  const u = reread(part.join(' '));
  if (!u) return undefined;
  const owner = u.errorIds.map((id) => topicOwningErrorId(turn.ctx.knowledge, id)).find((topic) => topic !== undefined);
  if (owner) return owner.id;
  return u.kind === 'answer' && u.topic ? u.topic : undefined;
}

/** The problems a message named, part by part; undefined unless it named more than one. */
function subjectsOf(text: string, turn: Turn, reread: (text: string) => Understanding | undefined): Subject[] | undefined {
  const parts = partsOf(text, vocabularyOf(turn.ctx.knowledge));
  if (parts.length < 2 || parts.length > MAX_PARTS) return undefined;
  const subjects = parts.flatMap((part) => {
    const topic = topicOfPart(part, reread, turn);
    return topic ? [{ stems: part.map(stem), topic }] : [];
  });
  return new Set(subjects.map((s) => s.topic)).size > 1 ? subjects : undefined;
}

/** The words of a pick that say which one: not "first", "the … one", "graag" or filler. */
function ownWordsOfPick(text: string, v: Vocabulary): string[] | undefined {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > PICK_MAX_WORDS || isQuestion(text, v)) return undefined;
  if (phraseHits(v.didNotHelp, tokens.map(stem)).length > 0) return undefined;
  const filler = (w: string) =>
    STOPWORDS.has(w) || v.pickFiller.words.has(w) || v.politeness.words.has(w) || v.ordinalFiller.words.has(w) || v.yes.words.has(w) || v.gratitude.words.has(w) || v.botNames.words.has(w);
  const own = tokens.filter((w) => !filler(w)).map(stem);
  return own.length > 0 && own.length <= PICK_MAX_OWN_WORDS ? own : undefined;
}

/** The topic the pick names among the problems of one of the admin's last messages. */
function pickedTopic(turn: Turn, own: readonly string[], reread: (text: string) => Understanding | undefined): Topic | undefined {
  const earlier = turn.state.transcript
    .filter((entry) => entry.from === 'user')
    .slice(0, -1)
    .slice(-LOOK_BACK_MESSAGES)
    .reverse();
  for (const message of earlier) {
    const named = own.filter((w) => words(message.text).some((m) => wordsMeet(stem(m), w)));
    if (named.length < own.length) continue;
    const subjects = subjectsOf(message.text, turn, reread);
    if (!subjects) continue;
    const picked = new Set(subjects.filter((s) => own.every((w) => s.stems.some((m) => wordsMeet(m, w)))).map((s) => s.topic));
    return picked.size === 1 ? findTopic(turn.ctx.knowledge, [...picked][0]) : undefined;
  }
  return undefined;
}

/**
 * The problem picked: its answer, or — already on screen — the last steps and the open question
 * again. `otherTopicOnly`: only a pick of another problem than the open one, which goes before any
 * answer to the open question ("eerst het herstel graag" is no "graag" to "did this solve it?").
 */
export function answerPick(turn: Turn, options: { otherTopicOnly?: boolean } = {}): TurnOutcome | undefined {
  const reread = turn.ctx.reread;
  if (turn.text === '' || !reread) return undefined;
  const own = ownWordsOfPick(turn.text, vocabularyOf(turn.ctx.knowledge));
  const topic = own ? pickedTopic(turn, own, reread) : undefined;
  if (!topic || (options.otherTopicOnly && topic.id === turn.state.topic)) return undefined;
  const lang = turn.lang;
  const intro = { kind: 'notice' as const, lang, text: [t(lang, 'answer.pickFirst', { topic: topic.title[lang] })] };
  const shown = turn.state.topic === topic.id ? findCase(topic, turn.state.case) : undefined;
  if (shown) {
    const again = openPrompt(turn.state, lang, turn.ctx.knowledge);
    const steps = caseReply(turn, topic, shown, undefined, turn.state.awaiting !== 'solved');
    return { replies: [intro, steps, ...(again ? [again] : [])], state: turn.state, events: [{ type: 'answer', topic: topic.id }] };
  }
  const outcome = answerTopic(turn, topic, null);
  return { ...outcome, replies: [intro, ...outcome.replies], events: [{ type: 'question', topic: topic.id }, ...(outcome.events ?? [])] };
}
