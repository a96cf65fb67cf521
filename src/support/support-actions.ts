import type { Logger } from 'pino';
import type { Reply } from '../replies/reply';
import { t, tList, type MessageKey } from '../shared/i18n';
import { LANGS, localeLang, type Lang } from '../shared/lang';
import type { Store } from '../storage/store';
import type { Clock } from './clock';
import type { TicketChange } from './create-support-desk';
import { supportPostOrderingKey, type SupportAnnouncePayload } from './notify-handlers';
import type { SupportChannels } from './support-channels';
import type { TicketPosts } from './ticket-posts';

/**
 * Who may steer tickets, decided once for every platform:
 *  - Claim and Resolve count only from a support channel the ticket was posted in (by whoever is
 *    there to click, as the platform only shows the post to that channel's members), or from the
 *    command line on the server. Anywhere else they change nothing and say so.
 *  - "set support channel" is for the configured support admins (SUPPORT_ADMINS) only, in a channel
 *    or group chat. Without any admin configured only configuration sets the support channel. Every
 *    change is logged and announced in the old channel (and answered in the new one).
 */

export type SupportRequest =
  | { type: 'claim'; ticketId: string }
  /** `note`: what the resolver tells the user (the command line's --note); it reaches the user's thread and the webhook. */
  | { type: 'resolve'; ticketId: string; note?: string }
  | { type: 'set-support-channel' };

/** Where a support action was done, in the adapter's words. */
export interface SupportWhere {
  /** The channel (not the thread) it came from, named as ChannelNotifier.placeOf names it. */
  place: string;
  /** A channel or group chat; false for a personal chat. */
  shared: boolean;
  /** How to start a new post there: what "set support channel" stores. */
  address?: unknown;
}

/** What the support layer reads of an event (the engine's SupportActionInbound has these fields). */
export interface SupportActionEvent {
  channel: string;
  userId: string;
  userName?: string;
  locale?: string;
  request: SupportRequest;
  where: SupportWhere;
}

export interface SupportActions {
  handle(event: SupportActionEvent): Promise<Reply[]>;
}

/** The ticket operations behind the buttons (the support desk). */
export interface TicketDesk {
  claim(ticketId: string, by: string): Promise<TicketChange | undefined>;
  resolve(ticketId: string, by: string, note?: string): Promise<TicketChange | undefined>;
}

/** The channel name of the command line: actions from there are the server operator's. */
export const COMMAND_LINE = 'cli';

function normalizeCommand(text: string): string {
  return text.toLowerCase().replace(/[.!?]+$/, '').replace(/\s+/g, ' ').trim();
}

const SET_SUPPORT_CHANNEL = new Set(LANGS.flatMap((lang) => tList(lang, 'support:channel.commands').map(normalizeCommand)));

/** Whether a typed message is the "set support channel" command (in either language). */
export function isSetSupportChannelCommand(text: string): boolean {
  return SET_SUPPORT_CHANNEL.has(normalizeCommand(text));
}

function notice(lang: Lang, key: MessageKey, vars?: Record<string, unknown>): Reply[] {
  return [{ kind: 'notice', lang, text: [t(lang, key, vars)] }];
}

export function createSupportActions(deps: {
  desk: TicketDesk;
  store: Pick<Store, 'enqueueOutbox'>;
  supportChannels: SupportChannels;
  posts: TicketPosts;
  /** Platform user ids (Teams AAD object ids, Slack user ids) who may set the support channel. */
  admins: ReadonlySet<string>;
  defaultLang: Lang;
  clock: Clock;
  logger: Logger;
}): SupportActions {
  const { desk, supportChannels, posts, admins, defaultLang, clock, logger } = deps;

  async function changeTicket(event: SupportActionEvent, lang: Lang, kind: 'claim' | 'resolve', ticketId: string, note?: string): Promise<Reply[]> {
    if (event.channel !== COMMAND_LINE) {
      const postedHere = (await posts.of(ticketId)).some((p) => p.channel === event.channel && p.place === event.where.place);
      if (!postedHere) {
        // The same answer whether the ticket exists or not: ids are sequential, this must not probe them.
        logger.warn({ ticket: ticketId, action: kind, channel: event.channel, place: event.where.place, userId: event.userId }, 'ticket action refused: not from a support channel the ticket was posted in');
        return notice(lang, 'support:actions.notHere');
      }
    }
    const by = event.userName || event.userId;
    const change = kind === 'claim' ? await desk.claim(ticketId, by) : await desk.resolve(ticketId, by, note);
    if (!change) return notice(lang, 'support:actions.notFound', { ticket: ticketId });
    const key = !change.changed ? 'unchanged' : kind === 'claim' ? 'claimed' : 'resolved';
    return notice(lang, `support:actions.${key}`, { ticket: change.ticket.id, name: by, status: t(lang, `support:status.${change.ticket.status}`) });
  }

  async function setSupportChannel(event: SupportActionEvent, lang: Lang): Promise<Reply[]> {
    const who = { userId: event.userId, channel: event.channel, place: event.where.place };
    if (!event.where.shared || event.where.address === undefined) return notice(lang, 'support:channel.personalNotAllowed');
    if (admins.size === 0) {
      logger.warn(who, 'set support channel refused: no SUPPORT_ADMINS configured, only configuration sets it');
      return notice(lang, 'support:channel.noAdmins');
    }
    if (!admins.has(event.userId)) {
      logger.warn(who, 'set support channel refused: not a support admin');
      return notice(lang, 'support:channel.notAdmin');
    }
    const name = event.userName || event.userId;
    const current = await supportChannels.get(event.channel);
    if (current?.place === event.where.place) return notice(lang, 'support:channel.already');
    const now = clock.now();
    const { previous } = await supportChannels.set(event.channel, event.where.address, { id: event.userId, name }, now);
    logger.info({ ...who, previous: previous?.place ?? null }, 'support channel changed');
    if (previous) {
      const payload: SupportAnnouncePayload = { channel: event.channel, address: previous.address, replies: notice(lang, 'support:channel.movedAway', { name }) };
      // Through the outbox: the old channel hears of it even if its platform is briefly unreachable.
      await deps.store.enqueueOutbox('support-announce', supportPostOrderingKey(event.channel), payload, now);
    }
    return notice(lang, previous ? 'support:channel.movedHere' : 'support:channel.saved', { name });
  }

  return {
    async handle(event) {
      const lang = localeLang(event.locale, defaultLang);
      switch (event.request.type) {
        case 'claim':
          return changeTicket(event, lang, 'claim', event.request.ticketId);
        case 'resolve':
          return changeTicket(event, lang, 'resolve', event.request.ticketId, event.request.note);
        case 'set-support-channel':
          return setSupportChannel(event, lang);
      }
    },
  };
}
