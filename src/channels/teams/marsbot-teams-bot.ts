import { ActivityHandler, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Engine } from '../../conversation/engine';
import type { Inbound } from '../../conversation/inbound';
import { messageTextField } from '../../shared/logger';
import { referenceDocument } from './conversation-references';
import { sendReplies } from './send-replies';
import { conversationType, installedInbound, isBotMentioned, toInbound } from './teams-activity';

export interface TeamsBotOptions {
  replyTimeoutMs?: number;
  logMessageText: boolean;
}

/**
 * Translates Teams activities into engine events and the engine's replies into cards. It decides
 * nothing: what to say, who may claim a ticket or set the support channel is decided below.
 */
export class MarsbotTeamsBot extends ActivityHandler {
  constructor(
    private readonly engine: Engine,
    private readonly options: TeamsBotOptions,
    private readonly logger: Logger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.handleInstall(context);
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const isSubmit = activity.value !== undefined && activity.value !== null;
    // In channels and group chats people talk to each other: only answer when addressed.
    if (conversationType(activity) !== 'personal' && !isSubmit && !isBotMentioned(activity)) return;
    // A submit from a card that is not ours (or a malformed one) carries nothing to answer.
    const inbound = toInbound(activity);
    if (!inbound) return;
    this.logger.info(
      {
        conversationType: conversationType(activity),
        kind: inbound.kind,
        action: inbound.kind === 'action' ? inbound.action.type : inbound.kind === 'support-action' ? inbound.request.type : undefined,
        chars: inbound.kind === 'message' ? inbound.text.length : undefined,
        ...messageTextField(inbound.kind === 'message' ? inbound.text : undefined, this.options.logMessageText),
      },
      'teams message',
    );
    await this.answer(context, inbound);
  }

  private async handleInstall(context: TurnContext): Promise<void> {
    const activity = context.activity;
    // Only when the bot itself was added (installed), not for every new team member.
    if (!activity.membersAdded?.some((member) => member.id === activity.recipient.id)) return;
    await this.answer(context, installedInbound(activity));
  }

  private async answer(context: TurnContext, inbound: Inbound): Promise<void> {
    // Kept with the turn's own write: the reference is what lets the support desk reach this thread later.
    const reference = referenceDocument(context.activity);
    const event = reference ? { ...inbound, keepWithTurn: reference } : inbound;
    await sendReplies(context, await this.engine.handle(event), { timeoutMs: this.options.replyTimeoutMs, logger: this.logger });
  }
}
