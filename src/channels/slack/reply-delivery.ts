import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Reply } from '../../replies/reply';
import { renderBlockKit, type BlockKitMessage } from '../../replies/render-block-kit';
import { encodeConversationId, type SlackConversationRef } from './conversation-ref';

/**
 * Puts rendered replies where the user reads them: a channel or thread (chat.postMessage), or
 * privately (a response_url while it is valid, else chat.postEphemeral). One reply, one message,
 * in order.
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
      if (response.ok) return true;
      logger.warn({ status: response.status }, 'response_url refused the reply');
    } catch (error) {
      logger.warn({ err: error }, 'response_url unreachable');
    }
    return false;
  }

  async function deliverOne(destination: Destination, reply: Reply): Promise<void> {
    const message = renderBlockKit(reply, { conversationId: encodeConversationId(destination) });
    const thread = destination.threadTs ? { thread_ts: destination.threadTs } : {};
    if (destination.ephemeralUser) {
      if (destination.responseUrl && (await postToResponseUrl(destination.responseUrl, message, destination.threadTs))) return;
      await client.chat.postEphemeral({ channel: destination.channel, user: destination.ephemeralUser, ...thread, ...message });
      return;
    }
    await client.chat.postMessage({ channel: destination.channel, ...thread, ...message, unfurl_links: false, unfurl_media: false });
  }

  return {
    async deliver(destination, replies) {
      for (const reply of replies) await deliverOne(destination, reply);
    },
  };
}
