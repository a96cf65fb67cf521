import type { webApi } from '@slack/bolt';
import { renderBlockKit } from '../../replies/render-block-kit';
import type { ChannelNotifier } from '../../support/support-desk';
import { decodeConversationId } from './conversation-ref';
import type { ReplyDelivery } from './reply-delivery';

/** A Slack channel as the support layer stores it: `{ channel: "C123" }`. */
export interface SlackChannelAddress {
  channel: string;
}

/** The channel id of an address, or undefined when it is not one. */
export function slackChannelOf(address: unknown): string | undefined {
  const channel = (address as Partial<SlackChannelAddress> | undefined)?.channel;
  return typeof channel === 'string' && /^[A-Z0-9]+$/.test(channel) ? channel : undefined;
}

/**
 * The support side's way into Slack: a message in the user's thread, and a new post in a channel
 * (the support channel). Failures throw, so the outbox can retry the delivery.
 */
export function createSlackNotifier(options: { client: webApi.WebClient; delivery: ReplyDelivery }): ChannelNotifier {
  const { client, delivery } = options;
  return {
    channel: 'slack',
    async notifyThread(conversationId, replies) {
      const ref = decodeConversationId(conversationId);
      if (!ref) throw new Error(`not a slack conversation id: ${conversationId}`);
      await delivery.deliver(ref, replies);
    },
    async postToChannel(address, replies) {
      const channel = slackChannelOf(address);
      if (!channel) throw new Error('not a slack channel address');
      // Not stamped with a conversation: a click on Claim answers in the post's own thread.
      for (const reply of replies) {
        await client.chat.postMessage({ channel, ...renderBlockKit(reply), unfurl_links: false, unfurl_media: false });
      }
    },
    placeOf: slackChannelOf,
  };
}
