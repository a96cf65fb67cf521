import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type ConversationReference,
  type Request as BotRequest,
  type Response as BotResponse,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Engine } from '../../conversation/engine';
import type { TeamsConversationReference } from '../../config';
import type { Lang } from '../../knowledge/schema';
import { t } from '../../shared/i18n';
import type { Store } from '../../storage/store';
import type { ChannelNotifier } from '../../support/support-desk';
import { createConversationReferences } from './conversation-references';
import { langFromLocale, MarsbotTeamsBot, type TicketActions } from './marsbot-teams-bot';
import { createTeamsNotifier } from './teams-notifier';

export interface TeamsCredentials {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
}

export interface TeamsChannelSettings extends TeamsCredentials {
  engine: Engine;
  store: Store;
  logger: Logger;
  defaultLang: Lang;
  maxMessageChars: number;
  logMessageText?: boolean;
  /** Claim / Resolve on tickets in the support channel; a getter, because the desk is built after the channel. */
  ticketActions?: () => TicketActions | undefined;
  /** Where tickets go until someone types "set support channel" in a Teams channel. */
  supportConversation?: TeamsConversationReference;
}

export type { BotRequest, BotResponse };

export interface TeamsChannel {
  /** POST /api/messages */
  handle(req: BotRequest, res: BotResponse): Promise<void>;
  notifier: ChannelNotifier;
  adapter: CloudAdapter;
}

/**
 * Without an app id the adapter accepts unauthenticated requests and sends without a token:
 * the way the Agents Playground and the Bot Framework Emulator talk to a local bot.
 */
export function createTeamsAdapter(credentials: TeamsCredentials): CloudAdapter {
  const secured = Boolean(credentials.appId);
  const factory = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword,
    MicrosoftAppTenantId: credentials.tenantId,
    MicrosoftAppType: secured ? credentials.appType : undefined,
  });
  const auth = new ConfigurationBotFrameworkAuthentication(
    { MicrosoftAppId: credentials.appId, MicrosoftAppTenantId: credentials.tenantId },
    factory,
  );
  return new CloudAdapter(auth);
}

export function createTeamsChannel(settings: TeamsChannelSettings): TeamsChannel {
  const { logger } = settings;
  const adapter = createTeamsAdapter(settings);
  const references = createConversationReferences(settings.store, settings.supportConversation as Partial<ConversationReference> | undefined);
  const bot = new MarsbotTeamsBot(
    settings.engine,
    references,
    {
      maxMessageChars: settings.maxMessageChars,
      defaultLang: settings.defaultLang,
      logMessageText: settings.logMessageText ?? false,
      ticketActions: settings.ticketActions,
    },
    logger,
  );

  adapter.onTurnError = async (context, error) => {
    // No message text and no secrets here: the error's name and message, and where it happened.
    logger.error(
      { err: { name: error.name, message: error.message }, activityType: context.activity.type, conversationType: context.activity.conversation?.conversationType },
      'teams turn failed',
    );
    try {
      await context.sendActivity(t(langFromLocale(context.activity.locale, settings.defaultLang), 'channels:errors.turn'));
    } catch (sendError) {
      logger.error({ err: { name: (sendError as Error).name, message: (sendError as Error).message } }, 'could not tell the user about the failure');
    }
  };

  return {
    adapter,
    notifier: createTeamsNotifier({ adapter, references, appId: settings.appId, logger }),
    async handle(req, res) {
      await adapter.process(req, res, (context) => bot.run(context));
    },
  };
}
