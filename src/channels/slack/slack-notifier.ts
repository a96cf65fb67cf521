import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Reply, ReplyButton } from '../../replies/reply';
import { renderBlockKit } from '../../replies/render-block-kit';
import { t } from '../../shared/i18n';
import type { Ticket } from '../../storage/store';
import type { ChannelNotifier } from '../../support/support-desk';
import { decodeConversationId } from './conversation-ref';
import type { ReplyDelivery } from './reply-delivery';
import type { Lang } from '../../knowledge/schema';

/**
 * The support side's way into Slack: a message in the user's thread, and the ticket in the
 * support channel. Failures throw, so an outbox can retry the delivery.
 */
export function createSlackNotifier(options: {
  client: webApi.WebClient;
  delivery: ReplyDelivery;
  supportChannel?: string;
  logger: Logger;
}): ChannelNotifier {
  const { client, delivery, supportChannel, logger } = options;

  function ticketButtons(ticket: Ticket, lang: Lang): ReplyButton[] {
    return [
      { id: 'claim', label: t(lang, 'slack:support.claim'), action: { type: 'ticket-claim', ticket: ticket.id }, style: 'primary' },
      { id: 'resolve', label: t(lang, 'slack:support.resolve'), action: { type: 'ticket-resolve', ticket: ticket.id } },
    ];
  }

  /** Makes sure the ticket message can be claimed and resolved, whatever the support desk sent. */
  function withTicketButtons(ticket: Ticket, replies: Reply[]): Reply[] {
    const lang: Lang = replies[0]?.lang ?? (ticket.lang === 'en' ? 'en' : 'nl');
    const hasButtons = replies.some((r) => [...(r.actions ?? []), ...(r.choices ?? [])].some((b) => b.action.type === 'ticket-claim'));
    if (hasButtons) return replies;
    if (replies.length === 0) {
      return [{ kind: 'notice', lang, title: t(lang, 'slack:support.newTicket', { ticket: ticket.id }), text: [ticket.description], actions: ticketButtons(ticket, lang) }];
    }
    const last = replies[replies.length - 1]!;
    return [...replies.slice(0, -1), { ...last, actions: [...(last.actions ?? []), ...ticketButtons(ticket, last.lang)] }];
  }

  return {
    channel: 'slack',
    async notifyThread(conversationId, replies) {
      const ref = decodeConversationId(conversationId);
      if (!ref) throw new Error(`not a slack conversation id: ${conversationId}`);
      await delivery.deliver(ref, replies);
    },
    async postToSupport(ticket, replies) {
      if (!supportChannel) {
        logger.debug({ ticket: ticket.id }, 'no slack support channel configured');
        return;
      }
      // Not stamped with a conversation: a click on Claim answers in the ticket message's own thread.
      for (const reply of withTicketButtons(ticket, replies)) {
        const message = renderBlockKit(reply);
        await client.chat.postMessage({ channel: supportChannel, ...message, unfurl_links: false, unfurl_media: false });
      }
    },
  };
}
