import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createSupportChannels } from '../../src/support/support-channels';
import { createTicketPosts } from '../../src/support/ticket-posts';
import { createSupportDesk } from '../../src/support/create-support-desk';
import { createNotifyHandlers } from '../../src/support/notify-handlers';
import { createOutboxWorker } from '../../src/support/outbox-worker';
import {
  createWebhookHandler,
  signWebhookBody,
  verifyWebhookSignature,
  type WebhookBody,
} from '../../src/support/webhook-delivery';
import type { OutboxMessage, Ticket } from '../../src/storage/store';
import { FakeClock } from '../helpers/fake-clock';
import { FakeChannelNotifier, ticketInput } from './ticket-fixtures';

const SECRET = 'whsec-test-9f8e7d';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A webhook receiver on 127.0.0.1 that answers with whatever `answer` says for the nth request. */
async function startReceiver(answer: (n: number) => number | 'hang'): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = answer(received.length);
      if (status === 'hang') return; // never answers
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      // Not res.writeHead(…).end(): restify, loaded by other suites in the same worker, patches writeHead without returning res.
      res.statusCode = status;
      res.setHeader('Content-Type', 'text/plain');
      res.end(status === 200 ? 'ok' : 'busy');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/marsbot`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const header = (r: Received, name: string): string => String(r.headers[name]);

describe('webhook delivery over real HTTP', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('delivers every ticket event exactly once and in order per ticket while the receiver answers 503 at first', async () => {
    receiver = await startReceiver((n) => (n < 4 ? 503 : 200));
    const store = createMemoryStore();
    const clock = new FakeClock();
    const notifiers = [new FakeChannelNotifier('teams')];
    const supportChannels = createSupportChannels({ store, notifiers, configured: { teams: { place: 'TEAMS-SUPPORT' } } });
    const desk = createSupportDesk({ store, notifiers, supportChannels, clock, defaultLang: 'nl', webhook: { url: receiver.url, secret: SECRET } });
    const worker = createOutboxWorker({
      store,
      clock,
      handlers: { ...createNotifyHandlers({ notifiers, supportChannels, posts: createTicketPosts(store) }), webhook: createWebhookHandler({ url: receiver.url, secret: SECRET, clock }) },
      backoff: { baseMs: 1_000, maxMs: 30_000 },
      leaseMs: 60_000,
      batch: 10,
    });

    const tickets: Ticket[] = [];
    for (const key of ['k1', 'k2', 'k3']) tickets.push((await desk.escalate(ticketInput({ idempotencyKey: key }))).ticket);
    await desk.claim(tickets[0]!.id, 'Piet Jansen');
    await desk.resolve(tickets[0]!.id, 'Piet Jansen');
    await desk.claim(tickets[2]!.id, 'Kees');
    await desk.escalate(ticketInput({ idempotencyKey: 'k1' })); // a retry: no new event

    for (let i = 0; i < 30 && (await store.countOutboxPending()) > 0; i += 1) {
      await worker.runOnce();
      clock.advance(30_000);
    }
    expect(await store.countOutboxPending()).toBe(0);

    // Count raw 2xx deliveries per delivery id: a duplicate must show up here, not be deduped away.
    const ok = receiver.received.filter((r) => r.status === 200);
    const perDelivery = new Map<string, number>();
    for (const r of ok) perDelivery.set(header(r, 'x-marsbot-delivery'), (perDelivery.get(header(r, 'x-marsbot-delivery')) ?? 0) + 1);
    expect([...perDelivery.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(receiver.received.filter((r) => r.status === 503)).toHaveLength(4);

    const eventsOf = (id: string): string[] =>
      ok.map((r) => JSON.parse(r.body) as WebhookBody).filter((b) => b.ticket.id === id).map((b) => b.event);
    expect(eventsOf(tickets[0]!.id)).toEqual(['ticket.created', 'ticket.claimed', 'ticket.resolved']);
    expect(eventsOf(tickets[1]!.id)).toEqual(['ticket.created']);
    expect(eventsOf(tickets[2]!.id)).toEqual(['ticket.created', 'ticket.claimed']);

    for (const r of ok) {
      const body = JSON.parse(r.body) as WebhookBody;
      expect(header(r, 'content-type')).toBe('application/json');
      expect(header(r, 'x-marsbot-event')).toBe(body.event);
      expect(header(r, 'x-marsbot-delivery')).toBe(body.id);
      expect(verifyWebhookSignature(SECRET, r.headers, r.body, 300, clock.now())).toBe(true);
    }
    const claimed = ok.map((r) => JSON.parse(r.body) as WebhookBody).find((b) => b.event === 'ticket.claimed' && b.ticket.id === tickets[0]!.id);
    expect(claimed?.actor).toBe('Piet Jansen');
    expect(claimed?.ticket.status).toBe('claimed');
    expect(claimed?.ticket.claimedBy).toBe('Piet Jansen');
  });

  it('a retried delivery keeps its delivery id and body; the receiver sees the same event again only after a failure', async () => {
    receiver = await startReceiver((n) => (n === 0 ? 500 : 200));
    const store = createMemoryStore();
    const clock = new FakeClock();
    const desk = createSupportDesk({ store, notifiers: [], supportChannels: createSupportChannels({ store, notifiers: [], configured: {} }), clock, defaultLang: 'nl', webhook: { url: receiver.url, secret: SECRET } });
    const worker = createOutboxWorker({
      store,
      clock,
      handlers: { webhook: createWebhookHandler({ url: receiver.url, secret: SECRET, clock }) },
      backoff: { baseMs: 1_000, maxMs: 1_000 },
      leaseMs: 60_000,
      batch: 10,
    });
    await desk.escalate(ticketInput());
    expect(await worker.runOnce()).toEqual({ delivered: 0, failed: 1 });
    clock.advance(1_000);
    expect(await worker.runOnce()).toEqual({ delivered: 1, failed: 0 });

    const [first, second] = receiver.received;
    expect(header(second!, 'x-marsbot-delivery')).toBe(header(first!, 'x-marsbot-delivery'));
    expect(second!.body).toBe(first!.body);
    expect(Number(header(second!, 'x-marsbot-timestamp'))).toBe(Number(header(first!, 'x-marsbot-timestamp')) + 1);
  });

  it('sends the redacted ticket: no secret from the chat reaches the receiver', async () => {
    receiver = await startReceiver(() => 200);
    const store = createMemoryStore();
    const clock = new FakeClock();
    const desk = createSupportDesk({ store, notifiers: [], supportChannels: createSupportChannels({ store, notifiers: [], configured: {} }), clock, defaultLang: 'nl', webhook: { url: receiver.url, secret: SECRET } });
    const worker = createOutboxWorker({
      store,
      clock,
      handlers: { webhook: createWebhookHandler({ url: receiver.url, secret: SECRET, clock }) },
      backoff: { baseMs: 1_000, maxMs: 1_000 },
      leaseMs: 60_000,
      batch: 10,
    });
    const passphrase = 'Zomer2024!Backup#Kantoor';
    const slackToken = 'xoxb-1234567890-abcdefghijklmnop';
    await desk.escalate(
      ticketInput({
        description: `Error 34506, the passphrase: ${passphrase}`,
        transcript: [{ from: 'user', text: `bot token ${slackToken}`, at: 1 }],
      }),
    );
    await worker.runOnce();

    const [delivery] = receiver.received;
    expect(delivery!.body).not.toContain(passphrase);
    expect(delivery!.body).not.toContain(slackToken);
    const body = JSON.parse(delivery!.body) as WebhookBody;
    expect(body.ticket.description).toBe('Error 34506, the passphrase: [redacted:passphrase]');
    expect(body.ticket.transcript[0]!.text).toBe('bot token [redacted:slack-token]');
    expect(body.ticket.userName).toBe('Anna de Vries');
  });

  it('treats a receiver that does not answer in time as a failure to retry', async () => {
    receiver = await startReceiver(() => 'hang');
    const clock = new FakeClock();
    const handler = createWebhookHandler({ url: receiver.url, secret: SECRET, clock, timeoutMs: 200 });
    const message: OutboxMessage = {
      id: 1,
      kind: 'webhook',
      orderingKey: 'MARS-1001',
      payload: { deliveryId: 'd-1', event: 'ticket.created', body: { id: 'd-1' } },
      attempts: 0,
      nextAttemptAt: 0,
      createdAt: 0,
    };
    await expect(handler(message)).rejects.toThrow(/timed out/);
  });

  it('treats a redirect as a failure, not as delivered', async () => {
    receiver = await startReceiver(() => 302);
    const handler = createWebhookHandler({ url: receiver.url, secret: SECRET, clock: new FakeClock() });
    const message: OutboxMessage = {
      id: 1,
      kind: 'webhook',
      orderingKey: 'MARS-1001',
      payload: { deliveryId: 'd-1', event: 'ticket.created', body: { id: 'd-1' } },
      attempts: 0,
      nextAttemptAt: 0,
      createdAt: 0,
    };
    await expect(handler(message)).rejects.toThrow(/302/);
  });
});

describe('verifyWebhookSignature', () => {
  const now = Date.UTC(2025, 0, 6, 9, 0, 0);
  const timestamp = String(now / 1000);
  const body = '{"id":"d-1","event":"ticket.created"}';
  const headers = { 'x-marsbot-timestamp': timestamp, 'x-marsbot-signature': signWebhookBody(SECRET, timestamp, body) };

  it('accepts the body as sent', () => {
    expect(verifyWebhookSignature(SECRET, headers, body, 300, now)).toBe(true);
    expect(verifyWebhookSignature(SECRET, headers, Buffer.from(body), 300, now)).toBe(true);
  });

  it('accepts Fetch-style headers with any letter case', () => {
    const fetchHeaders = new Headers({ 'X-Marsbot-Timestamp': timestamp, 'X-Marsbot-Signature': headers['x-marsbot-signature'] });
    expect(verifyWebhookSignature(SECRET, fetchHeaders, body, 300, now)).toBe(true);
  });

  it('rejects a tampered body, a wrong secret, a stale timestamp and missing headers', () => {
    expect(verifyWebhookSignature(SECRET, headers, body.replace('created', 'resolved'), 300, now)).toBe(false);
    expect(verifyWebhookSignature('another-secret', headers, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, headers, body, 300, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature(SECRET, { 'x-marsbot-timestamp': timestamp }, body, 300, now)).toBe(false);
    const otherTime = { ...headers, 'x-marsbot-timestamp': String(now / 1000 + 1) };
    expect(verifyWebhookSignature(SECRET, otherTime, body, 300, now)).toBe(false);
  });
});
