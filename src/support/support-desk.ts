import type { Ticket, TicketInput } from '../storage/store';
import type { Reply } from '../replies/reply';

/** Who will hear of a ticket: what the user is told when it is created. */
export interface TicketReach {
  /** A support channel exists, so the ticket is posted there now (else it waits for one to be set). */
  supportChannel: boolean;
  /** Claim and Resolve are reported in the user's own conversation. */
  userThread: boolean;
}

export interface EscalationResult {
  ticket: Ticket;
  created: boolean;
  /** Absent from a desk that cannot tell: the user then hears the usual promise. */
  reach?: TicketReach;
}

/** The port the engine escalates through. The implementation redacts, stores and notifies. */
export interface SupportDesk {
  /** Creates (or, for a repeated idempotencyKey, returns) the ticket for this thread. */
  escalate(input: TicketInput): Promise<EscalationResult>;
}

/**
 * A post the outbox may be sending for the second time. `key` names it on the platform (Slack keeps
 * it in the message's metadata); with `unconfirmedSince` an earlier attempt may already have posted
 * it, and a platform that can read its channel back posts only what is missing. One that cannot
 * (Teams) posts again: at least once.
 */
export interface NotifierDelivery {
  key: string;
  unconfirmedSince?: number;
}

/**
 * What a channel offers the support side: post into a user's thread, and start a new post in a
 * channel (the support channel). Implemented by each channel adapter (proactive messages in Teams,
 * chat.postMessage in Slack). Failures throw, so the outbox retries the delivery.
 */
export interface ChannelNotifier {
  readonly channel: string;
  /** Posts replies into the thread the ticket came from; resolves with the post's id where the platform gives one. */
  notifyThread(conversationId: string, replies: Reply[], delivery?: NotifierDelivery): Promise<string | void>;
  /** Starts a new post in the channel at `address` (a Teams conversation reference, a Slack channel); resolves with its id. */
  postToChannel(address: unknown, replies: Reply[], delivery?: NotifierDelivery): Promise<string | void>;
  /**
   * The channel an address points at, as the adapter names the place a click comes from (Teams: the
   * conversation id without its thread, Slack: the channel id); undefined when it is not an address.
   */
  placeOf(address: unknown): string | undefined;
}
