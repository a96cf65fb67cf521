import type { Reply } from '../replies/reply';
import type { OutboxMessage, Ticket } from '../storage/store';
import type { SupportChannels } from './support-channels';
import type { ChannelNotifier, NotifierDelivery } from './support-desk';
import type { TicketPosts } from './ticket-posts';

/**
 * Outbox payload of a 'support-notify' message: a ticket's summary for one platform's support
 * channel. `channel: null` is a ticket created while no support channel existed anywhere: it waits
 * in the outbox and goes to the first support channel that is set.
 */
export interface SupportNotifyPayload {
  channel: string | null;
  ticket: Ticket;
  replies: Reply[];
}

/** Outbox payload of a 'user-notify' message: replies for the thread the ticket came from. */
export interface UserNotifyPayload {
  channel: string;
  ticketId: string;
  conversationId: string;
  replies: Reply[];
}

/** Outbox payload of a 'support-announce' message: a notice for a channel at a fixed address (the old support channel). */
export interface SupportAnnouncePayload {
  channel: string;
  address: unknown;
  replies: Reply[];
}

/** No support channel to post to (yet): the message stays pending and is retried, never marked delivered. */
class NoSupportChannelError extends Error {
  constructor(channel: string | null) {
    super(channel ? `no ${channel} support channel is configured; the ticket post waits in the outbox` : 'no support channel is configured yet; the ticket post waits in the outbox');
    this.name = 'NoSupportChannelError';
  }
}

function notifierFor(notifiers: readonly ChannelNotifier[], channel: string): ChannelNotifier {
  const notifier = notifiers.find((n) => n.channel === channel);
  // Thrown, not skipped: the message stays in the outbox until the channel is configured again.
  if (!notifier) throw new Error(`no notifier for channel "${channel}"`);
  return notifier;
}

/**
 * Outbox ordering key of everything posted in one platform's support channel (`null`: the first
 * support channel that is set). One key per destination means one post in flight there at a time,
 * across every instance: a crash can leave at most that one post unconfirmed.
 */
export const supportPostOrderingKey = (channel: string | null): string => `support-post:${channel ?? 'first'}`;

/** How a message names its post on the platform, and whether an earlier attempt may have made it. */
function deliveryOf(message: OutboxMessage): NotifierDelivery {
  return { key: `outbox:${message.id}`, ...(message.unconfirmedSince !== undefined ? { unconfirmedSince: message.unconfirmedSince } : {}) };
}

/** The outbox handlers that post through the channel adapters; each resolves with the platform's id of the post. */
export function createNotifyHandlers(deps: {
  notifiers: readonly ChannelNotifier[];
  supportChannels: SupportChannels;
  posts: TicketPosts;
}): Record<'support-notify' | 'user-notify' | 'support-announce', (message: OutboxMessage) => Promise<string | void>> {
  const { notifiers, supportChannels, posts } = deps;
  return {
    'support-notify': async (message) => {
      const payload = message.payload as SupportNotifyPayload;
      const target = payload.channel ? await supportChannels.get(payload.channel) : (await supportChannels.all())[0];
      if (!target) throw new NoSupportChannelError(payload.channel);
      // Recorded first: whoever sees the post can act on it, and only there.
      await posts.record(payload.ticket.id, { channel: target.channel, place: target.place });
      return notifierFor(notifiers, target.channel).postToChannel(target.address, payload.replies, deliveryOf(message));
    },
    'user-notify': async (message) => {
      const payload = message.payload as UserNotifyPayload;
      return notifierFor(notifiers, payload.channel).notifyThread(payload.conversationId, payload.replies, deliveryOf(message));
    },
    'support-announce': async (message) => {
      const payload = message.payload as SupportAnnouncePayload;
      return notifierFor(notifiers, payload.channel).postToChannel(payload.address, payload.replies, deliveryOf(message));
    },
  };
}
