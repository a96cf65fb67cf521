/** Ticket numbering shared by every Store implementation, so ids look the same whatever the backend. */
export const FIRST_TICKET_NUMBER = 1001;

const TICKET_PREFIX = 'MARS-';

export function formatTicketId(number: number): string {
  return `${TICKET_PREFIX}${number}`;
}

/** Accepts "MARS-1001" in any letter case; anything else is not a ticket id. */
export function parseTicketNumber(id: string): number | undefined {
  const match = /^mars-(\d{1,15})$/i.exec(id.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  return Number.isSafeInteger(number) ? number : undefined;
}
