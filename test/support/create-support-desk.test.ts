import { createMemoryStore } from '../../src/storage/memory-store';
import type { Store } from '../../src/storage/store';
import { outboxDraftsFor } from '../../src/storage/ticket-outbox';
import { createNotifyHandlers } from '../../src/support/notify-handlers';
import { createOutboxWorker } from '../../src/support/outbox-worker';
import { createSupportDesk } from '../../src/support/create-support-desk';
import { createSupportChannels, type SupportChannels } from '../../src/support/support-channels';
import { createTicketPosts } from '../../src/support/ticket-posts';
import { FakeClock } from '../helpers/fake-clock';
import { FakeChannelNotifier, ticketInput } from './ticket-fixtures';

/** Each platform's configured support channel is `{ place: '<PLATFORM>-SUPPORT' }`. */
const supportOf = (channel: string) => ({ place: `${channel.toUpperCase()}-SUPPORT` });

function setup(options: { notifierChannels?: string[]; supportChannels?: string[]; webhook?: boolean } = {}) {
  const store = createMemoryStore();
  const clock = new FakeClock();
  const notifiers = (options.notifierChannels ?? ['teams', 'slack']).map((c) => new FakeChannelNotifier(c));
  const configured = Object.fromEntries((options.supportChannels ?? ['teams']).map((c) => [c, supportOf(c)]));
  const supportChannels = createSupportChannels({ store, notifiers, configured });
  const posts = createTicketPosts(store);
  const desk = createSupportDesk({
    store,
    notifiers,
    supportChannels,
    clock,
    defaultLang: 'nl',
    webhook: options.webhook ? { url: 'http://127.0.0.1:9/hook', secret: 's3cret' } : undefined,
  });
  const delivered: { kind: string; payload: unknown }[] = [];
  const notify = createNotifyHandlers({ notifiers, supportChannels, posts });
  const worker = createOutboxWorker({
    store,
    clock,
    handlers: {
      'support-notify': async (m) => {
        delivered.push(m);
        await notify['support-notify'](m);
      },
      'user-notify': async (m) => {
        delivered.push(m);
        await notify['user-notify'](m);
      },
      webhook: async (m) => void delivered.push(m),
    },
    backoff: { baseMs: 1_000, maxMs: 8_000 },
    leaseMs: 60_000,
    batch: 50,
  });
  const drain = async (): Promise<void> => {
    for (let i = 0; i < 20 && (await store.countOutboxPending()) > 0; i += 1) {
      await worker.runOnce();
      clock.advance(8_000);
    }
  };
  const byChannel = (c: string): FakeChannelNotifier => notifiers.find((n) => n.channel === c)!;
  return { store, clock, desk, notifiers, supportChannels, posts, byChannel, delivered, drain };
}

const PASSPHRASE = 'Zomer2024!Backup#Kantoor';

async function storedTicket(store: Store, id: string) {
  const ticket = await store.getTicket(id);
  if (!ticket) throw new Error(`ticket ${id} not stored`);
  return ticket;
}

describe('support desk: escalate', () => {
  it('stores the ticket with every free-text field redacted and the name kept', async () => {
    const { store, desk } = setup();
    const { ticket, created } = await desk.escalate(
      ticketInput({
        description: `Fout 34506, wachtwoordzin: ${PASSPHRASE}`,
        followUpAnswers: [{ question: 'Welke wachtwoordzin?', answer: `wachtwoordzin is ${PASSPHRASE}` }],
        transcript: [{ from: 'user', text: `mijn wachtwoordzin: ${PASSPHRASE}`, at: 1 }],
      }),
    );

    expect(created).toBe(true);
    const stored = await storedTicket(store, ticket.id);
    expect(JSON.stringify(stored)).not.toContain(PASSPHRASE);
    expect(stored.description).toBe('Fout 34506, wachtwoordzin: [redacted:passphrase]');
    expect(stored.transcript[0]!.text).toBe('mijn wachtwoordzin: [redacted:passphrase]');
    expect(stored.followUpAnswers[0]!.answer).toBe('wachtwoordzin is [redacted:passphrase]');
    expect(stored.userName).toBe('Anna de Vries');
    expect(stored.errorIds).toEqual(['34513']);
  });

  it('a repeated escalation with the same key gives one ticket and one support notification', async () => {
    const { desk, store, byChannel, drain } = setup({ webhook: true });
    const first = await desk.escalate(ticketInput());
    const second = await desk.escalate(ticketInput({ description: 'dubbel geklikt' }));

    expect(second.created).toBe(false);
    expect(second.ticket.id).toBe(first.ticket.id);
    expect(await store.listTickets()).toHaveLength(1);
    expect(await store.countOutboxPending()).toBe(2); // one support-notify, one webhook
    await drain();
    expect(byChannel('teams').channelPosts).toHaveLength(1);
  });

  it('posts a summary with the ticket facts and Claim / Resolve buttons to the support channel, in the ticket language', async () => {
    const { desk, byChannel, drain } = setup();
    const { ticket } = await desk.escalate(ticketInput());
    await drain();

    const [post] = byChannel('teams').channelPosts;
    expect(post?.place).toBe('TEAMS-SUPPORT');
    const [summary] = post!.replies;
    expect(summary?.lang).toBe('nl');
    expect(summary?.title).toBe(`${ticket.id} · invalid-vault-credentials`);
    const text = summary!.text!.join('\n');
    for (const expected of [
      'Gebruiker: Anna de Vries (user-1)',
      'Platform: Microsoft Teams',
      'Taal: Nederlands',
      'Oorzaak: expired-credentials',
      'Foutcodes: 34513',
      'Urgentie: Hoog',
      'Omschrijving: Registratie mislukt met fout 34513',
      'Gesprek: https://teams.microsoft.com/l/message/19:abc/1',
      'Getoonde stappen: invalid-vault-credentials/expired-credentials',
      'Hoe oud is het bestand? → ouder dan 10 dagen',
      'Feedback: 0 nuttig, 1 niet nuttig',
      'Gebruiker: fout 34513 bij registreren',
      'Bot: Je kluisreferenties zijn ongeldig of verlopen.',
    ]) {
      expect(text).toContain(expected);
    }
    expect(summary?.actions?.map((c) => [c.label, c.action])).toEqual([
      ['Oppakken', { type: 'ticket-claim', ticket: ticket.id }],
      ['Oplossen', { type: 'ticket-resolve', ticket: ticket.id }],
    ]);
  });

  it('writes the summary in English for an English ticket and names a missing topic', async () => {
    const { desk, byChannel, drain } = setup({ supportChannels: ['slack'] });
    await desk.escalate(ticketInput({ lang: 'en', channel: 'slack', topic: null, case: null, errorIds: [], idempotencyKey: 'k-en' }));
    await drain();
    const [summary] = byChannel('slack').channelPosts[0]!.replies;
    expect(summary?.title).toBe('MARS-1001 · no topic recognised');
    expect(summary?.text).toContain('Error ids: —');
    expect(summary?.actions?.map((c) => c.label)).toEqual(['Claim', 'Resolve']);
  });

  it('routes every ticket to every support channel there is, and records where each post went', async () => {
    const { desk, byChannel, drain, posts } = setup({ supportChannels: ['teams', 'slack'] });
    const { ticket } = await desk.escalate(ticketInput({ channel: 'web', idempotencyKey: 'web-1' }));
    await drain();
    expect(byChannel('teams').ticketsPosted()).toEqual([ticket.id]);
    expect(byChannel('slack').ticketsPosted()).toEqual([ticket.id]);
    expect(await posts.of(ticket.id)).toEqual([
      { channel: 'teams', place: 'TEAMS-SUPPORT' },
      { channel: 'slack', place: 'SLACK-SUPPORT' },
    ]);
  });

  it('sends a web chat ticket to Slack when only Slack has a support channel (issue 9: it went to Teams, which had none)', async () => {
    const { desk, byChannel, drain, store } = setup({ supportChannels: ['slack'] });
    const { ticket } = await desk.escalate(ticketInput({ channel: 'web', idempotencyKey: 'web-2' }));
    await drain();
    expect(byChannel('slack').ticketsPosted()).toEqual([ticket.id]);
    expect(byChannel('teams').channelPosts).toEqual([]);
    expect(await store.countOutboxPending()).toBe(0);
  });

  it('keeps the post pending, never "delivered", while no support channel exists, and posts it to the first one set', async () => {
    const { desk, byChannel, drain, store, supportChannels, clock } = setup({ supportChannels: [] });
    const { ticket } = await desk.escalate(ticketInput({ channel: 'web', idempotencyKey: 'web-3' }));
    await drain();
    expect(byChannel('teams').channelPosts).toEqual([]);
    expect(byChannel('slack').channelPosts).toEqual([]);
    expect(await store.countOutboxPending()).toBe(1);
    const [waiting] = await store.leaseOutbox(clock.now() + 60 * 60_000, 10, 1);
    expect(waiting?.lastError).toMatch(/no support channel is configured yet/);

    await supportChannels.set('slack', { place: 'NEW-SUPPORT' }, { id: 'U-admin' }, clock.now());
    clock.advance(60 * 60_000);
    await drain();
    expect(byChannel('slack').channelPosts.map((p) => [p.place, p.replies[0]?.title?.slice(0, 9)])).toEqual([['NEW-SUPPORT', ticket.id]]);
    expect(await store.countOutboxPending()).toBe(0);
  });

  it('tells the engine who will hear of the ticket: no support channel, and whether the user\'s thread can be reached', async () => {
    const { desk } = setup({ supportChannels: [], notifierChannels: ['teams', 'web'] });
    expect((await desk.escalate(ticketInput({ channel: 'web', idempotencyKey: 'w' }))).reach).toEqual({ supportChannel: false, userThread: true });
    expect((await desk.escalate(ticketInput({ channel: 'cli', idempotencyKey: 'c' }))).reach).toEqual({ supportChannel: false, userThread: false });
    const withChannel = setup({ supportChannels: ['teams'] });
    expect((await withChannel.desk.escalate(ticketInput())).reach).toEqual({ supportChannel: true, userThread: true });
  });

  it("tells the user of a claim while the ticket's support post still waits for a support channel", async () => {
    const { desk, byChannel, drain, store } = setup({ supportChannels: [], notifierChannels: ['teams', 'web'] });
    const { ticket } = await desk.escalate(ticketInput({ channel: 'web', conversationId: 'web-conv', idempotencyKey: 'web-4' }));
    await desk.claim(ticket.id, 'Piet');
    await drain();
    expect(byChannel('web').threadPosts.map((p) => [p.conversationId, p.replies[0]!.text![0]])).toEqual([['web-conv', `${ticket.id} is opgepakt door Piet. Je hoort het in dit gesprek.`]]);
    // The support post is still waiting, undelivered.
    expect(await store.countOutboxPending()).toBe(1);
  });

  it('enqueues no webhook when none is configured', async () => {
    const { desk, drain, delivered } = setup();
    await desk.escalate(ticketInput());
    await drain();
    expect(delivered.map((d) => d.kind)).toEqual(['support-notify']);
  });
});

describe('support desk: claim and resolve', () => {
  it('claim tells the user in their thread who picked the ticket up', async () => {
    const { desk, byChannel, drain } = setup({ webhook: true });
    const { ticket } = await desk.escalate(ticketInput());
    const change = await desk.claim(ticket.id, 'Piet Jansen');
    await drain();

    expect(change?.changed).toBe(true);
    expect(change?.ticket.status).toBe('claimed');
    expect(change?.ticket.claimedBy).toBe('Piet Jansen');
    const posts = byChannel('teams').threadPosts;
    expect(posts).toHaveLength(1);
    expect(posts[0]!.conversationId).toBe('conv-1');
    expect(posts[0]!.replies[0]!.kind).toBe('notice');
    expect(posts[0]!.replies[0]!.text![0]).toContain(`${ticket.id} is opgepakt door Piet Jansen`);
  });

  it('resolve tells the user in English for an English ticket, and a webhook event goes with each change', async () => {
    const { desk, byChannel, drain, delivered } = setup({ webhook: true });
    const { ticket } = await desk.escalate(ticketInput({ lang: 'en' }));
    await desk.claim(ticket.id, 'Piet Jansen');
    await desk.resolve(ticket.id, 'Piet Jansen');
    await drain();

    const texts = byChannel('teams').threadPosts.map((p) => p.replies[0]!.text![0]);
    expect(texts[0]).toContain(`${ticket.id} was picked up by Piet Jansen`);
    expect(texts[1]).toContain(`${ticket.id} was resolved by Piet Jansen`);
    const events = delivered.filter((d) => d.kind === 'webhook').map((d) => (d.payload as { event: string }).event);
    expect(events).toEqual(['ticket.created', 'ticket.claimed', 'ticket.resolved']);
  });

  it("passes the resolver's note to the user and the webhook, redacted", async () => {
    const { desk, byChannel, drain, delivered } = setup({ webhook: true });
    const { ticket } = await desk.escalate(ticketInput({ lang: 'en' }));
    await desk.resolve(ticket.id, 'Piet', `Re-registered FS01 with a new file; passphrase: ${PASSPHRASE}`);
    await drain();
    const notice = byChannel('teams').threadPosts[0]!.replies[0]!.text![0]!;
    expect(notice).toBe(`${ticket.id} was resolved by Piet: Re-registered FS01 with a new file; passphrase: [redacted:passphrase] Still stuck? Just tell me here.`);
    const resolved = delivered.find((d) => d.kind === 'webhook' && (d.payload as { event: string }).event === 'ticket.resolved')!;
    expect((resolved.payload as { body: { note: string } }).body.note).toBe('Re-registered FS01 with a new file; passphrase: [redacted:passphrase]');
  });

  it('a second click on Claim by the same person changes nothing and notifies nobody', async () => {
    const { desk, byChannel, drain } = setup();
    const { ticket } = await desk.escalate(ticketInput());
    await desk.claim(ticket.id, 'Piet Jansen');
    const again = await desk.claim(ticket.id, 'Piet Jansen');
    await drain();
    expect(again?.changed).toBe(false);
    expect(byChannel('teams').threadPosts).toHaveLength(1);
  });

  it('a resolved ticket is not claimed or resolved again', async () => {
    const { desk, byChannel, drain } = setup();
    const { ticket } = await desk.escalate(ticketInput());
    await desk.resolve(ticket.id, 'Piet Jansen');
    expect((await desk.claim(ticket.id, 'Kees'))?.changed).toBe(false);
    expect((await desk.resolve(ticket.id, 'Kees'))?.ticket.resolvedBy).toBe('Piet Jansen');
    await drain();
    expect(byChannel('teams').threadPosts).toHaveLength(1);
  });

  it('returns undefined for a ticket that does not exist', async () => {
    const { desk } = setup();
    expect(await desk.claim('MARS-9999', 'Piet')).toBeUndefined();
    expect(await desk.resolve('not-a-ticket', 'Piet')).toBeUndefined();
  });

  it('does not try to notify a user on a platform without a notifier', async () => {
    const { desk, drain, delivered } = setup({ notifierChannels: ['teams'] });
    const { ticket } = await desk.escalate(ticketInput({ channel: 'web' }));
    await desk.claim(ticket.id, 'Piet');
    await drain();
    expect(delivered.map((d) => d.kind)).toEqual(['support-notify']);
  });
});

describe('support desk: notifications are part of the ticket write', () => {
  function supportChannelsFor(store: Store, notifiers: FakeChannelNotifier[]): SupportChannels {
    return createSupportChannels({ store, notifiers, configured: { teams: supportOf('teams') } });
  }

  /** A store on which a separate enqueue is an error: every message must come with a ticket write. */
  function withoutSeparateEnqueue(store: Store): Store {
    return {
      ...store,
      enqueueOutbox: async () => {
        throw new Error('enqueueOutbox called outside a ticket write');
      },
    };
  }

  it('escalate, claim and resolve enqueue nothing on their own, and everything is still delivered', async () => {
    const inner = createMemoryStore();
    const clock = new FakeClock();
    const teams = new FakeChannelNotifier('teams');
    const supportChannels = supportChannelsFor(inner, [teams]);
    const desk = createSupportDesk({
      store: withoutSeparateEnqueue(inner),
      notifiers: [teams],
      supportChannels,
      clock,
      defaultLang: 'nl',
      webhook: { url: 'http://127.0.0.1:9/hook', secret: 's' },
    });
    const { ticket } = await desk.escalate(ticketInput());
    await desk.claim(ticket.id, 'Piet Jansen');
    await desk.resolve(ticket.id, 'Piet Jansen');

    const notify = createNotifyHandlers({ notifiers: [teams], supportChannels, posts: createTicketPosts(inner) });
    const webhooks: string[] = [];
    const worker = createOutboxWorker({
      store: inner,
      clock,
      handlers: { ...notify, webhook: async (m) => void webhooks.push((m.payload as { event: string }).event) },
      backoff: { baseMs: 1_000, maxMs: 1_000 },
      leaseMs: 60_000,
      batch: 50,
    });
    for (let i = 0; i < 5 && (await inner.countOutboxPending()) > 0; i += 1) await worker.runOnce();

    expect(teams.ticketsPosted()).toEqual([ticket.id]);
    expect(teams.threadPosts.map((p) => p.replies[0]!.text![0])).toEqual([
      expect.stringContaining('opgepakt door Piet Jansen'),
      expect.stringContaining('opgelost door Piet Jansen'),
    ]);
    expect(webhooks).toEqual(['ticket.created', 'ticket.claimed', 'ticket.resolved']);
  });

  it('when the ticket write fails after the notifications were built, nothing is stored and a retry notifies once', async () => {
    const inner = createMemoryStore();
    let failNextWrite = true;
    const flaky: Store = {
      ...inner,
      createTicket: (input, now, outbox) => {
        if (!failNextWrite) return inner.createTicket(input, now, outbox);
        failNextWrite = false;
        // The database gives up in the middle of the transaction, after the messages were built.
        return inner.createTicket(input, now, (ticket) => {
          outboxDraftsFor(outbox, ticket);
          throw new Error('disk I/O error');
        });
      },
    };
    const teams = new FakeChannelNotifier('teams');
    const desk = createSupportDesk({ store: flaky, notifiers: [teams], supportChannels: supportChannelsFor(inner, [teams]), clock: new FakeClock(), defaultLang: 'nl' });

    await expect(desk.escalate(ticketInput())).rejects.toThrow('disk I/O error');
    expect(await inner.listTickets()).toEqual([]);
    expect(await inner.countOutboxPending()).toBe(0);

    const retry = await desk.escalate(ticketInput());
    expect(retry.created).toBe(true);
    expect(await inner.countOutboxPending()).toBe(1);
  });

  it('the same Claim handled by two instances at once notifies the user once', async () => {
    const { store, desk, byChannel, drain, notifiers, supportChannels } = setup();
    const other = createSupportDesk({ store, notifiers, supportChannels, clock: new FakeClock(), defaultLang: 'nl' });
    const { ticket } = await desk.escalate(ticketInput());
    const results = await Promise.all([desk.claim(ticket.id, 'Piet Jansen'), other.claim(ticket.id, 'Piet Jansen')]);
    await drain();
    expect(results.map((r) => r?.changed).sort()).toEqual([false, true]);
    expect(byChannel('teams').threadPosts).toHaveLength(1);
  });
});
