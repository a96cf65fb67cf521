import type { Ticket, TicketInput, TicketStatus } from './store';
import { formatTicketId } from './ticket-id';

/** A ticket as the SQL stores keep it: the caller's input as JSON, the changing parts as columns. */
export interface TicketRow {
  number: number;
  status: TicketStatus;
  claimedBy: string | null;
  resolvedBy: string | null;
  createdAt: number;
  updatedAt: number;
  input: TicketInput;
}

export function ticketFromRow(row: TicketRow): Ticket {
  const ticket: Ticket = {
    ...row.input,
    id: formatTicketId(row.number),
    number: row.number,
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  if (row.claimedBy !== null) ticket.claimedBy = row.claimedBy;
  if (row.resolvedBy !== null) ticket.resolvedBy = row.resolvedBy;
  return ticket;
}
