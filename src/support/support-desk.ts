import type { Ticket, TicketInput } from '../storage/store';
import type { Reply } from '../replies/reply';

/** The port the engine escalates through. The implementation redacts, stores and notifies. */
export interface SupportDesk {
  /** Creates (or, for a repeated idempotencyKey, returns) the ticket for this thread. */
  escalate(input: TicketInput): Promise<{ ticket: Ticket; created: boolean }>;
}

/**
 * What a channel offers the support side: post into a user's thread and into the support channel.
 * Implemented by each channel adapter (proactive messages in Teams, chat.postMessage in Slack).
 */
export interface ChannelNotifier {
  readonly channel: string;
  /** Posts replies into the thread the ticket came from. */
  notifyThread(conversationId: string, replies: Reply[]): Promise<void>;
  /** Posts the ticket summary (with Claim / Resolve buttons) to the configured support channel, if any. */
  postToSupport(ticket: Ticket, replies: Reply[]): Promise<void>;
}
