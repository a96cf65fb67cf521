import type { Ticket, TicketStatus, TicketStatusChange } from './store';

/**
 * The one rule for who-did-what on a status change, shared by every Store: claiming records the
 * claimer, resolving records the resolver, reopening forgets both (the ticket is nobody's again).
 */
function applyStatusChange(ticket: Ticket, status: TicketStatus, by: string, now: number): Ticket {
  const { claimedBy, resolvedBy, ...rest } = ticket;
  const updated: Ticket = { ...rest, status, updatedAt: now };
  if (status === 'claimed') updated.claimedBy = by;
  if (status === 'resolved') {
    if (claimedBy !== undefined) updated.claimedBy = claimedBy;
    updated.resolvedBy = by;
  }
  return updated;
}

/**
 * Whether a status change does anything. A resolved ticket only moves by being reopened (a late
 * Claim or a second Resolve must not undo or rewrite the resolution); a claim by the person who
 * already holds it, or reopening an open ticket, is a repeat. Stores decide this inside their
 * write, so two instances handling two clicks at once agree on which one changed the ticket.
 */
export function planStatusChange(ticket: Ticket, status: TicketStatus, by: string, now: number): TicketStatusChange {
  const repeat =
    (ticket.status === 'resolved' && status !== 'open') ||
    (status === 'claimed' && ticket.status === 'claimed' && ticket.claimedBy === by) ||
    (status === 'open' && ticket.status === 'open');
  return repeat ? { ticket, changed: false } : { ticket: applyStatusChange(ticket, status, by, now), changed: true };
}
