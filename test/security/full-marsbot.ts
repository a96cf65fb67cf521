import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { createSlackChannel, type SlackChannel } from '../../src/channels/slack/create-slack-channel';
import { createTeamsChannel } from '../../src/channels/teams/create-teams-channel';
import { createWebChat } from '../../src/channels/web/create-web-chat';
import { createEngine } from '../../src/conversation/create-engine';
import type { Engine } from '../../src/conversation/engine';
import { createServer } from '../../src/server/create-server';
import { createGuardedEngine } from '../../src/shared/guarded-engine';
import { createLogger } from '../../src/shared/logger';
import type { Store } from '../../src/storage/store';
import { systemClock } from '../../src/support/clock';
import { createSupportDesk, type SupportService } from '../../src/support/create-support-desk';
import { createNotifyHandlers } from '../../src/support/notify-handlers';
import { createOutboxWorker, type OutboxWorker } from '../../src/support/outbox-worker';
import { createWebhookHandler } from '../../src/support/webhook-delivery';
import { createMatcher } from '../../src/understanding/create-matcher';
import { TEST_SIGNING_SECRET } from '../helpers/slack-signing';
import { realKnowledge } from '../helpers/start-marsbot';
import { NO_LIMITS } from './hardened-marsbot';

/**
 * Everything src/index.ts builds, on a store the test chooses, in this process: Teams, Slack and the
 * web chat on one HTTP server, the support desk posting to a Teams and a Slack support channel, the
 * outbox with the webhook, and LOG_MESSAGE_TEXT on. The outbox is driven by the test (runOnce), so
 * it knows when every post and webhook has gone out.
 */

export const TEAMS_SUPPORT_CONVERSATION = '19:support-secrets@thread.tacv2';
export const SLACK_SUPPORT_CHANNEL = 'CSUPPORT';

export interface FullMarsbotOptions {
  store: Store;
  /** Where the Bot Connector lives (the fake): the Teams support channel is posted to there. */
  connectorUrl: string;
  slackApiUrl: string;
  webhook: { url: string; secret: string };
}

export interface FullMarsbot {
  url: string;
  server: Server;
  slack: SlackChannel;
  outbox: OutboxWorker;
  stop(): Promise<void>;
}

export async function startFullMarsbot(options: FullMarsbotOptions): Promise<FullMarsbot> {
  const { store } = options;
  const knowledge = realKnowledge();
  let engine: Engine | undefined;
  let support: SupportService | undefined;
  const guarded = createGuardedEngine(
    { handle: (inbound) => engine!.handle(inbound) },
    { maxMessageChars: 8000, rateLimits: NO_LIMITS, defaultLang: 'nl', logger: createLogger('guard') },
  );
  const teams = createTeamsChannel({
    engine: guarded,
    store,
    logger: createLogger('teams'),
    defaultLang: 'nl',
    logMessageText: true,
    supportConversation: { serviceUrl: options.connectorUrl, channelId: 'msteams', conversation: { id: TEAMS_SUPPORT_CONVERSATION } },
    ticketActions: () => support,
  });
  const slack = createSlackChannel({
    engine: guarded,
    store,
    signingSecret: TEST_SIGNING_SECRET,
    botToken: 'xoxb-full-marsbot-test',
    apiUrl: options.slackApiUrl,
    supportChannel: SLACK_SUPPORT_CHANNEL,
    logger: createLogger('slack'),
  });
  const notifiers = [teams.notifier, slack.notifier];
  support = createSupportDesk({ store, notifiers, clock: systemClock, webhook: options.webhook, logger: createLogger('support') });
  slack.setTicketActions(support);
  engine = createEngine({ knowledge, matcher: createMatcher(knowledge), store, supportDesk: support });

  const outbox = createOutboxWorker({
    store,
    handlers: {
      ...createNotifyHandlers(notifiers),
      webhook: createWebhookHandler({ ...options.webhook, clock: systemClock, timeoutMs: 5_000, logger: createLogger('webhook') }),
    },
    clock: systemClock,
    backoff: { baseMs: 10, maxMs: 50 },
    leaseMs: 10_000,
    batch: 20,
    logger: createLogger('outbox'),
  });

  const server = createServer({
    teams: (req, res) => teams.handle(req, res),
    slack: slack.httpHandler,
    webChat: createWebChat({ engine: guarded, defaultLang: 'nl', logMessageText: true, logger: createLogger('web') }),
    readiness: { store, knowledgeTopics: () => knowledge.topics.length },
    logger: createLogger('http'),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    slack,
    outbox,
    async stop() {
      await outbox.stop();
      await slack.stop();
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
