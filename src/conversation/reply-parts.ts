import type { FollowUpQuestion, Topic } from '../knowledge/schema';
import type { Lang } from '../shared/lang';
import type { Reply, ReplyButton } from '../replies/reply';
import { t, type MessageKey } from '../shared/i18n';

/** Building blocks several flows put into their replies. */

export function escalateButton(lang: Lang, prominent = false): ReplyButton {
  return {
    id: 'escalate',
    label: t(lang, 'actions.escalate'),
    action: { type: 'escalate' },
    ...(prominent ? { style: 'primary' as const } : {}),
  };
}

/**
 * The one question after a fix: did it solve it, or shall support take over. Its answer is both the
 * outcome and the feedback on the answer (statistics and the ticket record both), so an answer never
 * asks "was this helpful?" as well.
 */
export function solvedQuestion(lang: Lang, topic: string, caseId: string | null): Reply {
  return {
    kind: 'question',
    lang,
    prompt: t(lang, 'solved.prompt'),
    choices: [
      { id: 'solved-yes', label: t(lang, 'solved.yes'), action: { type: 'solved', topic, case: caseId, solved: true }, style: 'primary' },
      { id: 'solved-no', label: t(lang, 'solved.no'), action: { type: 'solved', topic, case: caseId, solved: false } },
      { id: 'solved-escalate', label: t(lang, 'solved.escalate'), action: { type: 'solved', topic, case: caseId, solved: false, escalate: true } },
    ],
  };
}

export function followUpQuestion(lang: Lang, topic: Topic, question: FollowUpQuestion): Reply {
  return {
    kind: 'question',
    lang,
    prompt: question.question[lang],
    choices: question.options.map((option) => ({
      id: `option-${option.id}`,
      label: option.label[lang],
      action: { type: 'follow-up', topic: topic.id, question: question.id, option: option.id },
    })),
  };
}

export function notice(lang: Lang, key: MessageKey, vars: Record<string, unknown> = {}): Reply {
  return { kind: 'notice', lang, text: [t(lang, key, vars)] };
}

/** Topic titles as a bulleted list of paragraphs (renderers show each paragraph on its own line). */
export function topicList(lang: Lang, topics: readonly Topic[]): string[] {
  return topics.map((topic) => `• ${topic.title[lang]}`);
}
