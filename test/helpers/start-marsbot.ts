import type { Logger } from 'pino';
import type { Server } from 'restify';
import type { TeamsChannel, TeamsCredentials } from '../../src/channels/teams/create-teams-channel';
import { loadConfig, type Config } from '../../src/config';
import { createMarsbot, type Marsbot, type MarsbotOverrides } from '../../src/create-marsbot';
import type { Engine } from '../../src/conversation/engine';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load-knowledge';
import type { Lifecycle } from '../../src/server/graceful-shutdown';
import type { StoreHealth } from '../../src/server/store-health';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { Store } from '../../src/storage/store';
import type { Clock } from '../../src/support/clock';

/**
 * marsbot as src/index.ts builds it (src/create-marsbot.ts: guard, engine, support desk, channels,
 * server), listening on an ephemeral loopback port. A test sets configuration the way an operator
 * does, as environment variables, and swaps only what cannot run here: the store (memory), the
 * clock, the Bot Framework's signing keys, or the engine behind the guard (one that fails or waits).
 */

let knowledge: KnowledgeBase | undefined;

/** The real knowledge base, loaded once per test file. */
export function realKnowledge(): KnowledgeBase {
  knowledge ??= loadKnowledge();
  return knowledge;
}

/**
 * The configuration from these environment variables, with the rate limits off (a test sends many
 * turns from one user and one address; the limit tests switch them on) and nothing read from the
 * real environment.
 */
function testConfig(env: Record<string, string | undefined> = {}): Readonly<Config> {
  return loadConfig({
    LOG_LEVEL: 'silent',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_CONVERSATION_PER_MINUTE: '0',
    RATE_LIMIT_ADDRESS_PER_MINUTE: '0',
    RETENTION_DAYS: '0',
    ...env,
  });
}

export interface StartOptions {
  /** Configuration, as environment variables (DEFAULT_LANG, SUPPORT_ADMINS, SLACK_API_URL …). */
  env?: Record<string, string | undefined>;
  store?: Store;
  /** Default: the real knowledge base. */
  knowledge?: KnowledgeBase;
  clock?: Clock;
  /** An engine behind the guard instead of the real one: gets the real one, may ignore it. */
  engine?: (real: Engine) => Engine;
  /** Teams credentials: app id, password and type become configuration; keys and token factory are swapped in. */
  credentials?: TeamsCredentials;
  logger?: Logger;
  /** How often the web chat page polls for its conversation's updates. */
  webPollIntervalMs?: number;
}

export interface RunningMarsbot {
  url: string;
  marsbot: Marsbot;
  server: Server;
  store: Store;
  health: StoreHealth;
  teams: TeamsChannel;
  lifecycle: Lifecycle;
  /** POSTs an activity to /api/messages like the Bot Connector does. */
  postActivity(activity: unknown, headers?: Record<string, string>): Promise<Response>;
  /** POSTs a web chat request to /api/web/messages. */
  postWeb: (body: unknown) => Promise<Response>;
  /** POSTs a signed (or not) Slack request body to /slack/events. */
  postSlack(body: string, headers: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

function credentialsEnv(credentials: TeamsCredentials | undefined): Record<string, string | undefined> {
  if (!credentials) return {};
  return {
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword,
    MicrosoftAppTenantId: credentials.tenantId,
    MicrosoftAppType: credentials.appType,
  };
}

/** marsbot built as the server builds it, not listening: for tests that talk to its engine or support desk directly. */
export async function buildMarsbot(options: StartOptions = {}): Promise<Marsbot> {
  const config = testConfig({ ...credentialsEnv(options.credentials), ...options.env });
  const overrides: MarsbotOverrides = {
    store: options.store ?? createMemoryStore(),
    knowledge: options.knowledge ?? realKnowledge(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.engine ? { wrapEngine: options.engine } : {}),
    ...(options.logger ? { logger: (ns: string) => options.logger!.child({ ns }) } : {}),
    ...(options.webPollIntervalMs ? { webPollIntervalMs: options.webPollIntervalMs } : {}),
    teams: {
      ...(options.credentials?.openIdMetadataUrl ? { openIdMetadataUrl: options.credentials.openIdMetadataUrl } : {}),
      ...(options.credentials?.credentialsFactory ? { credentialsFactory: options.credentials.credentialsFactory } : {}),
    },
  };
  return createMarsbot(config, overrides);
}

export async function startMarsbot(options: StartOptions = {}): Promise<RunningMarsbot> {
  const marsbot = await buildMarsbot(options);
  const url = await marsbot.listen(0, '127.0.0.1');
  const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${url}${path}`, { method: 'POST', headers, body });
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    post(path, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
  return {
    url,
    marsbot,
    server: marsbot.server,
    store: marsbot.store,
    health: marsbot.storeHealth,
    teams: marsbot.teams,
    lifecycle: marsbot.lifecycle,
    postActivity: (activity, headers) => postJson('/api/messages', activity, headers),
    postWeb: (body) => postJson('/api/web/messages', body),
    postSlack: (body, headers) => post('/slack/events', body, headers),
    stop: () => marsbot.close(),
  };
}
