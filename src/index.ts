import type { AddressInfo } from 'node:net';
import { createSlackChannel, type SlackChannel } from './channels/slack/create-slack-channel';
import { createTeamsChannel } from './channels/teams/create-teams-channel';
import { createWebChat } from './channels/web/create-web-chat';
import { ConfigError, loadConfig, type Config } from './config';
import { createEngine } from './conversation/create-engine';
import type { Engine } from './conversation/engine';
import { loadKnowledge } from './knowledge/load-knowledge';
import { createServer } from './server/create-server';
import { createLifecycle, shutDown } from './server/graceful-shutdown';
import { watchStore } from './server/store-health';
import { createGuardedEngine } from './shared/guarded-engine';
import { configureLogging, createLogger } from './shared/logger';
import { createStore } from './storage/create-store';
import { createRetentionSweeper } from './storage/retention-sweeper';
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
  // Watched: a failing call marks the store down for /readyz until a write goes through again.
  const { store, health: storeHealth } = watchStore(
    await createStore({ databaseUrl: config.storage.databaseUrl, sqlitePath: config.storage.sqlitePath }),
    { logger: createLogger('store') },
  );
  const clock = systemClock;

  // Channels, support desk and engine need each other: the channels get the engine through this
  // forwarder and the desk through a getter, both filled in below before the server takes a request.
  let engine: Engine | undefined;
  let support: SupportService | undefined;
  // Every channel goes through the guard: rate limits, the text cap, an apology when a turn fails.
  const engineForChannels: Engine = createGuardedEngine(
    { handle: (inbound) => engine!.handle(inbound) },
    { maxMessageChars: config.maxMessageChars, rateLimits: config.rateLimits, defaultLang: config.defaultLang, logger: createLogger('guard') },
  );

  const teams = createTeamsChannel({
    engine: engineForChannels,
    store,
    logger: createLogger('teams'),
    appId: config.teams.appId,
    appPassword: config.teams.appPassword,
    tenantId: config.teams.tenantId,
    appType: config.teams.appType,
    defaultLang: config.defaultLang,
    logMessageText: config.logMessageText,
    replyTimeoutMs: config.teamsReplyTimeoutMs,
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

  // RETENTION_DAYS=0 keeps everything: then there is nothing to sweep.
  const retention =
    config.retentionDays > 0
      ? createRetentionSweeper({ store, retentionDays: config.retentionDays, clock: () => clock.now(), logger: createLogger('retention') })
      : undefined;

  const lifecycle = createLifecycle();
  const server = createServer({
    teams: (req, res) => teams.handle(req, res),
    slack: slack && config.slack?.signingSecret ? slack.httpHandler : undefined,
    webChat: createWebChat({
      engine: engineForChannels,
      defaultLang: config.defaultLang,
      logMessageText: config.logMessageText,
      logger: createLogger('web'),
    }),
    readiness: { store, storeHealth, knowledgeTopics: () => knowledge.topics.length },
    logger: createLogger('http'),
    requestTimeoutMs: config.http.requestTimeoutMs,
    lifecycle,
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  outbox.start(config.outbox.pollMs);
  retention?.start();
  if (slack && config.slack?.appToken) await slack.startSocketMode();

  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  log.info({ ...describeStartup(config, `http://${shownHost}:${port}`), topics: knowledge.topics.length }, `marsbot is running: open http://${shownHost}:${port}/ to chat`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const code = await shutDown({
      server,
      lifecycle,
      steps: [
        // After the batch it is delivering; what is left waits in the outbox for the next start.
        { name: 'outbox', run: () => outbox.stop() },
        // After the sweep it is running, so the store does not close under it.
        { name: 'retention', run: async () => retention?.stop() },
        { name: 'slack', run: async () => slack?.stop() },
        { name: 'store', run: () => store.close() },
      ],
      timeoutMs: config.http.shutdownTimeoutMs,
      logger: log,
    });
    process.exit(code);
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
