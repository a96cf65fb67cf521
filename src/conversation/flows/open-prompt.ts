import type { Lang } from '../../shared/lang';
import type { Reply } from '../../replies/reply';
import type { KnowledgeBase } from '../../knowledge/load-knowledge';
import { t } from '../../shared/i18n';
import { findQuestion, findTopic } from '../knowledge-view';
import { followUpQuestion, solvedQuestion } from '../reply-parts';
import type { ConversationState } from '../state';

/**
 * The question the bot is still waiting on, rendered again (in `lang`): after a language switch,
 * or when a typed reply did not answer it.
 */
export function openPrompt(state: ConversationState, lang: Lang, kb: KnowledgeBase): Reply | undefined {
  const topic = findTopic(kb, state.topic);
  const question = topic ? findQuestion(topic, state.pendingQuestion) : undefined;
  if (topic && question) return followUpQuestion(lang, topic, question);
  if (topic && state.awaiting === 'solved') return solvedQuestion(lang, topic.id, state.case);
  if (state.awaiting === 'topic-choice' && state.topicChoices.length > 0) {
    const choices = state.topicChoices.flatMap((id) => {
      const choice = kb.byId.get(id);
      return choice ? [{ id: `topic-${choice.id}`, label: choice.title[lang], action: { type: 'choose-topic' as const, topic: choice.id } }] : [];
    });
    if (choices.length > 0) return { kind: 'clarify', lang, prompt: t(lang, 'clarify.prompt'), choices };
  }
  return undefined;
}
