import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Reply } from '../../replies/reply';
import type { BlockKitMessage } from '../../replies/render-block-kit';
import { renderBlockKitTurn } from '../../replies/render-block-kit-turn';
import { encodeConversationId, type SlackConversationRef } from './conversation-ref';

/**
 * Puts rendered replies where the user reads them: a channel or thread (chat.postMessage), or
 * privately (a response_url while it is valid, else chat.postEphemeral). A turn's replies go out
 * together as one message (more only where Slack's limits force a split), in order.
 */
export interface Destination extends SlackConversationRef {
  /** The interaction's response_url: works for ephemeral answers even where the bot is not a member. */
  responseUrl?: string;
}

export interface ReplyDelivery {
  deliver(destination: Destination, replies: Reply[]): Promise<void>;
}

export function createReplyDelivery(client: webApi.WebClient, logger: Logger, fetchFn: typeof fetch = fetch): ReplyDelivery {
  async function postToResponseUrl(url: string, message: BlockKitMessage, threadTs?: string): Promise<boolean> {
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          response_type: 'ephemeral',
          replace_original: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...message,
        }),
      });
      // Read to the end either way: an unread body keeps the connection from going back to the pool.
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return true;
      logger.warn({ status: response.status }, 'response_url refused the reply');
    } catch (error) {
      logger.warn({ err: error }, 'response_url unreachable');
    }
    return false;
  }

  return {
    async deliver(destination, replies) {
      const messages = renderBlockKitTurn(replies, { conversationId: encodeConversationId(destination) });
      const thread = destination.threadTs ? { thread_ts: destination.threadTs } : {};
      // A response_url that refused once (expired, used up) refuses the rest of the turn too.
      let responseUrl = destination.responseUrl;
      for (const message of messages) {
        if (!destination.ephemeralUser) {
          await client.chat.postMessage({ channel: destination.channel, ...thread, ...message, unfurl_links: false, unfurl_media: false });
          continue;
        }
        if (responseUrl && (await postToResponseUrl(responseUrl, message, destination.threadTs))) continue;
        responseUrl = undefined;
        await client.chat.postEphemeral({ channel: destination.channel, user: destination.ephemeralUser, ...thread, ...message });
      }
    },
  };
}
