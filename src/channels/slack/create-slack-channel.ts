import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, webApi, type Authorize } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Engine } from '../../conversation/engine';
import type { Lang } from '../../shared/lang';
import type { Store } from '../../storage/store';
import type { ChannelNotifier } from '../../support/support-desk';
import { createBoltLogger } from './bolt-logger';
import { registerActionListeners } from './listeners/action-listeners';
import { registerCommandListener } from './listeners/command-listener';
import { registerEscalationModal } from './listeners/escalation-modal';
import { registerHomeTab } from './listeners/home-tab';
import type { ListenerDeps } from './listeners/listener-deps';
import { registerMessageListeners } from './listeners/message-listeners';
import { registerShortcutListener } from './listeners/shortcut-listener';
import { createReplyDelivery } from './reply-delivery';
import { SlackReceiver } from './slack-receiver';
import { createSlackNotifier } from './slack-notifier';
import { createTurnRunner } from './turn-runner';
import { createUserDirectory } from './user-directory';

export interface SlackChannelOptions {
  engine: Engine;
  /** The Home tab's setting. (Retried events are recognised by the engine, in the turn's own write.) */
  store: Pick<Store, 'getDocument' | 'putDocument'>;
  /** DEFAULT_LANG. */
  defaultLang: Lang;
  signingSecret: string;
  /** Bot token (xoxb-…). */
  botToken: string;
  /** App-level token (xapp-…) for Socket Mode; without it only HTTP is served. */
  appToken?: string;
  /** Web API base url, default https://slack.com/api/ (tests point it at a local fake). */
  apiUrl?: string;
  logger: Logger;
  /** Epoch milliseconds, for the request timestamp check. */
  now?: () => number;
}

export interface SlackChannel {
  /** restify 11 (or plain node:http) handler for POST /slack/events: events, interactivity, slash commands. */
  httpHandler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Connects Socket Mode (needs appToken); events then arrive over a websocket instead of HTTP. */
  startSocketMode(): Promise<void>;
  stop(): Promise<void>;
  notifier: ChannelNotifier;
}

const QUICK_TIMEOUT_MS = 2500;

/**
 * The Slack adapter: bolt's App with marsbot's receiver, listeners that turn Slack payloads into
 * Inbound turns for the engine, and the notifier the support desk posts through.
 */
export function createSlackChannel(options: SlackChannelOptions): SlackChannel {
  const { engine, store, logger } = options;
  const boltLogger = createBoltLogger(logger.child({ component: 'bolt' }));
  const clientOptions: webApi.WebClientOptions = {
    logger: createBoltLogger(logger.child({ component: 'web-api' })),
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
  };
  // Replies go out after the ack, so waiting out a 429's Retry-After is fine — but within minutes,
  // not the client's default half hour, so a turn never hangs on for ages.
  const client = new webApi.WebClient(options.botToken, {
    ...clientOptions,
    retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes,
    timeout: 15_000,
  });
  const quickClient = new webApi.WebClient(options.botToken, {
    ...clientOptions,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: QUICK_TIMEOUT_MS,
  });

  const receiver = new SlackReceiver({
    signingSecret: options.signingSecret,
    logger,
    ...(options.appToken ? { appToken: options.appToken } : {}),
    ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
    ...(options.now ? { now: options.now } : {}),
  });

  const app = new App({
    receiver,
    authorize: createLazyAuthorize(options.botToken, quickClient, logger),
    logger: boltLogger,
    clientOptions: { ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}) },
    // Bolt's conversation store is an in-memory cache per process; our state lives in the Store.
    convoStore: false,
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a slack listener');
  });

  const delivery = createReplyDelivery(client, logger);
  const deps: ListenerDeps = {
    runner: createTurnRunner(engine, delivery, logger),
    delivery,
    directory: createUserDirectory(quickClient, logger),
    store,
    logger,
    defaultLang: options.defaultLang,
    client,
    quickClient,
  };
  registerMessageListeners(app, deps);
  registerActionListeners(app, deps);
  registerCommandListener(app, deps);
  registerShortcutListener(app, deps);
  registerHomeTab(app, deps);
  registerEscalationModal(app, deps);

  return {
    async httpHandler(req, res) {
      await receiver.handle(req, res);
    },
    async startSocketMode() {
      if (!options.appToken) throw new Error('Socket Mode needs SLACK_APP_TOKEN (an xapp- app-level token)');
      await receiver.start();
    },
    async stop() {
      await receiver.stop();
    },
    notifier: createSlackNotifier({ client, delivery, logger }),
  };
}

/**
 * Bolt's built-in single-token authorization calls auth.test once at construction and keeps a
 * failure forever. This one asks when first needed, keeps a success, and asks again after a failure.
 */
function createLazyAuthorize(botToken: string, client: webApi.WebClient, logger: Logger): Authorize<boolean> {
  let identity: Promise<{ botUserId?: string; botId?: string }> | undefined;
  return async () => {
    if (!identity) {
      identity = client.auth.test().then(
        (result) => ({
          ...(result.user_id ? { botUserId: result.user_id } : {}),
          ...(result.bot_id ? { botId: result.bot_id } : {}),
        }),
        (error: unknown) => {
          logger.warn({ err: error }, 'auth.test failed; will ask again on the next event');
          identity = undefined;
          return {};
        },
      );
    }
    return { botToken, ...(await identity) };
  };
}
