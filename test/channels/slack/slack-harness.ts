import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SlackChannel } from '../../../src/channels/slack/create-slack-channel';
import type { Marsbot } from '../../../src/create-marsbot';
import type { Engine } from '../../../src/conversation/engine';
import type { Store } from '../../../src/storage/store';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api';
import { TEST_SIGNING_SECRET } from '../../helpers/slack-signing';
import { startMarsbot } from '../../helpers/start-marsbot';

/**
 * marsbot with Slack switched on the way an operator does it (bot token, signing secret, the Web API
 * pointed at a recording fake), built by the composition root with everything else real: the
 * restify server with its body parsing, bolt behind our receiver, the guard, the engine, the
 * support desk, the memory store.
 */
export interface SlackHarness {
  /** POST url of /slack/events */
  url: string;
  api: FakeSlackApi;
  store: Store;
  channel: SlackChannel;
  marsbot: Marsbot;
  /** The same marsbot's web chat endpoint (POST /api/web/messages). */
  postWeb: (body: unknown) => Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** An engine behind the guard instead of the real one (a recording fake, a failing one). */
  engine?: (real: Engine) => Engine;
  store?: Store;
  /** SUPPORT_SLACK_CHANNEL. */
  supportChannel?: string;
  /** More configuration, as environment variables. */
  env?: Record<string, string>;
  /** Mount the Slack handler alone on a plain node:http server, with no body parsing in front. */
  bareServer?: boolean;
  api?: FakeSlackApi;
}

const SLACK_BOT_TOKEN = 'xoxb-test-token';

export async function startSlackHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  const api = options.api ?? (await startFakeSlackApi());
  const bot = await startMarsbot({
    env: {
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: api.apiUrl,
      ...(options.supportChannel ? { SUPPORT_SLACK_CHANNEL: options.supportChannel } : {}),
      ...options.env,
    },
    ...(options.store ? { store: options.store } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
  });
  const channel = bot.marsbot.slack!;
  let bare: HttpServer | undefined;
  let url = `${bot.url}/slack/events`;
  if (options.bareServer) {
    bare = createHttpServer((req, res) => void channel.httpHandler(req, res));
    await new Promise<void>((resolve) => bare!.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/slack/events`;
  }

  return {
    url,
    api,
    store: bot.store,
    channel,
    marsbot: bot.marsbot,
    postWeb: bot.postWeb,
    async close() {
      // Let turns still in flight post their last message: a post to a closed fake would be retried for minutes.
      await settle(api);
      if (bare) await new Promise<void>((resolve) => bare.close(() => resolve()));
      await bot.stop();
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
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node && typeof node === 'object') {
      if ((node.type === 'mrkdwn' || node.type === 'plain_text') && typeof node.text === 'string') parts.push(node.text);
      Object.values(node).forEach(visit);
    }
  };
  visit(message.blocks ?? []);
  return parts.join('\n');
}

/**
 * The buttons of a posted message, with their payload values: those in actions blocks and those
 * beside a section's text (a choice too long for a button). `text`: what the user reads for it.
 */
export function buttonsOf(message: { blocks?: any[] }): { label: string; actionId: string; blockId?: string; value: string; text: string }[] {
  return (message.blocks ?? []).flatMap((b: any) => {
    if (b.type === 'actions') return b.elements.map((e: any) => ({ label: e.text?.text, actionId: e.action_id, blockId: b.block_id, value: e.value, text: e.text?.text }));
    if (b.type === 'section' && b.accessory?.type === 'button') {
      const e = b.accessory;
      return [{ label: e.text?.text, actionId: e.action_id, blockId: b.block_id, value: e.value, text: b.text?.text }];
    }
    return [];
  });
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
