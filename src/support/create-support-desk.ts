import type { Logger } from 'pino';
import { createLogger } from '../shared/logger';
import type { Store, Ticket, TicketInput, TicketStatus } from '../storage/store';
import type { Clock } from './clock';
import type { SupportNotifyPayload, UserNotifyPayload } from './notify-handlers';
import { redactSecrets } from './redact';
import type { ChannelNotifier, SupportDesk } from './support-desk';
import { buildSupportSummary, buildUserNotice, type TicketChangeEvent } from './ticket-replies';
import { buildWebhookPayload } from './webhook-delivery';

export interface SupportDeskOptions {
  store: Store;
  notifiers: ChannelNotifier[];
  clock: Clock;
  /** When set, every ticket event also goes to this webhook (the URL and secret are used by the outbox handler). */
  webhook?: { url: string; secret: string };
  logger?: Logger;
}

export interface TicketChange {
  ticket: Ticket;
  /** False when the ticket already had that status (a double click on Claim, a second Resolve). */
  changed: boolean;
}

/** The SupportDesk the engine escalates through, plus the actions behind the Claim and Resolve buttons. */
export interface SupportService extends SupportDesk {
  claim(ticketId: string, by: string): Promise<TicketChange | undefined>;
  resolve(ticketId: string, by: string): Promise<TicketChange | undefined>;
}

/** Outbox ordering keys: notifications and webhook events of one ticket each go out in order. */
export const notifyOrderingKey = (ticketId: string): string => `notify:${ticketId}`;
export const webhookOrderingKey = (ticketId: string): string => ticketId;

/** Every free-text field, redacted. Names, ids, topics and error ids are not free text and stay. */
export function redactTicketInput(input: TicketInput): TicketInput {
  return {
    ...input,
    description: redactSecrets(input.description),
    followUpAnswers: input.followUpAnswers.map((f) => ({ question: redactSecrets(f.question), answer: redactSecrets(f.answer) })),
    transcript: input.transcript.map((line) => ({ ...line, text: redactSecrets(line.text) })),
  };
}

export function createSupportDesk(options: SupportDeskOptions): SupportService {
  const { store, notifiers, clock } = options;
  const logger = options.logger ?? createLogger('support');

  /**
   * The support channel of the ticket's own platform; a ticket from a platform without one
   * (web chat, CLI) goes to the first support channel that exists.
   */
  function supportChannelFor(ticket: Ticket): string | undefined {
    return (notifiers.find((n) => n.channel === ticket.channel) ?? notifiers[0])?.channel;
  }

  async function enqueueWebhook(ticket: Ticket, event: 'ticket.created' | 'ticket.claimed' | 'ticket.resolved', actor: string | null): Promise<void> {
    if (!options.webhook) return;
    const now = clock.now();
    await store.enqueueOutbox('webhook', webhookOrderingKey(ticket.id), buildWebhookPayload(ticket, event, actor, now), now);
  }

  async function changeStatus(ticketId: string, status: TicketStatus, event: TicketChangeEvent, by: string): Promise<TicketChange | undefined> {
    const current = await store.getTicket(ticketId);
    if (!current) return undefined;
    const unchanged =
      current.status === 'resolved' || // a resolved ticket is not claimed or resolved again
      (status === 'claimed' && current.status === 'claimed' && current.claimedBy === by);
    if (unchanged) return { ticket: current, changed: false };

    const ticket = await store.updateTicketStatus(current.id, status, by, clock.now());
    if (!ticket) return undefined;
    logger.info({ ticket: ticket.id, status }, 'ticket status changed');

    if (notifiers.some((n) => n.channel === ticket.channel)) {
      const payload: UserNotifyPayload = {
        channel: ticket.channel,
        ticketId: ticket.id,
        conversationId: ticket.conversationId,
        replies: buildUserNotice(ticket, event, by),
      };
      await store.enqueueOutbox('user-notify', notifyOrderingKey(ticket.id), payload, clock.now());
    } else {
      logger.info({ ticket: ticket.id, channel: ticket.channel }, 'no notifier for the ticket channel; user not notified');
    }
    await enqueueWebhook(ticket, event === 'claimed' ? 'ticket.claimed' : 'ticket.resolved', by);
    return { ticket, changed: true };
  }

  return {
    async escalate(input) {
      const result = await store.createTicket(redactTicketInput(input), clock.now());
      const { ticket, created } = result;
      if (!created) {
        logger.info({ ticket: ticket.id }, 'escalation repeated; existing ticket returned');
        return result;
      }
      logger.info({ ticket: ticket.id, channel: ticket.channel, topic: ticket.topic, urgency: ticket.urgency }, 'ticket created');

      const channel = supportChannelFor(ticket);
      if (channel) {
        const payload: SupportNotifyPayload = { channel, ticket, replies: buildSupportSummary(ticket) };
        await store.enqueueOutbox('support-notify', notifyOrderingKey(ticket.id), payload, clock.now());
      } else {
        logger.warn({ ticket: ticket.id }, 'no support channel configured; ticket only visible in the store');
      }
      await enqueueWebhook(ticket, 'ticket.created', null);
      return result;
    },

    claim: (ticketId, by) => changeStatus(ticketId, 'claimed', 'claimed', by),
    resolve: (ticketId, by) => changeStatus(ticketId, 'resolved', 'resolved', by),
  };
}
