import type { Topic } from '../../knowledge/schema';
import type { Lang } from '../../shared/lang';
import type { Reply, ReplyButton } from '../../replies/reply';
import { t } from '../../shared/i18n';
import { escalateButton } from '../reply-parts';
import type { ConversationState } from '../state';
import type { Turn, TurnOutcome } from '../turn';
import { fallback } from './smalltalk';

const MAX_CHOICES = 3;

/** The way out of every "which of these?": none of them. */
function somethingElseButton(lang: Lang): ReplyButton {
  return { id: 'something-else', label: t(lang, 'clarify.somethingElse'), action: { type: 'something-else' } };
}

/** "Which of these do you mean?" (or another prompt) with the topics as buttons, and "something else". */
export function topicChoice(lang: Lang, prompt: string, topics: readonly Topic[]): Reply {
  return {
    kind: 'clarify',
    lang,
    prompt,
    choices: [
      ...topics.map((topic) => ({ id: `topic-${topic.id}`, label: topic.title[lang], action: { type: 'choose-topic' as const, topic: topic.id } })),
      somethingElseButton(lang),
    ],
  };
}

/** "Which of these do you mean?" with the candidate topics as buttons. */
export function clarify(turn: Turn, topicIds: readonly string[], base: ConversationState = turn.state): TurnOutcome {
  const kb = turn.ctx.knowledge;
  const topics = [...new Set(topicIds)]
    .map((id) => kb.byId.get(id))
    .filter((topic): topic is Topic => topic !== undefined)
    .slice(0, MAX_CHOICES);
  if (topics.length === 0) return fallback({ ...turn, state: base });
  const lang = turn.lang;
  return {
    replies: [topicChoice(lang, t(lang, topics.length === 1 ? 'clarify.single' : 'clarify.prompt'), topics)],
    state: { ...base, awaiting: 'topic-choice', topicChoices: topics.map((topic) => topic.id) },
    events: [{ type: 'clarify', topic: null }],
  };
}

/** None of the offered topics: ask for the admin's own words or the error, and offer support. */
export function somethingElse(turn: Turn): TurnOutcome {
  const lang = turn.lang;
  return {
    replies: [{ kind: 'question', lang, prompt: t(lang, 'clarify.describe'), actions: [escalateButton(lang)] }],
    state: { ...turn.state, topic: null, case: null, casesTried: [], casesShown: [], casesUnlikely: [], pendingQuestion: null, awaiting: null, topicChoices: [] },
  };
}
