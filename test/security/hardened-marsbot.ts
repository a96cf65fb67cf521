import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import { createTeamsChannel, type TeamsChannel, type TeamsCredentials } from '../../src/channels/teams/create-teams-channel';
import { createWebChat } from '../../src/channels/web/create-web-chat';
import type { Engine } from '../../src/conversation/engine';
import { createServer } from '../../src/server/create-server';
import { createLifecycle, type Lifecycle } from '../../src/server/graceful-shutdown';
import { watchStore, type StoreHealth } from '../../src/server/store-health';
import { createGuardedEngine } from '../../src/shared/guarded-engine';
import { createLogger } from '../../src/shared/logger';
import type { RateLimit } from '../../src/shared/rate-limiter';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { Store } from '../../src/storage/store';
import { createRealEngine, realKnowledge } from '../helpers/start-marsbot';

/**
 * The HTTP side of marsbot composed the way src/index.ts composes it with the hardening in place:
 * the store watched for /readyz, the guarded engine (rate limits, text cap, friendly failure) in
 * front of the engine for every channel, request timeouts and a shutdown lifecycle on the server.
 */

export interface HardenedOptions {
  store?: Store;
  /** Builds the engine on the (watched) store; default: the real engine with the real knowledge. */
  engine?: (store: Store) => Engine;
  credentials?: TeamsCredentials;
  maxMessageChars?: number;
  rateLimits?: { user: RateLimit; conversation: RateLimit };
  clock?: () => number;
  requestTimeoutMs?: number;
  timeoutCheckIntervalMs?: number;
  replyTimeoutMs?: number;
  logger?: Logger;
  logMessageText?: boolean;
}

export interface HardenedMarsbot {
  url: string;
  server: Server;
  store: Store;
  health: StoreHealth;
  teams: TeamsChannel;
  lifecycle: Lifecycle;
  postActivity(activity: unknown, headers?: Record<string, string>): Promise<Response>;
  postWeb(body: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export const NO_LIMITS = { user: { perMinute: 0, burst: 1 }, conversation: { perMinute: 0, burst: 1 } };

export async function startHardenedMarsbot(options: HardenedOptions = {}): Promise<HardenedMarsbot> {
  const logger = options.logger ?? createLogger('test');
  const { store, health } = watchStore(options.store ?? createMemoryStore(), { logger });
  const engine = createGuardedEngine((options.engine ?? createRealEngine)(store), {
    maxMessageChars: options.maxMessageChars ?? 4000,
    rateLimits: options.rateLimits ?? NO_LIMITS,
    defaultLang: 'nl',
    logger,
    clock: options.clock,
  });
  const lifecycle = createLifecycle();
  const teams = createTeamsChannel({
    engine,
    store,
    logger,
    defaultLang: 'nl',
    logMessageText: options.logMessageText,
    replyTimeoutMs: options.replyTimeoutMs,
    ...options.credentials,
  });
  const server = createServer({
    teams: (req, res) => teams.handle(req, res),
    webChat: createWebChat({ engine, defaultLang: 'nl', logger, logMessageText: options.logMessageText }),
    readiness: { store, storeHealth: health, knowledgeTopics: () => realKnowledge().topics.length },
    logger,
    requestTimeoutMs: options.requestTimeoutMs,
    timeoutCheckIntervalMs: options.timeoutCheckIntervalMs,
    lifecycle,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return {
    url,
    server,
    store,
    health,
    teams,
    lifecycle,
    postActivity: (activity, headers) => post('/api/messages', activity, headers),
    postWeb: (body) => post('/api/web/messages', body),
    async stop() {
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A web chat request body; ids must be 8–80 word characters. */
export function webMessage(text: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { conversationId: 'conversation-0001', userId: 'user-000001', text, locale: 'en-US', ...overrides };
}

export interface WebReply {
  kind: string;
  lang: string;
  card: { body: unknown[] };
}

export async function webReplies(res: Response): Promise<WebReply[]> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { replies: WebReply[] }).replies;
}
