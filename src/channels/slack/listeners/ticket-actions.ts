import type { Lang } from '../../../knowledge/schema';
import type { Reply } from '../../../replies/reply';
import { t } from '../../../shared/i18n';
import type { Ticket } from '../../../storage/store';

/** The support desk's side of the Claim and Resolve buttons (SupportService fits). */
export interface TicketActions {
  claim(ticketId: string, by: string): Promise<{ ticket: Ticket; changed: boolean } | undefined>;
  resolve(ticketId: string, by: string): Promise<{ ticket: Ticket; changed: boolean } | undefined>;
}

function ticketLang(lang: string | undefined): Lang {
  return lang === 'en' ? 'en' : lang === 'nl' ? 'nl' : 'en';
}

/** Runs a Claim or Resolve click and says in the ticket's thread what happened. */
export async function runTicketAction(
  actions: TicketActions,
  kind: 'ticket-claim' | 'ticket-resolve',
  ticketId: string,
  by: string,
): Promise<Reply> {
  const change = kind === 'ticket-claim' ? await actions.claim(ticketId, by) : await actions.resolve(ticketId, by);
  if (!change) return { kind: 'notice', lang: 'en', text: [t('en', 'slack:support.notFound', { ticket: ticketId })] };
  const lang = ticketLang(change.ticket.lang);
  const key = !change.changed ? 'slack:support.unchanged' : kind === 'ticket-claim' ? 'slack:support.claimed' : 'slack:support.resolved';
  const status = t(lang, `slack:support.status.${change.ticket.status}`);
  return { kind: 'notice', lang, text: [t(lang, key, { ticket: change.ticket.id, name: by, status })] };
}
