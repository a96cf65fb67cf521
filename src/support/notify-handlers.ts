import type { Reply } from '../replies/reply';
import type { OutboxMessage, Ticket } from '../storage/store';
import type { ChannelNotifier } from './support-desk';

/** Outbox payload of a 'support-notify' message: the summary for the support channel of `channel`. */
export interface SupportNotifyPayload {
  channel: string;
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

function notifierFor(notifiers: ChannelNotifier[], channel: string): ChannelNotifier {
  const notifier = notifiers.find((n) => n.channel === channel);
  // Thrown, not skipped: the message stays in the outbox until the channel is configured again.
  if (!notifier) throw new Error(`no notifier for channel "${channel}"`);
  return notifier;
}

/** The outbox handlers that post through the channel adapters. */
export function createNotifyHandlers(notifiers: ChannelNotifier[]): Record<'support-notify' | 'user-notify', (message: OutboxMessage) => Promise<void>> {
  return {
    'support-notify': async (message) => {
      const payload = message.payload as SupportNotifyPayload;
      await notifierFor(notifiers, payload.channel).postToSupport(payload.ticket, payload.replies);
    },
    'user-notify': async (message) => {
      const payload = message.payload as UserNotifyPayload;
      await notifierFor(notifiers, payload.channel).notifyThread(payload.conversationId, payload.replies);
    },
  };
}
