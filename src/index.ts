import type { AddressInfo } from 'node:net';
import { createSlackChannel, type SlackChannel } from './channels/slack/create-slack-channel';
import { createTeamsChannel } from './channels/teams/create-teams-channel';
import { createWebChat } from './channels/web/create-web-chat';
import { ConfigError, loadConfig, type Config } from './config';
import { createEngine } from './conversation/create-engine';
import type { Engine } from './conversation/engine';
import { loadKnowledge } from './knowledge/load-knowledge';
import { createServer } from './server/create-server';
import { configureLogging, createLogger } from './shared/logger';
import { createStore } from './storage/create-store';
import { systemClock } from './support/clock';
import { createSupportDesk, type SupportService } from './support/create-support-desk';
import { createNotifyHandlers } from './support/notify-handlers';
import { createOutboxWorker, type OutboxHandler } from './support/outbox-worker';
import { createWebhookHandler } from './support/webhook-delivery';
import { createMatcher } from './understanding/create-matcher';

/** The composition root: reads the config, builds the core and the channels, and listens. */

/** Retry delays level off here however many times a delivery failed. */
const OUTBOX_RETRY_MAX_MS = 10 * 60_000;
/** A webhook call may take this long at most; it also stays under half the outbox lease. */
const WEBHOOK_TIMEOUT_MS = 10_000;

function describeStartup(config: Readonly<Config>, url: string): Record<string, string> {
  const slack = config.slack;
  return {
    webChat: `${url}/`,
    teams: config.teams.secured
      ? `secured (app ${config.teams.appId}, ${config.teams.appType}) at ${url}/api/messages`
      : `open, no MicrosoftAppId: for local testing (Microsoft 365 Agents Playground) at ${url}/api/messages`,
    slack: !slack
      ? 'off (set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET for HTTP, or with SLACK_APP_TOKEN for Socket Mode)'
      : slack.appToken
        ? 'on, Socket Mode'
        : `on, HTTP at ${url}/slack/events`,
    store: config.storage.databaseUrl ? 'postgresql (DATABASE_URL)' : `sqlite ${config.storage.sqlitePath}`,
    escalationWebhook: config.escalationWebhook ? 'on' : 'off (set ESCALATION_WEBHOOK_URL and ESCALATION_WEBHOOK_SECRET)',
  };
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw err;
  }
  configureLogging({ level: config.logLevel });
  const log = createLogger('marsbot');

  const knowledge = loadKnowledge();
  const matcher = createMatcher(knowledge);
  const store = await createStore({ databaseUrl: config.storage.databaseUrl, sqlitePath: config.storage.sqlitePath });
  const clock = systemClock;

  // Channels, support desk and engine need each other: the channels get the engine through this
  // forwarder and the desk through a getter, both filled in below before the server takes a request.
  let engine: Engine | undefined;
  let support: SupportService | undefined;
  const engineForChannels: Engine = { handle: (inbound) => engine!.handle(inbound) };

  const teams = createTeamsChannel({
    engine: engineForChannels,
    store,
    logger: createLogger('teams'),
    appId: config.teams.appId,
    appPassword: config.teams.appPassword,
    tenantId: config.teams.tenantId,
    appType: config.teams.appType,
    defaultLang: config.defaultLang,
    maxMessageChars: config.maxMessageChars,
    logMessageText: config.logMessageText,
    supportConversation: config.teams.supportConversation,
    ticketActions: () => support,
  });
  let slack: SlackChannel | undefined;
  if (config.slack) {
    slack = createSlackChannel({
      engine: engineForChannels,
      store,
      // Socket Mode needs no signing secret: nothing reaches us over HTTP then.
      signingSecret: config.slack.signingSecret ?? '',
      botToken: config.slack.botToken,
      appToken: config.slack.appToken,
      apiUrl: config.slack.apiUrl,
      supportChannel: config.slack.supportChannel,
      logger: createLogger('slack'),
    });
  }

  const notifiers = [teams.notifier, ...(slack ? [slack.notifier] : [])];
  support = createSupportDesk({ store, notifiers, clock, webhook: config.escalationWebhook, logger: createLogger('support') });
  slack?.setTicketActions(support);
  engine = createEngine({ knowledge, matcher, store, supportDesk: support });

  const handlers: Record<string, OutboxHandler> = { ...createNotifyHandlers(notifiers) };
  if (config.escalationWebhook) {
    handlers['webhook'] = createWebhookHandler({
      ...config.escalationWebhook,
      clock,
      // Well under the lease, so a slow receiver is not sent the same event by a second attempt.
      timeoutMs: Math.min(WEBHOOK_TIMEOUT_MS, Math.floor(config.outbox.leaseMs / 2)),
      logger: createLogger('webhook'),
    });
  }
  const outbox = createOutboxWorker({
    store,
    handlers,
    clock,
    backoff: { baseMs: config.outbox.retryBaseMs, maxMs: Math.max(OUTBOX_RETRY_MAX_MS, config.outbox.retryBaseMs) },
    leaseMs: config.outbox.leaseMs,
    batch: 20,
    logger: createLogger('outbox'),
  });

  const server = createServer({
    teams: (req, res) => teams.handle(req, res),
    slack: slack && config.slack?.signingSecret ? slack.httpHandler : undefined,
    webChat: createWebChat({
      engine: engineForChannels,
      defaultLang: config.defaultLang,
      maxMessageChars: config.maxMessageChars,
      logMessageText: config.logMessageText,
      logger: createLogger('web'),
    }),
    readiness: { store, knowledgeTopics: () => knowledge.topics.length },
    logger: createLogger('http'),
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  outbox.start(config.outbox.pollMs);
  if (slack && config.slack?.appToken) await slack.startSocketMode();

  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  log.info({ ...describeStartup(config, `http://${shownHost}:${port}`), topics: knowledge.topics.length }, `marsbot is running: open http://${shownHost}:${port}/ to chat`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections would hold close() open; requests in flight still finish.
    server.server.closeIdleConnections();
    await closed;
    await outbox.stop();
    await slack?.stop();
    await store.close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown(signal).catch((err: unknown) => {
        log.error({ err: { message: (err as Error).message } }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
}

main().catch((err: unknown) => {
  // Start-up failures (a knowledge file that does not validate, an unreachable database) end the process.
  createLogger('marsbot').fatal({ err: { name: (err as Error).name, message: (err as Error).message } }, 'marsbot could not start');
  process.exitCode = 1;
  setImmediate(() => process.exit(1));
});
