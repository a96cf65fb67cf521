import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../src/storage/sqlite-store';
import type { Store, Ticket } from '../../src/storage/store';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { runCli, startMarsbotProcess, type MarsbotProcess } from './support/marsbot-process';
import { ESCALATION_FORM, reachEscalationForm, ticketIdIn } from './support/teams-escalation';
import { TeamsConversation } from './support/teams-conversation';
import { waitFor } from './support/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

/**
 * marsbot is SIGKILLed in the middle of an escalation and started again on the same SQLite file.
 * Whatever the moment of the crash, afterwards there is exactly one ticket, the webhook receiver
 * accepted its ticket.created exactly once, the support channel got it once, and the user's thread
 * names the ticket.
 */

const SECRET = 'e2e-webhook-secret-0123456789';
const SUPPORT_CHANNEL = '19:support-team@thread.tacv2';

let connector: FakeBotConnector;
let receiver: WebhookReceiver;
let dir: string;
let bot: MarsbotProcess | undefined;
let store: Store | undefined;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
});
afterAll(async () => {
  await connector.stop();
});
beforeEach(async () => {
  connector.clear();
  receiver = await startWebhookReceiver(SECRET);
  dir = mkdtempSync(join(tmpdir(), 'marsbot-crash-e2e-'));
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await bot?.stop();
  bot = undefined;
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

function settings(): Record<string, string> {
  return {
    SQLITE_PATH: join(dir, 'marsbot.db'),
    ESCALATION_WEBHOOK_URL: receiver.url,
    ESCALATION_WEBHOOK_SECRET: SECRET,
    SUPPORT_ADMINS: '29:lead',
    // Fast polling and retries, and a short lease so a delivery cut off by the crash is retried within seconds.
    OUTBOX_POLL_MS: '50',
    OUTBOX_RETRY_BASE_MS: '100',
    OUTBOX_LEASE_MS: '2000',
  };
}

async function start(): Promise<MarsbotProcess> {
  bot = await startMarsbotProcess(settings(), dir);
  return bot;
}

const botUrl = (): string => {
  if (!bot) throw new Error('marsbot is not running');
  return bot.url;
};

/** The same SQLite file the server uses, opened from the test: how much is still waiting to go out. */
async function pendingDeliveries(): Promise<number> {
  store ??= createSqliteStore(settings()['SQLITE_PATH']!);
  return store.countOutboxPending();
}

/** What the support lead sees: `marsbot tickets export --format json` on the same database. */
function ticketsFromCli(): Ticket[] {
  return JSON.parse(runCli(['tickets', 'export', '--format', 'json'], settings(), dir)) as Ticket[];
}

async function supportChannelSet(): Promise<TeamsConversation> {
  const support = new TeamsConversation(connector, botUrl, {
    conversationId: `${SUPPORT_CHANNEL};messageid=1700000000100`,
    conversationType: 'channel',
    from: { id: '29:lead', name: 'Sanne Support' },
  });
  await support.send({ text: 'set support channel', mentionBot: true });
  return support;
}

function createdDeliveries(): WebhookReceiver['received'] {
  return receiver.received.filter((r) => r.event === 'ticket.created');
}

/** After recovery: nothing left to send, and every count a user or receiver would notice is one. */
async function expectDeliveredExactlyOnce(user: TeamsConversation, support: TeamsConversation): Promise<string> {
  await waitFor('the outbox to be empty after the restart', async () => (await pendingDeliveries()) === 0, {
    details: () => bot?.output() ?? '',
  });
  const tickets = ticketsFromCli();
  expect(tickets).toHaveLength(1);
  const ticketId = tickets[0]!.id;
  expect(tickets[0]).toMatchObject({ channel: 'teams', conversationId: user.id, urgency: 'high', description: ESCALATION_FORM.escalationDescription });

  // Retries of one event carry one delivery id, and the receiver said 2xx to it exactly once.
  const created = createdDeliveries();
  expect(new Set(created.map((r) => r.deliveryId)).size).toBe(1);
  expect([...receiver.acceptedPerDelivery('ticket.created').values()]).toEqual([1]);
  expect(created.every((r) => r.signatureValid && r.body.ticket.id === ticketId)).toBe(true);

  // The support channel got the ticket once, with its Claim button.
  const posts = support.messages().filter((m) => JSON.stringify(m.activity).includes(`"ticket":"${ticketId}"`));
  expect(posts).toHaveLength(1);
  return ticketId;
}

describe('escalation survives a crash (SIGKILL) and a restart on the same SQLite file', () => {
  it('while the webhook receiver is down and ticket.created is being retried', async () => {
    receiver.setMode('unavailable');
    await start();
    const support = await supportChannelSet();
    const user = new TeamsConversation(connector, botUrl, { conversationId: 'a:crash-while-retrying' });
    const submit = await reachEscalationForm(user);
    const confirmation = await user.press(submit, ESCALATION_FORM);
    const ticketId = ticketIdIn(confirmation.map((m) => JSON.stringify(m.activity)));

    // The support post went out and was recorded as sent; the webhook keeps being refused.
    await waitFor('ticket.created refused twice while the support post is done', async () =>
      createdDeliveries().length >= 2 && (await pendingDeliveries()) === 1,
    );
    await bot!.crash();

    receiver.setMode('accept');
    await start();
    expect(await expectDeliveredExactlyOnce(user, support)).toBe(ticketId);
    expect(createdDeliveries().filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(2);
    // The user saw the confirmation naming the ticket, once.
    expect(user.texts().filter((text) => text.includes(ticketId))).toHaveLength(1);
  });

  it('while ticket.created is in flight (the receiver has the request but has not answered)', async () => {
    receiver.setMode('hold');
    await start();
    const support = await supportChannelSet();
    const user = new TeamsConversation(connector, botUrl, { conversationId: 'a:crash-in-flight' });
    const submit = await reachEscalationForm(user);
    const ticketId = ticketIdIn((await user.press(submit, ESCALATION_FORM)).map((m) => JSON.stringify(m.activity)));

    await waitFor('ticket.created to be in flight while the support post is done', async () =>
      createdDeliveries().length === 1 && (await pendingDeliveries()) === 1,
    );
    await bot!.crash();

    receiver.setMode('accept');
    await start();
    expect(await expectDeliveredExactlyOnce(user, support)).toBe(ticketId);
    // Sent again after the lease ran out, with the same delivery id: once unanswered, once accepted.
    expect(createdDeliveries().map((r) => r.status)).toEqual([undefined, 200]);
    expect(user.texts().filter((text) => text.includes(ticketId))).toHaveLength(1);
  });

  it('after the ticket was written but before the confirmation reached the user', async () => {
    // The Bot Connector that receives the confirmation never answers, so the turn is stuck right after the
    // ticket (with its notifications) was committed and the conversation state was saved.
    const stuck = await startSilentConnector();
    try {
      receiver.setMode('unavailable');
      await start();
      const support = await supportChannelSet();
      const user = new TeamsConversation(connector, botUrl, { conversationId: 'a:crash-before-confirmation' });
      const submit = await reachEscalationForm(user);
      const submitActivity = user.activity({ value: { ...(submit.data as object), ...ESCALATION_FORM } }, stuck.url);
      void user.deliver(submitActivity).catch(() => undefined);

      await waitFor('the confirmation to be on its way to the user', () => stuck.bodies.some((body) => /MARS-\d+/.test(body)));
      await waitFor('the support post to be sent', async () => (await pendingDeliveries()) <= 1);
      await bot!.crash();
      expect(user.texts().some((text) => /MARS-\d+/.test(text))).toBe(false);

      receiver.setMode('accept');
      await start();
      // The Bot Connector delivers the unanswered submit again: it must not make a second ticket.
      expect(await user.deliver({ ...submitActivity, serviceUrl: connector.url })).toBe(200);
      const ticketId = await expectDeliveredExactlyOnce(user, support);

      // The user, seeing no confirmation, presses Submit again: same ticket, and now they are told.
      const answer = await user.press(submit, ESCALATION_FORM);
      expect(answer.map((m) => JSON.stringify(m.activity)).join(' ')).toContain(ticketId);
      expect(ticketsFromCli()).toHaveLength(1);
      expect([...receiver.acceptedPerDelivery('ticket.created').values()]).toEqual([1]);
    } finally {
      await stuck.close();
    }
  });
});

/** A Bot Connector that reads what the bot posts and never answers. */
async function startSilentConnector(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => bodies.push(Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    bodies,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
