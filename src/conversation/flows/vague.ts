import type { Topic } from '../../knowledge/schema';
import { stem } from '../../understanding/normalize-text';
import { STOPWORDS } from '../../understanding/stopwords';
import { t } from '../../shared/i18n';
import { markShown, addStepsShown, withoutTopic, type ConversationState } from '../state';
import { phraseHits, words } from '../text-match';
import type { Turn, TurnOutcome } from '../turn';
import { vocabularyOf, type Vocabulary } from '../vocabulary';
import { caseReply } from './answer';
import { topicChoice } from './clarify';
import { shortTopicList } from './smalltalk';

/**
 * "Backup werkt niet", "the agent is broken": something is wrong and nothing says what. No topic
 * can be picked from that, so the admin gets the first checks (which solve a lot on their own) and
 * a question that narrows it down, instead of a guess.
 */

/** The topic with the checks to do before any specific error. */
const FIRST_CHECKS_TOPIC = 'basic-troubleshooting';
/** A vague message is a short one; a longer one says more than "it's broken". */
const MAX_VAGUE_WORDS = 10;
/** How many topics the narrowing question offers (plus "something else"). */
const NARROWING_CHOICES = 5;

/** True when every word of the message is a backup/agent word, a "something's wrong" word or filler, and it says something is wrong. */
export function isVague(text: string, v: Vocabulary): boolean {
  const tokens = words(text);
  if (tokens.length === 0 || tokens.length > MAX_VAGUE_WORDS) return false;
  const st = tokens.map(stem);
  const covered = tokens.map((w) => STOPWORDS.has(w) || v.politeness.words.has(w) || v.botNames.words.has(w) || v.negations.words.has(w));
  const cover = (hits: { at: number; length: number }[]) => hits.forEach(({ at, length }) => covered.fill(true, at, at + length));
  const troubles = phraseHits(v.vagueTroubles, st);
  if (troubles.length === 0) return false;
  cover(troubles);
  cover(phraseHits(v.vagueSubjects, st));
  return covered.every(Boolean);
}

/** The first checks and "what do you see exactly?"; undefined when the message is not vague or says an error id. */
export function answerVague(turn: Turn): TurnOutcome | undefined {
  const kb = turn.ctx.knowledge;
  const topic = kb.byId.get(FIRST_CHECKS_TOPIC);
  const first = topic?.cases[0];
  if (!topic || !first || (turn.understanding?.errorIds.length ?? 0) > 0) return undefined;
  if (!isVague(turn.text, vocabularyOf(kb))) return undefined;
  const lang = turn.lang;
  const narrowTo: Topic[] = shortTopicList(kb)
    .filter((candidate) => candidate.id !== topic.id)
    .slice(0, NARROWING_CHOICES);
  let state: ConversationState = {
    ...withoutTopic(turn.state),
    topic: topic.id,
    case: first.id,
    awaiting: 'topic-choice',
    topicChoices: narrowTo.map((choice) => choice.id),
  };
  state = markShown(addStepsShown(state, first.steps[lang]), first.id);
  return {
    replies: [caseReply(turn, topic, first, t(lang, 'vague.intro')), topicChoice(lang, t(lang, 'vague.prompt'), narrowTo)],
    state,
    events: [{ type: 'question', topic: null }, { type: 'answer', topic: topic.id }],
  };
}
