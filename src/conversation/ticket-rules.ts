import type { Reply } from '../replies/reply';
import { t } from '../shared/i18n';
import { numberLocale, type Lang } from '../shared/lang';
import type { TicketQuota, TicketReservation } from '../support/ticket-quota';
import type { TurnInbound } from './inbound';
import { conversationKey } from './ports';
import type { ConversationState } from './state';

/**
 * When a turn that asks for a ticket may get one. A ticket reaches people (every support channel,
 * the webhook), so it needs a conversation behind it — something the user said or pressed in an
 * earlier turn, which every real escalation has (the turn that showed the form) — and stays within
 * the hourly caps per conversation and per client address.
 */

export type TicketDecision = { allowed: true; reservation?: Extract<TicketReservation, { allowed: true }> } | { allowed: false; refused: 'no-conversation' } | { allowed: false; refused: 'limit'; retryAfterMs: number };

/** Whether the conversation, as it was before this turn, holds a turn of the user's own. */
function hasUserTurn(before: ConversationState): boolean {
  return before.transcript.some((entry) => entry.from === 'user');
}

export async function decideTicket(before: ConversationState, inbound: TurnInbound, quota: TicketQuota | undefined): Promise<TicketDecision> {
  if (!hasUserTurn(before)) return { allowed: false, refused: 'no-conversation' };
  if (!quota) return { allowed: true };
  const reservation = await quota.reserve({ conversation: conversationKey(inbound), ...(inbound.clientAddress ? { address: inbound.clientAddress } : {}) });
  return reservation.allowed ? { allowed: true, reservation } : { allowed: false, refused: 'limit', retryAfterMs: reservation.retryAfterMs };
}

/** What the user is told instead of a ticket. */
export function ticketRefused(lang: Lang, outcome: { refused: 'no-conversation' } | { refused: 'limit'; retryAfterMs: number }): Reply {
  if (outcome.refused === 'no-conversation') return { kind: 'notice', lang, text: [t(lang, 'escalation.needsConversation')] };
  const minutes = Math.max(1, Math.ceil(outcome.retryAfterMs / 60_000));
  return { kind: 'notice', lang, text: [t(lang, 'escalation.limited', { minutes: minutes.toLocaleString(numberLocale(lang)) })] };
}
