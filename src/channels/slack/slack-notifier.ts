import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { renderBlockKit } from '../../replies/render-block-kit';
import type { ChannelNotifier } from '../../support/support-desk';
import { decodeConversationId } from './conversation-ref';
import { findMarkedPosts, markerMetadata, slackTsSince } from './posted-marker';
import type { ReplyDelivery } from './reply-delivery';

/** A Slack channel as the support layer stores it: `{ channel: "C123" }`. */
interface SlackChannelAddress {
  channel: string;
}

/** The channel id of an address, or undefined when it is not one. */
function slackChannelOf(address: unknown): string | undefined {
  const channel = (address as Partial<SlackChannelAddress> | undefined)?.channel;
  return typeof channel === 'string' && /^[A-Z0-9]+$/.test(channel) ? channel : undefined;
}

/**
 * The support side's way into Slack: a message in the user's thread, and a new post in a channel
 * (the support channel). Failures throw, so the outbox can retry the delivery.
 */
export function createSlackNotifier(options: { client: webApi.WebClient; delivery: ReplyDelivery; logger: Logger }): ChannelNotifier {
  const { client, delivery, logger } = options;

  /** The parts of a post an earlier, unconfirmed attempt already made (none when the channel cannot be read back). */
  async function alreadyPosted(channel: string, keys: string[], since: number): Promise<Set<string>> {
    try {
      return new Set((await findMarkedPosts(client, { channel, oldest: slackTsSince(since) }, keys)).keys());
    } catch (error) {
      logger.warn({ err: error, channel }, 'could not check whether a support post was already made; posting it (it may appear twice)');
      return new Set();
    }
  }

  return {
    channel: 'slack',
    async notifyThread(conversationId, replies, outbox) {
      const ref = decodeConversationId(conversationId);
      if (!ref) throw new Error(`not a slack conversation id: ${conversationId}`);
      const marker = outbox ? { key: outbox.key, lookFirst: outbox.unconfirmedSince !== undefined, ...(outbox.unconfirmedSince !== undefined ? { since: outbox.unconfirmedSince } : {}) } : undefined;
      return (await delivery.deliver(ref, replies, marker)).join(',') || undefined;
    },
    async postToChannel(address, replies, outbox) {
      const channel = slackChannelOf(address);
      if (!channel) throw new Error('not a slack channel address');
      const keys = outbox ? replies.map((_, i) => `${outbox.key}#${i}`) : [];
      const posted = outbox?.unconfirmedSince !== undefined ? await alreadyPosted(channel, keys, outbox.unconfirmedSince) : new Set<string>();
      const sent: string[] = [];
      for (const [i, reply] of replies.entries()) {
        const key = keys[i];
        if (key && posted.has(key)) continue;
        // Not stamped with a conversation: a click on Claim answers in the post's own thread.
        const result = await client.chat.postMessage({
          channel,
          ...renderBlockKit(reply),
          ...(key ? { metadata: markerMetadata(key) } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        if (result.ts) sent.push(result.ts);
      }
      return sent.join(',') || undefined;
    },
    placeOf: slackChannelOf,
  };
}
