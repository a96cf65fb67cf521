import type { Logger } from 'pino';
import type { Server } from 'restify';
import { createSlackChannel, type SlackChannel } from './channels/slack/create-slack-channel';
import { REFERENCE_KEY_PREFIX } from './channels/teams/conversation-references';
import { createTeamsChannel, type TeamsChannel, type TeamsCredentials } from './channels/teams/create-teams-channel';
import { createWebChat, type WebChat } from './channels/web/create-web-chat';
import { createWebUpdates, WEB_UPDATES_KEY_PREFIX } from './channels/web/web-updates';
import type { Config } from './config';
import { createEngine } from './conversation/create-engine';
import type { Engine } from './conversation/engine';
import { createGuardedEngine } from './conversation/guarded-engine';
import { CONVERSATION_KEY_PREFIX } from './conversation/ports';
import { loadKnowledge, type KnowledgeBase } from './knowledge/load-knowledge';
import { createServer } from './server/create-server';
import { createLifecycle, type Lifecycle, type ShutdownStep } from './server/graceful-shutdown';
import { watchStore, type StoreHealth } from './server/store-health';
import { createLogger } from './shared/logger';
import { createStore } from './storage/create-store';
import { createRetentionSweeper, type RetentionSweeper } from './storage/retention-sweeper';
import { createSharedRateLimits } from './storage/shared-rate-limits';
import type { IdleDocuments, Store } from './storage/store';
import { systemClock, type Clock } from './support/clock';
import { createSupportDesk, type SupportService } from './support/create-support-desk';
import { createNotifyHandlers } from './support/notify-handlers';
import { createOutboxWorker, type OutboxHandler, type OutboxWorker } from './support/outbox-worker';
import { createSupportActions, type SupportActions } from './support/support-actions';
import { createSupportChannels, type SupportChannels } from './support/support-channels';
import type { ChannelNotifier } from './support/support-desk';
import { createTicketPosts } from './support/ticket-posts';
import { createSharedTicketQuota, createTicketQuota } from './support/ticket-quota';
import { createWebhookHandler } from './support/webhook-delivery';
import { createMatcher } from './understanding/create-matcher';
import type { Matcher } from './understanding/understanding';

/**
 * The composition root: everything marsbot runs, built from the validated configuration. The
 * server (src/index.ts), the CLI and every test harness build marsbot here, so tests run the
 * production wiring — the guard in front of the engine included — and swap only what cannot run
 * here, through `overrides`.
 */

/** What a caller may swap: things that cannot run here (the store, the clock, Bot Framework keys), never the wiring. */
export interface MarsbotOverrides {
  /** Default: the store the configuration names (PostgreSQL or SQLite). A given store is not closed by close(). */
  store?: Store;
  knowledge?: KnowledgeBase;
  matcher?: Matcher;
  /** Time for tickets, the outbox, retention, rate limits and conversations. */
  clock?: Clock;
  /** Wraps the engine inside the guard: a test's engine that fails, or is slow. */
  wrapEngine?: (engine: Engine) => Engine;
  /** Teams credentials the environment cannot give (a test's signing keys or token factory). */
  teams?: Pick<TeamsCredentials, 'openIdMetadataUrl' | 'credentialsFactory'>;
  /** Where each module logs (default: the process's pino logger). */
  logger?: (namespace: string) => Logger;
  /** How often an open web chat page asks for its conversation's updates (tests: often). */
  webPollIntervalMs?: number;
}

export interface Marsbot {
  readonly config: Readonly<Config>;
  readonly knowledge: KnowledgeBase;
  /** The store, watched for /readyz. */
  readonly store: Store;
  readonly storeHealth: StoreHealth;
  /** The guarded engine: what every channel and the CLI hand their events to. */
  readonly engine: Engine;
  readonly support: SupportService;
  readonly supportActions: SupportActions;
  readonly supportChannels: SupportChannels;
  readonly teams: TeamsChannel;
  readonly slack?: SlackChannel;
  readonly webChat: WebChat;
  readonly server: Server;
  readonly outbox: OutboxWorker;
  readonly retention?: RetentionSweeper;
  readonly lifecycle: Lifecycle;
  /** Listens on the port and host (port 0: an ephemeral one) and returns the base URL. */
  listen(port: number, host: string): Promise<string>;
  /** The background work: the outbox loop, the retention sweeps, Slack's Socket Mode. */
  startBackground(): Promise<void>;
  /** What a graceful shutdown runs once the HTTP server has closed, in order. */
  shutdownSteps(): ShutdownStep[];
  /** Stops everything at once (tests, the CLI); a signal goes through shutDown() with shutdownSteps(). */
  close(): Promise<void>;
}

/** Retry delays level off here however many times a delivery failed. */
const OUTBOX_RETRY_MAX_MS = 10 * 60_000;
/** A webhook call may take this long at most; it also stays under half the outbox lease. */
const OUTBOX_BATCH = 20;

/** The documents retention deletes once a conversation is idle: its state, its Teams reference, a web chat's updates. */
export const IDLE_DOCUMENTS: IdleDocuments = { conversations: CONVERSATION_KEY_PREFIX, references: REFERENCE_KEY_PREFIX, webUpdates: WEB_UPDATES_KEY_PREFIX };

export async function createMarsbot(config: Readonly<Config>, overrides: MarsbotOverrides = {}): Promise<Marsbot> {
  const logger = overrides.logger ?? createLogger;
  const clock = overrides.clock ?? systemClock;
  const now = (): number => clock.now();
  const { defaultLang } = config;

  const knowledge = overrides.knowledge ?? loadKnowledge();
  const matcher = overrides.matcher ?? createMatcher(knowledge, { defaultLang });
  const ownsStore = overrides.store === undefined;
  // Watched: a failing call marks the store down for /readyz until a write goes through again.
  const { store, health: storeHealth } = watchStore(
    overrides.store ?? (await createStore({ databaseUrl: config.storage.databaseUrl, sqlitePath: config.storage.sqlitePath })),
    { logger: logger('store') },
  );

  // Channels need the engine and the support desk needs the channels' notifiers: the channels get
  // the engine through this forwarder; \`core\` is made below, before the server takes a request.
  const forward: Engine = { handle: (inbound) => core.handle(inbound) };
  // Every channel goes through the guard: rate limits, the text cap, an apology when a turn fails.
  // With PostgreSQL the buckets and ticket windows live in the database, so N instances allow the limit once.
  const sharedLimits = store.sharedLimits;
  const engine = createGuardedEngine(overrides.wrapEngine ? overrides.wrapEngine(forward) : forward, {
    maxMessageChars: config.maxMessageChars,
    rateLimits: config.rateLimits,
    ...(sharedLimits ? { limits: createSharedRateLimits(sharedLimits, config.rateLimits, now) } : {}),
    defaultLang,
    logger: logger('guard'),
    clock: now,
  });

  const teams = createTeamsChannel({
    engine,
    store,
    logger: logger('teams'),
    appId: config.teams.appId,
    appPassword: config.teams.appPassword,
    tenantId: config.teams.tenantId,
    appType: config.teams.appType,
    serviceUrlHosts: config.teams.serviceUrlHosts,
    ...overrides.teams,
    defaultLang,
    logMessageText: config.logMessageText,
    replyTimeoutMs: config.teamsReplyTimeoutMs,
  });
  const slack = config.slack
    ? createSlackChannel({
        engine,
        store,
        defaultLang,
        // Socket Mode needs no signing secret: nothing reaches us over HTTP then.
        signingSecret: config.slack.signingSecret ?? '',
        botToken: config.slack.botToken,
        appToken: config.slack.appToken,
        apiUrl: config.slack.apiUrl,
        logger: logger('slack'),
        now,
      })
    : undefined;

  // The web chat hears of its tickets too: the page fetches what reached its conversation.
  const webUpdates = createWebUpdates({ store, clock: now });
  const notifiers: ChannelNotifier[] = [teams.notifier, ...(slack ? [slack.notifier] : []), webUpdates.notifier];
  const supportChannels = createSupportChannels({
    store,
    notifiers,
    configured: {
      ...(config.teams.supportConversation ? { teams: config.teams.supportConversation } : {}),
      ...(config.slack?.supportChannel ? { slack: { channel: config.slack.supportChannel } } : {}),
    },
  });
  const posts = createTicketPosts(store);
  const support = createSupportDesk({ store, notifiers, supportChannels, clock, defaultLang, webhook: config.escalationWebhook, logger: logger('support') });
  const supportActions = createSupportActions({
    desk: support,
    store,
    supportChannels,
    posts,
    admins: new Set(config.supportAdmins),
    defaultLang,
    clock,
    logger: logger('support'),
  });
  const ticketQuota = sharedLimits
    ? createSharedTicketQuota(sharedLimits, { ...config.ticketLimits, clock: now })
    : createTicketQuota({ ...config.ticketLimits, clock: now });
  const core = createEngine({ knowledge, matcher, conversations: store, supportDesk: support, supportActions, ticketQuota, defaultLang, clock: now });

  const handlers: Record<string, OutboxHandler> = { ...createNotifyHandlers({ notifiers, supportChannels, posts }) };
  if (config.escalationWebhook) {
    handlers['webhook'] = createWebhookHandler({
      url: config.escalationWebhook.url,
      secret: config.escalationWebhook.secret,
      clock,
      // Well under the lease, so a slow receiver is not sent the same event by a second attempt.
      timeoutMs: Math.min(config.escalationWebhook.timeoutMs, Math.floor(config.outbox.leaseMs / 2)),
      logger: logger('webhook'),
    });
  }
  const outbox = createOutboxWorker({
    store,
    handlers,
    clock,
    backoff: { baseMs: config.outbox.retryBaseMs, maxMs: Math.max(OUTBOX_RETRY_MAX_MS, config.outbox.retryBaseMs) },
    leaseMs: config.outbox.leaseMs,
    batch: OUTBOX_BATCH,
    logger: logger('outbox'),
  });

  // RETENTION_DAYS=0 keeps everything: then there is nothing to sweep.
  const retention =
    config.retentionDays > 0
      ? createRetentionSweeper({ store, idle: IDLE_DOCUMENTS, retentionDays: config.retentionDays, clock: now, logger: logger('retention') })
      : undefined;

  const webChat = createWebChat({
    engine,
    defaultLang,
    logMessageText: config.logMessageText,
    logger: logger('web'),
    updates: webUpdates,
    ...(overrides.webPollIntervalMs ? { pollIntervalMs: overrides.webPollIntervalMs } : {}),
  });
  const lifecycle = createLifecycle();
  const server = createServer({
    teams: (req, res) => teams.handle(req, res),
    slack: slack && config.slack?.signingSecret ? slack.httpHandler : undefined,
    webChat,
    readiness: { store, storeHealth, knowledgeTopics: () => knowledge.topics.length, supportChannels: async () => (await supportChannels.all()).map((c) => c.channel) },
    logger: logger('http'),
    requestTimeoutMs: config.http.requestTimeoutMs,
    trustProxyHops: config.http.trustProxyHops,
    lifecycle,
  });

  const shutdownSteps = (): ShutdownStep[] => [
    // After the batch it is delivering; what is left waits in the outbox for the next start.
    { name: 'outbox', run: () => outbox.stop() },
    // After the sweep it is running, so the store does not close under it.
    { name: 'retention', run: async () => retention?.stop() },
    { name: 'slack', run: async () => slack?.stop() },
    { name: 'store', run: async () => (ownsStore ? store.close() : undefined) },
  ];

  return {
    config,
    knowledge,
    store,
    storeHealth,
    engine,
    support,
    supportActions,
    supportChannels,
    teams,
    ...(slack ? { slack } : {}),
    webChat,
    server,
    outbox,
    ...(retention ? { retention } : {}),
    lifecycle,
    async listen(port, host) {
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      return `http://${shownHost}:${address.port}`;
    },
    async startBackground() {
      outbox.start(config.outbox.pollMs);
      retention?.start();
      if (slack && config.slack?.appToken) await slack.startSocketMode();
    },
    shutdownSteps,
    async close() {
      if (server.server.listening) {
        server.server.closeAllConnections();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
      }
      for (const step of shutdownSteps()) await step.run();
    },
  };
}
