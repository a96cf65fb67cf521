import type { Topic } from '../../knowledge/schema';
import { t } from '../../shared/i18n';
import type { Turn, TurnOutcome } from '../turn';
import { fallback } from './smalltalk';

const MAX_CHOICES = 3;

/** "Which of these do you mean?" with the candidate topics as buttons. */
export function clarify(turn: Turn, topicIds: readonly string[]): TurnOutcome {
  const kb = turn.ctx.knowledge;
  const topics = [...new Set(topicIds)]
    .map((id) => kb.byId.get(id))
    .filter((topic): topic is Topic => topic !== undefined)
    .slice(0, MAX_CHOICES);
  if (topics.length === 0) return fallback(turn);
  const lang = turn.lang;
  return {
    replies: [
      {
        kind: 'clarify',
        lang,
        prompt: t(lang, topics.length === 1 ? 'clarify.single' : 'clarify.prompt'),
        choices: topics.map((topic) => ({
          id: `topic-${topic.id}`,
          label: topic.title[lang],
          action: { type: 'choose-topic', topic: topic.id },
        })),
      },
    ],
    state: { ...turn.state, awaiting: 'topic-choice', topicChoices: topics.map((topic) => topic.id) },
    events: [{ type: 'clarify', topic: null }],
  };
}
