import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Reply } from '../../replies/reply';
import type { ChannelNotifier } from '../../support/support-desk';
import type { ConversationReferences } from './conversation-references';
import { placeOfAddress } from './teams-activity';
import { sendReplies } from './send-replies';

/** Posts into Teams outside a user's turn: a ticket update to the user's thread, a new post in a channel. */
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
    async postToChannel(address, replies) {
      if (!placeOfAddress(address)) throw new Error('not a Teams conversation reference');
      await post(address as Partial<ConversationReference>, replies);
    },
    placeOf: placeOfAddress,
  };
}
