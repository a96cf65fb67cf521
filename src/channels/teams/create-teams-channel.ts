import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type Request as BotRequest,
  type Response as BotResponse,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { Engine } from '../../conversation/engine';
import { t } from '../../shared/i18n';
import { localeLang, type Lang } from '../../shared/lang';
import type { Store } from '../../storage/store';
import type { ChannelNotifier } from '../../support/support-desk';
import { checkServiceUrl } from '../../shared/service-url-hosts';
import { activityProblem } from './activity-schema';
import { createConversationReferences } from './conversation-references';
import { ReusingBotFrameworkAuthentication } from './reusing-authentication';
import { MarsbotTeamsBot } from './marsbot-teams-bot';
import { sendWithDeadline } from './send-replies';
import { createTeamsNotifier } from './teams-notifier';

export interface TeamsCredentials {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  /**
   * Where the Bot Framework's token signing keys are published. Unset: the public cloud's
   * (https://login.botframework.com/v1/.well-known/openidconfiguration). Set for a private cloud,
   * or by tests that sign tokens with their own key.
   */
  openIdMetadataUrl?: string;
  /**
   * How the bot gets its own tokens for replies. Unset: from the app id and password (or managed
   * identity). A certificate- or MSAL-based factory goes here; so does a test's offline one.
   */
  credentialsFactory?: ConfigurationServiceClientCredentialFactory;
}

export interface TeamsChannelSettings extends TeamsCredentials {
  engine: Engine;
  /**
   * Hosts replies and proactive posts may go to besides loopback (TEAMS_SERVICE_URL_HOSTS): an
   * activity or a stored reference naming any other service URL gets no outbound call.
   */
  serviceUrlHosts: readonly string[];
  /** Conversation references, for messages outside a turn (ticket updates to the user's thread). */
  store: Pick<Store, 'getDocument' | 'putDocument'>;
  logger: Logger;
  /** DEFAULT_LANG: for the one message the adapter itself may send (a turn that failed to send). */
  defaultLang: Lang;
  logMessageText?: boolean;
  /** How long one reply may take at the Bot Connector before the turn gives up on it (default 30 s). */
  replyTimeoutMs?: number;
}

;

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

export interface TeamsChannel {
  /** POST /api/messages */
  handle(req: BotRequest, res: BotResponse): Promise<void>;
  notifier: ChannelNotifier;
  adapter: CloudAdapter;
}

// The public cloud's values (botframework-connector's AuthenticationConstants). They are spelled out
// because botbuilder only lets the signing-key URL change when every other endpoint is given as well.
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

interface TeamsAuth {
  adapter: CloudAdapter;
  authentication: ConfigurationBotFrameworkAuthentication;
  secured: boolean;
}

/**
 * Without an app id the adapter accepts unauthenticated requests and sends without a token:
 * the way the Agents Playground and the Bot Framework Emulator talk to a local bot.
 */
function createTeamsAuth(credentials: TeamsCredentials, serviceUrlHosts: readonly string[]): TeamsAuth {
  const secured = Boolean(credentials.appId);
  const factory =
    credentials.credentialsFactory ??
    new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: credentials.appId,
      MicrosoftAppPassword: credentials.appPassword,
      MicrosoftAppTenantId: credentials.tenantId,
      MicrosoftAppType: secured ? credentials.appType : undefined,
    });
  const authentication = new ReusingBotFrameworkAuthentication(
    {
      MicrosoftAppId: credentials.appId,
      MicrosoftAppTenantId: credentials.tenantId,
      ...(credentials.openIdMetadataUrl ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: credentials.openIdMetadataUrl } : {}),
    },
    factory,
    serviceUrlHosts,
  );
  return { adapter: new CloudAdapter(authentication), authentication, secured };
}

const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * 401 for a missing, forged, expired or misaddressed token; 503 when the signing keys could not be
 * loaded (the Bot Connector retries a 5xx, and the request may well be genuine).
 */
function authFailureStatus(err: unknown): 401 | 503 {
  const error = err as { name?: string; statusCode?: unknown; code?: unknown };
  if (TOKEN_ERRORS.has(error.name ?? '')) return 401;
  if (error.statusCode === 401 || error.statusCode === 403) return 401;
  const unreachable = error.name === 'FetchError' || (typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code));
  return typeof error.statusCode === 'number' || unreachable ? 503 : 401;
}

function authorizationHeader(req: BotRequest): string {
  const value = req.headers['authorization'] ?? req.headers['Authorization'];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

export function createTeamsChannel(settings: TeamsChannelSettings): TeamsChannel {
  const { logger } = settings;
  const { adapter, authentication, secured } = createTeamsAuth(settings, settings.serviceUrlHosts);
  const references = createConversationReferences(settings.store);
  const bot = new MarsbotTeamsBot(settings.engine, { replyTimeoutMs: settings.replyTimeoutMs, logMessageText: settings.logMessageText ?? false }, logger);

  adapter.onTurnError = async (context, error) => {
    // No message text here: the error (redacted by the logger) and where it happened.
    logger.error(
      { err: error, activityType: context.activity.type, conversationType: context.activity.conversation.conversationType },
      'teams turn failed',
    );
    try {
      await sendWithDeadline(context, t(localeLang(context.activity.locale, settings.defaultLang), 'channels:errors.turn'), {
        timeoutMs: settings.replyTimeoutMs,
      });
    } catch (sendError) {
      logger.error({ err: sendError }, 'could not tell the user about the failure');
    }
  };

  return {
    adapter,
    notifier: createTeamsNotifier({ adapter, references, appId: settings.appId, logger, replyTimeoutMs: settings.replyTimeoutMs }),
    async handle(req, res) {
      const problem = activityProblem(req.body);
      if (problem !== undefined) {
        logger.warn({ reason: problem }, 'teams request refused: not a Bot Framework activity');
        res.status(400);
        res.send({ error: `not a Bot Framework activity (${problem})` });
        res.end();
        return;
      }
      const activity = req.body as unknown as Activity;
      let authenticated: AuthenticateRequestResult;
      try {
        // Once, here: with an app id botbuilder checks the token against the signing keys (a forged or
        // expired one is our 401, not botbuilder's 500 on stderr); without one it lets the request in.
        authenticated = await authentication.authenticateRequest(activity, authorizationHeader(req));
      } catch (err) {
        const status = secured ? authFailureStatus(err) : 401;
        const fields = { status, reason: (err as Error).message, channelId: activity.channelId };
        if (status === 401) logger.warn(fields, 'teams request rejected: no valid Bot Framework token');
        else logger.error(fields, 'teams request not authenticated: signing keys unavailable');
        res.status(status);
        res.send({ error: status === 401 ? 'unauthorized' : 'authentication unavailable' });
        res.end();
        return;
      }
      const serviceUrl = checkServiceUrl(activity.serviceUrl, settings.serviceUrlHosts);
      if (!serviceUrl.allowed) {
        // Nothing of the activity in the log: the reason names the host, which is all an operator needs.
        logger.warn({ reason: serviceUrl.reason, channelId: activity.channelId }, 'teams request refused: its serviceUrl is not a Bot Framework service');
        res.status(403);
        res.send({ error: 'serviceUrl is not a Bot Framework service URL this bot may call' });
        res.end();
        return;
      }
      try {
        // The adapter gets the result: the request is not authenticated a second time.
        await adapter.processActivityDirect(authenticated, activity, (context) => bot.run(context));
      } catch (err) {
        // onTurnError has handled the turn's own failures; this is the adapter failing around it.
        logger.error({ err }, 'teams activity could not be processed');
        res.status(500);
        res.end();
        return;
      }
      res.status(200);
      res.end();
    },
  };
}
