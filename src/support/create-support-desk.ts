import type { Logger } from 'pino';
import type { Lang } from '../shared/lang';
import { createLogger } from '../shared/logger';
import type { OutboxDraft, Store, Ticket, TicketInput, TicketStatus, TicketStatusChange } from '../storage/store';
import type { Clock } from './clock';
import { supportPostOrderingKey, type SupportNotifyPayload, type UserNotifyPayload } from './notify-handlers';
import { redactSecrets } from '../shared/redact';
import type { SupportChannel, SupportChannels } from './support-channels';
import type { ChannelNotifier, SupportDesk } from './support-desk';
import { buildSupportSummary, buildUserNotice, type TicketChangeEvent } from './ticket-replies';
import { buildWebhookPayload, type WebhookEvent } from './webhook-delivery';

export interface SupportDeskOptions {
  store: Store;
  /** The platforms that can reach a user's thread again (for "your ticket was picked up"). */
  notifiers: readonly ChannelNotifier[];
  /** Where new tickets are posted: every support channel that exists when the ticket is created. */
  supportChannels: SupportChannels;
  clock: Clock;
  /** For a ticket whose language is not one of ours (older data). */
  defaultLang: Lang;
  /** When set, every ticket event also goes to this webhook (the URL and secret are used by the outbox handler). */
  webhook?: { url: string; secret: string };
  logger?: Logger;
}

/** changed is false when the ticket already had that status (a double click on Claim, a second Resolve). */
export type TicketChange = TicketStatusChange;

/** The SupportDesk the engine escalates through, plus the actions behind the Claim and Resolve buttons. */
export interface SupportService extends SupportDesk {
  claim(ticketId: string, by: string): Promise<TicketChange | undefined>;
  /** `note`: what the resolver tells the user; it goes to their thread and the webhook, redacted. */
  resolve(ticketId: string, by: string, note?: string): Promise<TicketChange | undefined>;
}

/**
 * Outbox ordering keys: the user's notices and the webhook events of one ticket each go out in order
 * (support posts are keyed by channel, see supportPostOrderingKey). The user's notices have a key of their own: a support post that waits for a
 * support channel to be set must not keep "your ticket was picked up" from the user.
 */
const userNotifyOrderingKey = (ticketId: string): string => `notify-user:${ticketId}`;
const webhookOrderingKey = (ticketId: string): string => ticketId;

/**
 * Every free-text field the user wrote, redacted once more at the door of the store (the engine
 * already redacts it when it enters the conversation). The bot's own lines are our wording, already
 * cleaned of the user's secrets; names, ids, topics and error ids are not free text and stay.
 */
function redactTicketInput(input: TicketInput): TicketInput {
  return {
    ...input,
    description: redactSecrets(input.description),
    followUpAnswers: input.followUpAnswers.map((f) => ({ question: redactSecrets(f.question), answer: redactSecrets(f.answer) })),
    transcript: input.transcript.map((line) => (line.from === 'user' ? { ...line, text: redactSecrets(line.text) } : line)),
  };
}

export function createSupportDesk(options: SupportDeskOptions): SupportService {
  const { store, notifiers, clock, defaultLang } = options;
  const logger = options.logger ?? createLogger('support');

  const canNotifyUser = (ticket: Ticket): boolean => notifiers.some((n) => n.channel === ticket.channel);

  function webhookDraft(ticket: Ticket, event: WebhookEvent, actor: string | null, now: number, note?: string): OutboxDraft[] {
    if (!options.webhook) return [];
    return [{ kind: 'webhook', orderingKey: webhookOrderingKey(ticket.id), payload: buildWebhookPayload(ticket, event, actor, now, note) }];
  }

  /**
   * What a new ticket sends: its summary to every support channel there is, and ticket.created. Built
   * inside the store's write. With no support channel anywhere, one post waits for the first one set
   * (unless no platform that could have one runs at all).
   */
  function creationOutbox(ticket: Ticket, destinations: readonly SupportChannel[], now: number): OutboxDraft[] {
    const replies = buildSupportSummary(ticket, defaultLang);
    const channels = destinations.length > 0 ? destinations.map((d) => d.channel) : notifiers.length > 0 ? [null] : [];
    const support = channels.map((channel): OutboxDraft => {
      const payload: SupportNotifyPayload = { channel, ticket, replies };
      // Keyed by where it goes, not by ticket: one post in flight per support channel (see supportPostOrderingKey).
      return { kind: 'support-notify', orderingKey: supportPostOrderingKey(channel), payload };
    });
    return [...support, ...webhookDraft(ticket, 'ticket.created', null, now)];
  }

  /** What a claim or resolution sends: a notice in the user's thread and the webhook event. */
  function changeOutbox(ticket: Ticket, event: TicketChangeEvent, by: string, now: number, note?: string): OutboxDraft[] {
    const notice: OutboxDraft[] = [];
    if (canNotifyUser(ticket)) {
      const payload: UserNotifyPayload = {
        channel: ticket.channel,
        ticketId: ticket.id,
        conversationId: ticket.conversationId,
        replies: buildUserNotice(ticket, event, by, defaultLang, note),
      };
      notice.push({ kind: 'user-notify', orderingKey: userNotifyOrderingKey(ticket.id), payload });
    }
    return [...notice, ...webhookDraft(ticket, event === 'claimed' ? 'ticket.claimed' : 'ticket.resolved', by, now, note)];
  }

  async function changeStatus(ticketId: string, status: TicketStatus, event: TicketChangeEvent, by: string, rawNote?: string): Promise<TicketChange | undefined> {
    const now = clock.now();
    // Typed by a person at a terminal: redacted like everything else that reaches a user or a webhook.
    const note = rawNote?.trim() ? redactSecrets(rawNote.trim()) : undefined;
    // The store decides whether this changes anything (a repeated click, a resolved ticket) in the
    // same transaction that writes the change and its notifications.
    const change = await store.updateTicketStatus(ticketId, status, by, now, (ticket) => changeOutbox(ticket, event, by, now, note));
    if (!change?.changed) return change;
    const { ticket } = change;
    logger.info({ ticket: ticket.id, status }, 'ticket status changed');
    if (!canNotifyUser(ticket)) {
      logger.info({ ticket: ticket.id, channel: ticket.channel }, 'no notifier for the ticket channel; user not notified');
    }
    return change;
  }

  return {
    async escalate(input) {
      const now = clock.now();
      const destinations = await options.supportChannels.all();
      // Ticket and notifications in one write: a crash leaves both or neither, never a silent ticket.
      const stored = await store.createTicket(redactTicketInput(input), now, (ticket) => creationOutbox(ticket, destinations, now));
      const { ticket, created } = stored;
      const result = { ...stored, reach: { supportChannel: destinations.length > 0, userThread: canNotifyUser(ticket) } };
      if (!created) {
        logger.info({ ticket: ticket.id }, 'escalation repeated; existing ticket returned');
        return result;
      }
      logger.info(
        { ticket: ticket.id, channel: ticket.channel, topic: ticket.topic, urgency: ticket.urgency, postedTo: destinations.map((d) => d.channel) },
        'ticket created',
      );
      if (destinations.length === 0) {
        logger.warn({ ticket: ticket.id }, 'no support channel configured: the ticket post waits in the outbox until one is set');
      }
      return result;
    },

    claim: (ticketId, by) => changeStatus(ticketId, 'claimed', 'claimed', by),
    resolve: (ticketId, by, note) => changeStatus(ticketId, 'resolved', 'resolved', by, note),
  };
}
