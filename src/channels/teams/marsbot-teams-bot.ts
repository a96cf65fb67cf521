import { ActivityHandler, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Engine } from '../../conversation/engine';
import type { Lang } from '../../knowledge/schema';
import { t, tList } from '../../shared/i18n';
import { messageTextField } from '../../shared/logger';
import { referenceDocument, type ConversationReferences } from './conversation-references';
import { sendReplies, sendWithDeadline } from './send-replies';
import { conversationType, isBotMentioned, messageText, toInbound } from './teams-activity';

/** Claim / Resolve behind the buttons on a ticket posted in the support channel (the support desk). */
export interface TicketActions {
  claim(ticketId: string, by: string): Promise<{ ticket: { id: string; lang: string; status: string }; changed: boolean } | undefined>;
  resolve(ticketId: string, by: string): Promise<{ ticket: { id: string; lang: string; status: string }; changed: boolean } | undefined>;
}

export interface TeamsBotOptions {
  defaultLang: Lang;
  replyTimeoutMs?: number;
  logMessageText: boolean;
  ticketActions?: () => TicketActions | undefined;
}

export function langFromLocale(locale: string | undefined, fallback: Lang): Lang {
  if (!locale) return fallback;
  return locale.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

function normalizeCommand(text: string): string {
  return text.toLowerCase().replace(/[.!?]+$/, '').replace(/\s+/g, ' ').trim();
}

const SUPPORT_CHANNEL_COMMANDS = new Set(
  (['nl', 'en'] as const).flatMap((lang) => tList(lang, 'channels:commands.setSupportChannel').map(normalizeCommand)),
);

/**
 * Translates Teams activities into engine turns and the engine's replies into cards.
 * It decides nothing about what to say: that is the engine's job.
 */
export class MarsbotTeamsBot extends ActivityHandler {
  constructor(
    private readonly engine: Engine,
    private readonly references: ConversationReferences,
    private readonly options: TeamsBotOptions,
    private readonly logger: Logger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.welcome(context);
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const isSubmit = activity.value !== undefined && activity.value !== null;
    // In channels and group chats people talk to each other: only answer when addressed.
    if (conversationType(activity) !== 'personal' && !isSubmit && !isBotMentioned(activity)) return;

    if (!isSubmit && SUPPORT_CHANNEL_COMMANDS.has(normalizeCommand(messageText(activity)))) {
      await this.rememberReference(context);
      await this.setSupportChannel(context);
      return;
    }

    // Kept with the turn's own write: the reference is what lets the support desk reach this thread later.
    const reference = referenceDocument(activity);
    const inbound = { ...toInbound(activity), ...(reference ? { keepWithTurn: reference } : {}) };
    // A submit from a card that is not ours (or a malformed one) carries nothing to answer.
    if (isSubmit && !inbound.action && !inbound.text) return;
    this.logger.info(
      {
        conversationType: conversationType(activity),
        action: inbound.action?.type,
        chars: inbound.text?.length,
        ...messageTextField(inbound.text, this.options.logMessageText),
      },
      'teams message',
    );
    const action = inbound.action;
    const tickets = this.options.ticketActions?.();
    if ((action?.type === 'ticket-claim' || action?.type === 'ticket-resolve') && tickets) {
      await this.rememberReference(context);
      await this.changeTicket(context, tickets, action.type, action.ticket);
      return;
    }
    await sendReplies(context, await this.engine.handle(inbound), this.sendOptions());
  }

  private sendOptions(): { timeoutMs?: number; logger: Logger } {
    return { timeoutMs: this.options.replyTimeoutMs, logger: this.logger };
  }

  private async changeTicket(context: TurnContext, tickets: TicketActions, kind: 'ticket-claim' | 'ticket-resolve', ticketId: string): Promise<void> {
    const by = context.activity.from?.name || context.activity.from?.id || '?';
    const change = kind === 'ticket-claim' ? await tickets.claim(ticketId, by) : await tickets.resolve(ticketId, by);
    const fallback = langFromLocale(context.activity.locale, this.options.defaultLang);
    if (!change) {
      await sendWithDeadline(context, t(fallback, 'channels:tickets.notFound', { ticket: ticketId }), this.sendOptions());
      return;
    }
    const lang: Lang = change.ticket.lang === 'nl' || change.ticket.lang === 'en' ? change.ticket.lang : fallback;
    const key = !change.changed ? 'unchanged' : kind === 'ticket-claim' ? 'claimed' : 'resolved';
    const status = t(lang, `channels:tickets.status.${change.ticket.status}`);
    await sendWithDeadline(context, t(lang, `channels:tickets.${key}`, { ticket: change.ticket.id, name: by, status }), this.sendOptions());
  }

  private async welcome(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const botId = activity.recipient?.id;
    // Only when the bot itself was added (installed), not for every new team member.
    if (!activity.membersAdded?.some((member) => member.id === botId)) return;
    await this.rememberReference(context);
    // The engine's help answer is the introduction; asked in the words of the user's Teams language.
    const lang = langFromLocale(activity.locale, this.options.defaultLang);
    const inbound = { ...toInbound(activity), text: t(lang, 'channels:commands.welcome') };
    delete inbound.action;
    await sendReplies(context, await this.engine.handle(inbound), this.sendOptions());
  }

  private async setSupportChannel(context: TurnContext): Promise<void> {
    const lang = langFromLocale(context.activity.locale, this.options.defaultLang);
    if (conversationType(context.activity) === 'personal') {
      await sendWithDeadline(context, t(lang, 'channels:supportChannel.personalNotAllowed'), this.sendOptions());
      return;
    }
    await this.references.setSupportChannel(context.activity);
    this.logger.info({ conversationType: conversationType(context.activity) }, 'teams support channel set');
    await sendWithDeadline(context, t(lang, 'channels:supportChannel.saved'), this.sendOptions());
  }

  private async rememberReference(context: TurnContext): Promise<void> {
    try {
      await this.references.remember(context.activity);
    } catch (err) {
      // Answering the user matters more than being able to notify them later.
      this.logger.warn({ err: (err as Error).message }, 'could not store the Teams conversation reference');
    }
  }
}
