import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { createTeamsChannel, type TeamsChannel, type TeamsCredentials } from '../../src/channels/teams/create-teams-channel';
import type { TicketActions } from '../../src/channels/teams/marsbot-teams-bot';
import { createWebChat } from '../../src/channels/web/create-web-chat';
import { createEngine } from '../../src/conversation/create-engine';
import type { Engine } from '../../src/conversation/engine';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load-knowledge';
import { createServer, type HttpHandler } from '../../src/server/create-server';
import { createLogger } from '../../src/shared/logger';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { Store } from '../../src/storage/store';
import { createMatcher } from '../../src/understanding/create-matcher';

let knowledge: KnowledgeBase | undefined;

/** The real knowledge base, loaded once per test file. */
export function realKnowledge(): KnowledgeBase {
  knowledge ??= loadKnowledge();
  return knowledge;
}

/** The real engine with the real matcher and knowledge, on a fresh memory store. */
export function createRealEngine(store: Store = createMemoryStore()): Engine {
  const kb = realKnowledge();
  return createEngine({ knowledge: kb, matcher: createMatcher(kb), store });
}

export interface RunningMarsbot {
  url: string;
  server: Server;
  store: Store;
  teams: TeamsChannel;
  /** POSTs an activity to /api/messages like the Bot Connector does. */
  postActivity(activity: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export interface StartOptions {
  engine?: Engine;
  store?: Store;
  credentials?: TeamsCredentials;
  slack?: HttpHandler;
  knowledgeTopics?: () => number;
  ticketActions?: TicketActions;
}

/** The HTTP server as src/index.ts builds it, listening on an ephemeral loopback port. */
export async function startMarsbot(options: StartOptions = {}): Promise<RunningMarsbot> {
  const store = options.store ?? createMemoryStore();
  const engine = options.engine ?? createRealEngine(store);
  const logger = createLogger('test');
  const teams = createTeamsChannel({
    engine,
    store,
    logger,
    defaultLang: 'nl',
    ticketActions: () => options.ticketActions,
    ...options.credentials,
  });
  const server = createServer({
    teams: (req, res) => teams.handle(req, res),
    slack: options.slack,
    webChat: createWebChat({ engine, defaultLang: 'nl', logger }),
    readiness: { store, knowledgeTopics: options.knowledgeTopics ?? (() => realKnowledge().topics.length) },
    logger,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    store,
    teams,
    postActivity: (activity, headers = {}) =>
      fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(activity) }),
    async stop() {
      server.server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
