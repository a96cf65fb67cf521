import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Reply } from '../../replies/reply';
import type { BlockKitMessage } from '../../replies/render-block-kit';
import { renderBlockKitTurn } from '../../replies/render-block-kit-turn';
import { encodeConversationId, type SlackConversationRef } from './conversation-ref';
import { findMarkedPosts, markerMetadata, slackTsSince } from './posted-marker';

/**
 * Puts rendered replies where the user reads them: a channel or thread (chat.postMessage), or
 * privately (a response_url while it is valid, else chat.postEphemeral). A turn's replies go out
 * together as one message (more only where Slack's limits force a split), in order.
 */
export interface Destination extends SlackConversationRef {
  /** The interaction's response_url: works for ephemeral answers even where the bot is not a member. */
  responseUrl?: string;
}

/**
 * A delivery that may repeat an earlier one (a retried event): its messages carry `key` in their
 * metadata, and with `lookFirst` those already in the conversation are not posted again.
 */
export interface DeliveryMarker {
  key: string;
  lookFirst: boolean;
  /** Epoch ms the first attempt began: only messages from then on are searched. */
  since?: number;
}

export interface ReplyDelivery {
  /** Resolves with the ts of each message posted to the channel (ephemeral ones have none). */
  deliver(destination: Destination, replies: Reply[], marker?: DeliveryMarker): Promise<string[]>;
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

  /** The parts of a marked turn already in the conversation (none when it cannot be read back). */
  async function alreadyPosted(destination: Destination, keys: string[], marker: DeliveryMarker): Promise<Set<string>> {
    try {
      const found = await findMarkedPosts(
        client,
        { channel: destination.channel, ...(destination.threadTs ? { threadTs: destination.threadTs } : {}), ...(marker.since !== undefined ? { oldest: slackTsSince(marker.since) } : {}) },
        keys,
      );
      return new Set(found.keys());
    } catch (error) {
      logger.warn({ err: error, channel: destination.channel }, 'could not check whether a reply was already posted; posting it (it may appear twice)');
      return new Set();
    }
  }

  return {
    async deliver(destination, replies, marker) {
      const messages = renderBlockKitTurn(replies, { conversationId: encodeConversationId(destination) });
      const thread = destination.threadTs ? { thread_ts: destination.threadTs } : {};
      // Ephemeral messages carry no metadata and cannot be read back: only channel posts are marked.
      const keys = marker && !destination.ephemeralUser ? messages.map((_, i) => `${marker.key}#${i}`) : [];
      const posted = marker?.lookFirst && keys.length > 0 ? await alreadyPosted(destination, keys, marker) : new Set<string>();
      // A response_url that refused once (expired, used up) refuses the rest of the turn too.
      let responseUrl = destination.responseUrl;
      const sent: string[] = [];
      for (const [i, message] of messages.entries()) {
        if (!destination.ephemeralUser) {
          const key = keys[i];
          if (key && posted.has(key)) continue;
          const result = await client.chat.postMessage({
            channel: destination.channel,
            ...thread,
            ...message,
            ...(key ? { metadata: markerMetadata(key) } : {}),
            unfurl_links: false,
            unfurl_media: false,
          });
          if (result.ts) sent.push(result.ts);
          continue;
        }
        if (responseUrl && (await postToResponseUrl(responseUrl, message, destination.threadTs))) continue;
        responseUrl = undefined;
        await client.chat.postEphemeral({ channel: destination.channel, user: destination.ephemeralUser, ...thread, ...message });
      }
      return sent;
    },
  };
}
