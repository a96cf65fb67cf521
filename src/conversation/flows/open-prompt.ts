import type { Topic } from '../../knowledge/schema';
import type { Lang } from '../../shared/lang';
import type { Reply } from '../../replies/reply';
import type { KnowledgeBase } from '../../knowledge/load-knowledge';
import { t } from '../../shared/i18n';
import { findQuestion, findTopic } from '../knowledge-view';
import { escalateButton, followUpQuestion, solvedQuestion } from '../reply-parts';
import type { ConversationState } from '../state';
import { topicChoice } from './clarify';

/**
 * The question the bot is still waiting on, rendered again (in `lang`): after a language switch,
 * or when a typed reply did not answer it.
 */
export function openPrompt(state: ConversationState, lang: Lang, kb: KnowledgeBase): Reply | undefined {
  const topic = findTopic(kb, state.topic);
  const question = topic ? findQuestion(topic, state.pendingQuestion) : undefined;
  if (topic && question) return followUpQuestion(lang, topic, question);
  if (topic && state.awaiting === 'solved') return solvedQuestion(lang, topic.id, state.case);
  if (state.awaiting === 'escalation-offer') return { kind: 'question', lang, prompt: t(lang, 'exhausted.prompt'), choices: [escalateButton(lang, true)] };
  if (state.awaiting === 'topic-choice' && state.topicChoices.length > 0) {
    const topics = state.topicChoices.map((id) => kb.byId.get(id)).filter((choice): choice is Topic => choice !== undefined);
    if (topics.length > 0) return topicChoice(lang, t(lang, 'clarify.prompt'), topics);
  }
  return undefined;
}
