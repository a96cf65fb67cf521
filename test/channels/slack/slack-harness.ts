import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { createSlackChannel, type SlackChannel } from '../../../src/channels/slack/create-slack-channel';
import type { TicketActions } from '../../../src/channels/slack/listeners/ticket-actions';
import { createEngine } from '../../../src/conversation/create-engine';
import type { Engine } from '../../../src/conversation/engine';
import { loadKnowledge, type KnowledgeBase } from '../../../src/knowledge/load-knowledge';
import { loadRestify } from '../../../src/server/load-restify';
import { createLogger } from '../../../src/shared/logger';
import { createMemoryStore } from '../../../src/storage/memory-store';
import type { Store } from '../../../src/storage/store';
import type { SupportDesk } from '../../../src/support/support-desk';
import { createMatcher } from '../../../src/understanding/create-matcher';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api';
import { TEST_SIGNING_SECRET } from '../../helpers/slack-signing';

/**
 * The Slack channel as it runs: bolt behind our receiver on a real restify server (with the body
 * parser in front, as in production), the Web API pointed at a recording fake, the real engine,
 * matcher, knowledge base and memory store unless a test swaps the engine.
 */
export interface SlackHarness {
  /** POST url of /slack/events */
  url: string;
  api: FakeSlackApi;
  store: Store;
  channel: SlackChannel;
  close(): Promise<void>;
}

export interface HarnessOptions {
  engine?: Engine;
  store?: Store;
  supportDesk?: SupportDesk;
  supportChannel?: string;
  ticketActions?: TicketActions;
  /** Mount the handler without restify's body parser in front. */
  bareServer?: boolean;
  api?: FakeSlackApi;
}

let knowledge: KnowledgeBase | undefined;

export function realEngine(store: Store, supportDesk?: SupportDesk): Engine {
  knowledge ??= loadKnowledge();
  return createEngine({ knowledge, matcher: createMatcher(knowledge), store, ...(supportDesk ? { supportDesk } : {}) });
}

export async function startSlackHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  const api = options.api ?? (await startFakeSlackApi());
  const store = options.store ?? createMemoryStore();
  const engine = options.engine ?? realEngine(store, options.supportDesk);
  const channel = createSlackChannel({
    engine,
    store,
    signingSecret: TEST_SIGNING_SECRET,
    botToken: 'xoxb-test-token',
    apiUrl: api.apiUrl,
    logger: createLogger('slack-test'),
    ...(options.supportChannel ? { supportChannel: options.supportChannel } : {}),
    ...(options.ticketActions ? { ticketActions: options.ticketActions } : {}),
  });

  const restify = loadRestify();
  const server: Server = restify.createServer({ handleUncaughtExceptions: false });
  if (options.bareServer) server.post('/slack/events', channel.httpHandler);
  else server.post('/slack/events', restify.plugins.bodyParser({ mapParams: false }), channel.httpHandler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    api,
    store,
    channel,
    async close() {
      // Let turns still in flight post their last message: a post to a closed fake would be retried for minutes.
      await settle(api);
      await channel.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.api) await api.close();
    },
  };
}

/** Resolves once the fake has seen no new traffic for a moment. */
export async function settle(api: FakeSlackApi, quietMs = 150): Promise<void> {
  let seen = -1;
  for (;;) {
    const now = api.calls.length + api.responsePosts.length;
    if (now === seen) return;
    seen = now;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

/** The text a user would read in a posted message: every mrkdwn and plain text in its blocks. */
export function visibleText(message: { blocks?: any[]; text?: string }): string {
  const parts: string[] = [];
  const visit = (node: any) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node && typeof node === 'object') {
      if ((node.type === 'mrkdwn' || node.type === 'plain_text') && typeof node.text === 'string') parts.push(node.text);
      Object.values(node).forEach(visit);
    }
  };
  visit(message.blocks ?? []);
  return parts.join('\n');
}

/** The buttons of a posted message, with their decoded payload values. */
export function buttonsOf(message: { blocks?: any[] }): { label: string; actionId: string; blockId?: string; value: string }[] {
  return (message.blocks ?? [])
    .filter((b: any) => b.type === 'actions')
    .flatMap((b: any) => b.elements.map((e: any) => ({ label: e.text?.text, actionId: e.action_id, blockId: b.block_id, value: e.value })));
}

/** The replies one posted message holds, in order: a turn's replies share a message, a divider between each two. */
export function repliesIn(message: { blocks?: any[] }): { blocks: any[] }[] {
  const parts: { blocks: any[] }[] = [{ blocks: [] }];
  for (const block of message.blocks ?? []) {
    if (block.type === 'divider') parts.push({ blocks: [] });
    else parts[parts.length - 1]!.blocks.push(block);
  }
  return parts;
}
