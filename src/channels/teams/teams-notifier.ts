import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Reply } from '../../replies/reply';
import type { ChannelNotifier } from '../../support/support-desk';
import type { Ticket } from '../../storage/store';
import type { ConversationReferences } from './conversation-references';
import { sendReplies } from './send-replies';

/** Posts into Teams outside a user's turn: a ticket update to the user's thread, a new ticket to support. */
export function createTeamsNotifier(deps: {
  adapter: CloudAdapter;
  references: ConversationReferences;
  appId?: string;
  logger: Logger;
  replyTimeoutMs?: number;
}): ChannelNotifier {
  const { adapter, references, logger } = deps;

  async function post(reference: Partial<ConversationReference>, replies: Reply[]): Promise<void> {
    await adapter.continueConversationAsync(deps.appId ?? '', reference, async (context: TurnContext) => {
      await sendReplies(context, replies, { timeoutMs: deps.replyTimeoutMs, logger });
    });
  }

  return {
    channel: 'teams',
    async notifyThread(conversationId, replies) {
      const reference = await references.find(conversationId);
      if (!reference) {
        // The conversation was never seen by this store, or its reference was deleted after RETENTION_DAYS
        // without a message; retrying would not help.
        logger.warn({ conversationId }, 'no Teams conversation reference for this thread; notification skipped');
        return;
      }
      await post(reference, replies);
    },
    async postToSupport(ticket: Ticket, replies) {
      const reference = await references.supportChannel();
      if (!reference) {
        logger.info({ ticket: ticket.id }, 'no Teams support channel set (type "set support channel" there); ticket not posted to Teams');
        return;
      }
      await post(reference, replies);
    },
  };
}
