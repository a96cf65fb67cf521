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

  /**
   * A proactive post; resolves with the Connector's activity id. The Bot Connector cannot be asked
   * whether an earlier attempt got through, so a post the outbox repeats after a crash is sent
   * again: at least once. The outbox keeps the window small (one post in flight per support channel).
   */
  async function post(reference: Partial<ConversationReference>, replies: Reply[]): Promise<string | undefined> {
    let id: string | undefined;
    await adapter.continueConversationAsync(deps.appId ?? '', reference, async (context: TurnContext) => {
      id = await sendReplies(context, replies, { timeoutMs: deps.replyTimeoutMs, logger });
    });
    return id;
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
      return post(reference, replies);
    },
    async postToChannel(address, replies) {
      if (!placeOfAddress(address)) throw new Error('not a Teams conversation reference');
      return post(address as Partial<ConversationReference>, replies);
    },
    placeOf: placeOfAddress,
  };
}
