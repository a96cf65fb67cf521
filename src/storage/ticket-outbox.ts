import type { OutboxDraft, Ticket, TicketOutbox } from './store';

/** The messages a ticket write enqueues, built from the ticket as written. */
export function outboxDraftsFor(outbox: TicketOutbox | undefined, ticket: Ticket): readonly OutboxDraft[] {
  if (!outbox) return [];
  return typeof outbox === 'function' ? outbox(ticket) : outbox;
}
