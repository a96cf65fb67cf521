import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORM_INPUT_IDS } from '../../src/replies/render-adaptive-card';
import { createSqliteStore } from '../../src/storage/sqlite-store';
import type { Store } from '../../src/storage/store';
import { visibleTexts } from '../helpers/adaptive-card-validator';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api';
import { TEST_SIGNING_SECRET } from '../helpers/slack-signing';
import { startMarsbot, type RunningMarsbot } from '../helpers/start-marsbot';
import { waitFor } from '../e2e/support/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../e2e/support/webhook-receiver';

/**
 * The web chat flood: a script posts escalation submits to /api/web/messages as fast as it can,
 * with made-up conversation and user ids. Whatever it does, the tickets it gets are bounded by the
 * caps — counted in the store, at the webhook receiver and in both support channels — and every
 * request it sends gets a reply that says why nothing happened.
 */

const SECRET = 'flood-webhook-secret-0123456789';
const TEAMS_SUPPORT = '19:support-team@thread.tacv2';
const SLACK_SUPPORT = 'CSUPPORT1';
const ATTEMPTS = 200;

let connector: FakeBotConnector;
let slackApi: FakeSlackApi;
let receiver: WebhookReceiver;
let dir: string;
let store: Store;
let bot: RunningMarsbot | undefined;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  slackApi = await startFakeSlackApi();
});
afterAll(async () => {
  await connector.stop();
  await slackApi.close();
});
beforeEach(async () => {
  connector.clear();
  slackApi.reset();
  receiver = await startWebhookReceiver(SECRET);
  dir = mkdtempSync(join(tmpdir(), 'marsbot-flood-'));
  store = createSqliteStore(join(dir, 'marsbot.db'));
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await store.close();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

/** marsbot with both support channels and the webhook, its outbox running; limits as configured (production defaults unless given). */
async function start(env: Record<string, string> = {}): Promise<RunningMarsbot> {
  bot = await startMarsbot({
    store,
    env: {
      RATE_LIMIT_USER_PER_MINUTE: '20',
      RATE_LIMIT_CONVERSATION_PER_MINUTE: '60',
      RATE_LIMIT_ADDRESS_PER_MINUTE: '60',
      SUPPORT_TEAMS_CONVERSATION: JSON.stringify({ serviceUrl: connector.url, channelId: 'msteams', conversation: { id: TEAMS_SUPPORT } }),
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: slackApi.apiUrl,
      SUPPORT_SLACK_CHANNEL: SLACK_SUPPORT,
      ESCALATION_WEBHOOK_URL: receiver.url,
      ESCALATION_WEBHOOK_SECRET: SECRET,
      OUTBOX_POLL_MS: '20',
      OUTBOX_RETRY_BASE_MS: '50',
      ...env,
    },
  });
  await bot.marsbot.startBackground();
  return bot;
}

interface WebAnswer {
  status: number;
  texts: string[];
}

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<WebAnswer> {
  const res = await fetch(`${bot!.url}/api/web/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await res.json()) as { replies?: { card: unknown }[] };
  return { status: res.status, texts: (json.replies ?? []).map((r) => visibleTexts(r.card).join(' ')) };
}

const ids = (n: number) => ({ conversationId: `flood-conversation-${String(n).padStart(4, '0')}`, userId: `flood-user-${String(n).padStart(4, '0')}`, locale: 'en-US' });
// The form as the page sends it: nobody signs in to the web chat, so it carries a name and an e-mail address.
const submit = (n: number) => ({
  ...ids(n),
  value: { marsbot: { type: 'escalate-submit' }, [FORM_INPUT_IDS.description]: `flood ${n}`, [FORM_INPUT_IDS.urgency]: 'high', [FORM_INPUT_IDS.name]: `Flood ${n}`, [FORM_INPUT_IDS.email]: `flood${n}@example.org` },
});
const say = (n: number, text: string) => ({ ...ids(n), text });
/** The first rate-limit notice names the wait; every further limited web request is told it was not read either. */
const isRateLimitNotice = (text: string): boolean => text.startsWith("You're sending messages faster") || text.startsWith('Still too fast');

/** After the outbox has delivered everything: what the attack achieved, as each party counts it. */
async function ticketsEverywhere(): Promise<{ store: number; webhook: number; teamsPosts: number; slackPosts: number }> {
  await waitFor('the outbox to deliver everything', async () => (await store.countOutboxPending()) === 0, { timeoutMs: 20_000 });
  const created = receiver.received.filter((r) => r.event === 'ticket.created' && r.status === 200);
  return {
    store: (await store.listTickets({ limit: 10_000 })).length,
    webhook: new Set(created.map((r) => r.deliveryId)).size,
    teamsPosts: connector.messages(TEAMS_SUPPORT).length,
    slackPosts: slackApi.callsTo('chat.postMessage').filter((c) => c.args['channel'] === SLACK_SUPPORT).length,
  };
}

/** Every answer is a 200 with something to read: never an empty reply, never a silent drop. */
function expectEveryRequestAnswered(answers: WebAnswer[]): void {
  expect(answers.filter((a) => a.status !== 200 || a.texts.length === 0 || a.texts.some((t) => t.trim() === ''))).toEqual([]);
}

describe('the web chat cannot flood support with tickets', () => {
  it('a submit in a conversation that never had a turn makes no ticket (200 at once, the reported attack)', async () => {
    await start();
    const answers = await Promise.all(Array.from({ length: ATTEMPTS }, (_, n) => post(submit(n))));
    expectEveryRequestAnswered(answers);
    const told = answers.flatMap((a) => a.texts);
    expect(told.filter((t) => t.startsWith("Tell me first what's going wrong")).length + told.filter(isRateLimitNotice).length).toBe(ATTEMPTS);
    expect(await ticketsEverywhere()).toEqual({ store: 0, webhook: 0, teamsPosts: 0, slackPosts: 0 });
  });

  it('one address gets at most TICKETS_PER_ADDRESS_PER_HOUR tickets, even with a real turn before each submit and the rate limits off', async () => {
    await start({ RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0', RATE_LIMIT_ADDRESS_PER_MINUTE: '0', TICKETS_PER_ADDRESS_PER_HOUR: '10' });
    const answers = await Promise.all(
      Array.from({ length: ATTEMPTS }, async (_, n) => {
        const first = await post(say(n, 'Error 230006'));
        return [first, await post(submit(n))];
      }),
    );
    expectEveryRequestAnswered(answers.flat());
    const submits = answers.map(([, second]) => second!.texts.join(' '));
    expect(submits.filter((t) => /ticket MARS-\d+/.test(t))).toHaveLength(10);
    expect(submits.filter((t) => t.includes("so I haven't opened another ticket"))).toHaveLength(ATTEMPTS - 10);
    expect(await ticketsEverywhere()).toEqual({ store: 10, webhook: 10, teamsPosts: 10, slackPosts: 10 });
  });

  it('with the default limits the same script gets no more than the caps, however it spreads its requests', async () => {
    await start();
    const answers = await Promise.all(
      Array.from({ length: ATTEMPTS }, async (_, n) => [await post(say(n, 'Error 230006')), await post(submit(n))]),
    );
    expectEveryRequestAnswered(answers.flat());
    const counts = await ticketsEverywhere();
    const refused = answers.flat().filter((a) => a.texts.some(isRateLimitNotice)).length;
    console.info(`ticket flood with the default limits: ${JSON.stringify({ requests: ATTEMPTS * 2, rateLimited: refused, ...counts })}`);
    expect(counts.store).toBeLessThanOrEqual(10);
    expect(counts).toEqual({ store: counts.store, webhook: counts.store, teamsPosts: counts.store, slackPosts: counts.store });
  });

  it('one conversation gets at most TICKETS_PER_CONVERSATION_PER_HOUR tickets', async () => {
    await start({ RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0', RATE_LIMIT_ADDRESS_PER_MINUTE: '0' });
    const submits: WebAnswer[] = [];
    for (let round = 0; round < 8; round++) {
      // A new escalation each round ("talk to a human", then the form), so each submit asks for a new ticket.
      expectEveryRequestAnswered([await post(say(1, 'I want to talk to a human'))]);
      submits.push(await post(submit(1)));
    }
    expectEveryRequestAnswered(submits);
    expect(submits.filter((a) => a.texts.some((t) => /I've created ticket MARS-\d+/.test(t)))).toHaveLength(3);
    expect(await ticketsEverywhere()).toEqual({ store: 3, webhook: 3, teamsPosts: 3, slackPosts: 3 });
  });

  it('a made-up X-Forwarded-For changes nothing unless marsbot is told it sits behind a proxy', async () => {
    await start({ RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0', RATE_LIMIT_ADDRESS_PER_MINUTE: '0', TICKETS_PER_ADDRESS_PER_HOUR: '5' });
    const spoofed = (n: number) => ({ 'X-Forwarded-For': `198.51.100.${n % 250}` });
    await Promise.all(
      Array.from({ length: 40 }, async (_, n) => {
        await post(say(n, 'Error 230006'), spoofed(n));
        await post(submit(n), spoofed(n));
      }),
    );
    expect((await ticketsEverywhere()).store).toBe(5);
  });

  it('behind a trusted proxy (TRUST_PROXY_HOPS=1) each client is capped on its own: a colleague still gets through', async () => {
    await start({ RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_PER_MINUTE: '0', RATE_LIMIT_ADDRESS_PER_MINUTE: '0', TICKETS_PER_ADDRESS_PER_HOUR: '5', TRUST_PROXY_HOPS: '1' });
    // The attacker writes its own entries in front; the proxy appends the address it saw last.
    const attacker = (n: number) => ({ 'X-Forwarded-For': `10.9.8.${n % 250}, 203.0.113.7` });
    await Promise.all(
      Array.from({ length: 40 }, async (_, n) => {
        await post(say(n, 'Error 230006'), attacker(n));
        await post(submit(n), attacker(n));
      }),
    );
    const colleague = { 'X-Forwarded-For': '203.0.113.8' };
    await post(say(500, 'Error 230006'), colleague);
    const answer = await post(submit(500), colleague);
    expect(answer.texts.join(' ')).toMatch(/I've created ticket MARS-\d+/);
    expect((await ticketsEverywhere()).store).toBe(6);
  });
});
