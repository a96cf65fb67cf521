import type { Ticket, TicketStatus } from './store';

/**
 * The one rule for who-did-what on a status change, shared by every Store: claiming records the
 * claimer, resolving records the resolver, reopening forgets both (the ticket is nobody's again).
 */
export function applyStatusChange(ticket: Ticket, status: TicketStatus, by: string, now: number): Ticket {
  const { claimedBy, resolvedBy, ...rest } = ticket;
  const updated: Ticket = { ...rest, status, updatedAt: now };
  if (status === 'claimed') updated.claimedBy = by;
  if (status === 'resolved') {
    if (claimedBy !== undefined) updated.claimedBy = claimedBy;
    updated.resolvedBy = by;
  }
  return updated;
}
