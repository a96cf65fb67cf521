import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Lang } from '../shared/lang';
import type { ActionPayload, Reply } from '../replies/reply';
import { t } from '../shared/i18n';
import { findQuestion } from './knowledge-view';

/**
 * The transcript a ticket carries is plain text, readable in any support tool: one entry per
 * user message or bot reply, with buttons written out as what the user saw.
 */

export function replyToPlainText(reply: Reply): string {
  const lines: string[] = [];
  if (reply.title) lines.push(reply.title);
  if (reply.text) lines.push(...reply.text);
  if (reply.steps) lines.push(...reply.steps.map((step, i) => `${i + 1}. ${step}`));
  if (reply.prompt) lines.push(reply.prompt);
  if (reply.choices && reply.choices.length > 0) lines.push(reply.choices.map((c) => `[${c.label}]`).join(' '));
  if (reply.source) lines.push(`${reply.source.label}: ${reply.source.url}`);
  if (reply.footer) lines.push(reply.footer);
  return lines.join('\n');
}

/** A button press as the words on the button, so a support engineer can follow the thread. */
export function describeAction(action: ActionPayload, lang: Lang, kb: KnowledgeBase): string {
  switch (action.type) {
    case 'choose-topic':
      return kb.byId.get(action.topic)?.title[lang] ?? action.topic;
    case 'follow-up': {
      const topic = kb.byId.get(action.topic);
      const option = topic ? findQuestion(topic, action.question)?.options.find((o) => o.id === action.option) : undefined;
      return option?.label[lang] ?? action.option;
    }
    case 'solved':
      return t(lang, action.solved ? 'solved.yes' : action.escalate ? 'solved.escalate' : 'solved.no');
    case 'feedback':
      return `${t(lang, 'feedback.prompt')} ${t(lang, action.helpful ? 'feedback.yes' : 'feedback.no')}`;
    case 'escalate':
      return t(lang, 'actions.escalate');
    case 'something-else':
      return t(lang, 'clarify.somethingElse');
    case 'escalate-submit':
      // Payloads come back from the platform: a form without a description is an empty one.
      return typeof action.description === 'string' ? action.description : '';
    case 'set-lang':
      return t(action.lang, 'language.name');
    case 'ticket-claim':
    case 'ticket-resolve':
      return `${action.type} ${action.ticket}`;
  }
}
