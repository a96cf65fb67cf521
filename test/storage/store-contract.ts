import {
  ConflictError,
  type InteractionEvent,
  type OutboxDraft,
  type Store,
  type StoreOptions,
  type Ticket,
  type TicketInput,
} from '../../src/storage/store';
import { IDLE_DOCUMENTS } from '../../src/create-marsbot';

/**
 * Storage a contract run works on. open() may be called again after the previous store was closed:
 * a durable fixture hands back a store over the same data (as a restarted instance would see it).
 * The options (a fake clock) go to the store as given.
 */
export interface StoreFixture {
  durable: boolean;
  open(options?: StoreOptions): Promise<Store>;
  dispose(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;

export function ticketInput(overrides: Partial<TicketInput> = {}): TicketInput {
  return {
    idempotencyKey: 'teams:conv-1:1',
    channel: 'teams',
    conversationId: 'conv-1',
    userId: 'user-1',
    userName: 'Anna de Vries',
    lang: 'nl',
    threadLink: 'https://teams.example/thread/1',
    topic: 'scheduled-backup-not-running',
    case: 'task-scheduler-disabled',
    errorIds: ['0x80070005', '100050'],
    stepsShown: ['open Task Scheduler', 'enable the task'],
    followUpAnswers: [{ question: 'Welke versie?', answer: '2.0.9' }],
    feedback: [{ helpful: false, at: T0 - 1000 }],
    description: 'Back-up draait niet sinds maandag — "é ü 日本"',
    urgency: 'high',
    transcript: [
      { from: 'user', text: 'waarom draait mijn back-up niet', at: T0 - 5000 },
      { from: 'bot', text: 'Controleer de taakplanner.', at: T0 - 4000 },
    ],
    ...overrides,
  };
}

function interaction(at: number, type: string, overrides: Partial<InteractionEvent> = {}): InteractionEvent {
  return { at, channel: 'slack', conversationId: 'C1', userId: 'U1', type, topic: 'passphrase', lang: 'en', ...overrides };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeStoreContract(name: string, createFixture: () => Promise<StoreFixture>): void {
  describe(`${name} store contract`, () => {
    let fixture: StoreFixture;
    let store: Store;

    beforeEach(async () => {
      fixture = await createFixture();
      store = await fixture.open();
    });

    afterEach(async () => {
      await store.close();
      await fixture.dispose();
    });

    describe('documents', () => {
      it('returns nothing for a key never written', async () => {
        expect(await store.getDocument('conversation/none')).toBeUndefined();
      });

      it('reads back what was written, with the eTag the write returned', async () => {
        const value = { step: 2, lang: 'nl', seen: ['a', 'b'], nested: { ok: true, none: null }, text: 'ë 日本' };
        const etag = await store.putDocument('conversation/1', value);
        expect(await store.getDocument('conversation/1')).toEqual({ value, etag });
      });

      it('keeps keys apart', async () => {
        await store.putDocument('a', { who: 'a' });
        await store.putDocument('b', { who: 'b' });
        expect((await store.getDocument('a'))?.value).toEqual({ who: 'a' });
        expect((await store.getDocument('b'))?.value).toEqual({ who: 'b' });
      });

      it('hands out copies: changing a read value does not change what is stored', async () => {
        await store.putDocument('doc', { list: [1] });
        const read = await store.getDocument<{ list: number[] }>('doc');
        read!.value.list.push(2);
        expect((await store.getDocument('doc'))?.value).toEqual({ list: [1] });
      });

      it('without an expected eTag the last write wins and the eTag changes', async () => {
        const first = await store.putDocument('doc', { v: 1 });
        const second = await store.putDocument('doc', { v: 2 });
        expect(second).not.toBe(first);
        expect(await store.getDocument('doc')).toEqual({ value: { v: 2 }, etag: second });
      });

      it('accepts a write naming the current eTag', async () => {
        const first = await store.putDocument('doc', { v: 1 });
        const second = await store.putDocument('doc', { v: 2 }, first);
        expect(await store.getDocument('doc')).toEqual({ value: { v: 2 }, etag: second });
      });

      it('rejects a write naming a stale eTag and keeps the newer value', async () => {
        const stale = await store.putDocument('doc', { v: 1 });
        const current = await store.putDocument('doc', { v: 2 });
        await expect(store.putDocument('doc', { v: 3 }, stale)).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getDocument('doc')).toEqual({ value: { v: 2 }, etag: current });
      });

      it('lets exactly one of two writers holding the same eTag win', async () => {
        const etag = await store.putDocument('doc', { writer: 'none' });
        const results = await Promise.allSettled([
          store.putDocument('doc', { writer: 'A' }, etag),
          store.putDocument('doc', { writer: 'B' }, etag),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(ConflictError);
        expect((lost[0]!.reason as ConflictError).key).toBe('doc');
        const winner = results[0].status === 'fulfilled' ? 'A' : 'B';
        expect((await store.getDocument('doc'))?.value).toEqual({ writer: winner });
      });

      it('with a null expected eTag only creates: a second create-only write conflicts', async () => {
        const etag = await store.putDocument('ref', { first: true }, null);
        await expect(store.putDocument('ref', { first: false }, null)).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getDocument('ref')).toEqual({ value: { first: true }, etag });
      });

      it('lets exactly one of many concurrent create-only writes win', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.putDocument('ref', { i }, null)),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected').every((r) => (r).reason instanceof ConflictError)).toBe(true);
      });

      it('rejects a write naming an eTag for a document that does not exist', async () => {
        await expect(store.putDocument('ghost', { v: 1 }, 'some-etag')).rejects.toBeInstanceOf(ConflictError);
        expect(await store.getDocument('ghost')).toBeUndefined();
      });

      it('deletes, tolerates deleting a missing key, and allows create-only again after a delete', async () => {
        await store.putDocument('doc', { v: 1 });
        await store.deleteDocument('doc');
        await store.deleteDocument('never-there');
        expect(await store.getDocument('doc')).toBeUndefined();
        await store.putDocument('doc', { v: 2 }, null);
        expect((await store.getDocument('doc'))?.value).toEqual({ v: 2 });
      });

      it('keeps any text a user can paste, including control and NUL characters', async () => {
        const text = 'line1\nline2\t\u0000 \u202e "quoted" \\ back ✓ 🚀';
        await store.putDocument('pasted', { text });
        expect((await store.getDocument('pasted'))?.value).toEqual({ text });
        const { ticket } = await store.createTicket(ticketInput({ description: text }), T0);
        expect((await store.getTicket(ticket.id))?.description).toBe(text);
      });

      it('stores plain scalars and arrays as documents', async () => {
        await store.putDocument('n', 42);
        await store.putDocument('s', 'text');
        await store.putDocument('arr', [1, 'two', null]);
        expect((await store.getDocument('n'))?.value).toBe(42);
        expect((await store.getDocument('s'))?.value).toBe('text');
        expect((await store.getDocument('arr'))?.value).toEqual([1, 'two', null]);
      });
    });

    describe('claimOnce', () => {
      it('says true the first time a key is seen and false after', async () => {
        expect(await store.claimOnce('slack:event:Ev1', 60_000)).toBe(true);
        expect(await store.claimOnce('slack:event:Ev1', 60_000)).toBe(false);
        expect(await store.claimOnce('slack:event:Ev1', 60_000)).toBe(false);
        expect(await store.claimOnce('slack:event:Ev2', 60_000)).toBe(true);
      });

      it('gives a key to exactly one of many concurrent claimers', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => store.claimOnce('retry', 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('lets an expired key be claimed again', async () => {
        expect(await store.claimOnce('short', 1)).toBe(true);
        await sleep(25);
        expect(await store.claimOnce('short', 60_000)).toBe(true);
        expect(await store.claimOnce('short', 60_000)).toBe(false);
      });
    });

    describe('tickets', () => {
      it('creates an open ticket with a readable id and keeps everything it was given', async () => {
        const input = ticketInput();
        const { ticket, created } = await store.createTicket(input, T0);
        expect(created).toBe(true);
        expect(ticket).toEqual({ ...input, id: 'MARS-1001', number: 1001, status: 'open', createdAt: T0, updatedAt: T0 });
        expect(await store.getTicket('MARS-1001')).toEqual(ticket);
      });

      it('leaves optional fields out when they were not given', async () => {
        const { userName: _u, threadLink: _t, ...input } = ticketInput();
        const { ticket } = await store.createTicket({ ...input, topic: null, case: null }, T0);
        const read = await store.getTicket(ticket.id);
        expect(read).not.toHaveProperty('userName');
        expect(read).not.toHaveProperty('threadLink');
        expect(read).not.toHaveProperty('claimedBy');
        expect(read?.topic).toBeNull();
        expect(read?.case).toBeNull();
      });

      it('numbers tickets upward: MARS-1001, MARS-1002, MARS-1003', async () => {
        const ids: string[] = [];
        for (const n of [1, 2, 3]) ids.push((await store.createTicket(ticketInput({ idempotencyKey: `k${n}` }), T0 + n)).ticket.id);
        expect(ids).toEqual(['MARS-1001', 'MARS-1002', 'MARS-1003']);
      });

      it('returns the existing ticket for a repeated idempotency key instead of a second one', async () => {
        const first = await store.createTicket(ticketInput(), T0);
        const again = await store.createTicket(ticketInput({ description: 'double click' }), T0 + 500);
        expect(again.created).toBe(false);
        expect(again.ticket).toEqual(first.ticket);
        expect(await store.listTickets()).toHaveLength(1);
        const next = await store.createTicket(ticketInput({ idempotencyKey: 'other' }), T0 + 600);
        expect(next.ticket.id).toBe('MARS-1002');
      });

      it('creates one ticket when 20 creates with the same key arrive at once', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.createTicket(ticketInput(), T0 + i)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
        expect(await store.listTickets()).toHaveLength(1);
      });

      it('gives concurrent creates with different keys distinct, increasing ids', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.createTicket(ticketInput({ idempotencyKey: `key-${i}` }), T0 + i)),
        );
        const numbers = results.map((r) => r.ticket.number);
        expect(new Set(numbers).size).toBe(10);
        expect(Math.min(...numbers)).toBeGreaterThanOrEqual(1001);
        const later = await store.createTicket(ticketInput({ idempotencyKey: 'later' }), T0 + 100);
        expect(later.ticket.number).toBeGreaterThan(Math.max(...numbers));
      });

      it('finds tickets by id in any letter case and answers undefined for unknown or malformed ids', async () => {
        await store.createTicket(ticketInput(), T0);
        expect((await store.getTicket('mars-1001'))?.id).toBe('MARS-1001');
        expect(await store.getTicket('MARS-9999')).toBeUndefined();
        expect(await store.getTicket('1001')).toBeUndefined();
        expect(await store.getTicket("MARS-1001' OR 1=1")).toBeUndefined();
      });

      it('lists newest first, filters by status and honours the limit', async () => {
        for (const n of [1, 2, 3, 4]) await store.createTicket(ticketInput({ idempotencyKey: `k${n}` }), T0 + n);
        await store.updateTicketStatus('MARS-1002', 'claimed', 'Bram', T0 + 10);
        await store.updateTicketStatus('MARS-1004', 'resolved', 'Bram', T0 + 11);
        expect((await store.listTickets()).map((t) => t.id)).toEqual(['MARS-1004', 'MARS-1003', 'MARS-1002', 'MARS-1001']);
        expect((await store.listTickets({ status: 'open' })).map((t) => t.id)).toEqual(['MARS-1003', 'MARS-1001']);
        expect((await store.listTickets({ status: 'claimed' })).map((t) => t.id)).toEqual(['MARS-1002']);
        expect((await store.listTickets({ limit: 2 })).map((t) => t.id)).toEqual(['MARS-1004', 'MARS-1003']);
        expect((await store.listTickets({ status: 'open', limit: 1 })).map((t) => t.id)).toEqual(['MARS-1003']);
      });

      it('records who claimed and who resolved, and when', async () => {
        await store.createTicket(ticketInput(), T0);
        const claimed = await store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', T0 + 60_000);
        expect(claimed?.changed).toBe(true);
        expect(claimed?.ticket).toMatchObject({ status: 'claimed', claimedBy: 'Bram', createdAt: T0, updatedAt: T0 + 60_000 });
        expect(claimed?.ticket).not.toHaveProperty('resolvedBy');
        const resolved = await store.updateTicketStatus('mars-1001', 'resolved', 'Carla', T0 + 120_000);
        expect(resolved?.changed).toBe(true);
        expect(resolved?.ticket).toMatchObject({ status: 'resolved', claimedBy: 'Bram', resolvedBy: 'Carla', updatedAt: T0 + 120_000 });
        expect(await store.getTicket('MARS-1001')).toEqual(resolved?.ticket);
        expect(resolved?.ticket.transcript).toEqual(ticketInput().transcript);
      });

      it('forgets claimer and resolver when a ticket is reopened', async () => {
        await store.createTicket(ticketInput(), T0);
        await store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', T0 + 1);
        await store.updateTicketStatus('MARS-1001', 'resolved', 'Bram', T0 + 2);
        const reopened = await store.updateTicketStatus('MARS-1001', 'open', 'Anna', T0 + 3);
        expect(reopened?.changed).toBe(true);
        expect(reopened?.ticket.status).toBe('open');
        expect(reopened?.ticket).not.toHaveProperty('claimedBy');
        expect(reopened?.ticket).not.toHaveProperty('resolvedBy');
      });

      it('leaves a ticket untouched by a repeated change: the same claimer again, or reopening an open ticket', async () => {
        await store.createTicket(ticketInput(), T0);
        await store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', T0 + 1);
        const again = await store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', T0 + 2);
        expect(again?.changed).toBe(false);
        expect(again?.ticket).toMatchObject({ status: 'claimed', claimedBy: 'Bram', updatedAt: T0 + 1 });
        const other = await store.updateTicketStatus('MARS-1001', 'claimed', 'Carla', T0 + 3);
        expect(other?.changed).toBe(true);
        expect(other?.ticket.claimedBy).toBe('Carla');
        await store.createTicket(ticketInput({ idempotencyKey: 'k2' }), T0);
        expect((await store.updateTicketStatus('MARS-1002', 'open', 'Anna', T0 + 4))?.changed).toBe(false);
        expect((await store.getTicket('MARS-1002'))?.updatedAt).toBe(T0);
      });

      it('keeps a resolved ticket resolved by its resolver until it is reopened', async () => {
        await store.createTicket(ticketInput(), T0);
        await store.updateTicketStatus('MARS-1001', 'resolved', 'Bram', T0 + 1);
        const lateClaim = await store.updateTicketStatus('MARS-1001', 'claimed', 'Kees', T0 + 2);
        const secondResolve = await store.updateTicketStatus('MARS-1001', 'resolved', 'Kees', T0 + 3);
        expect([lateClaim?.changed, secondResolve?.changed]).toEqual([false, false]);
        expect(await store.getTicket('MARS-1001')).toMatchObject({ status: 'resolved', resolvedBy: 'Bram', updatedAt: T0 + 1 });
        expect((await store.updateTicketStatus('MARS-1001', 'open', 'Kees', T0 + 4))?.ticket.status).toBe('open');
      });

      it('answers undefined when changing the status of a ticket that does not exist', async () => {
        expect(await store.updateTicketStatus('MARS-4242', 'claimed', 'Bram', T0)).toBeUndefined();
        expect(await store.updateTicketStatus('nonsense', 'claimed', 'Bram', T0)).toBeUndefined();
      });
    });

    describe('tickets and their outbox messages in one write', () => {
      const notify = (kind: string) => (ticket: Ticket): OutboxDraft[] => [
        { kind, orderingKey: `notify:${ticket.id}`, payload: { ticket: ticket.id, status: ticket.status, claimedBy: ticket.claimedBy ?? null } },
        { kind: 'webhook', orderingKey: ticket.id, payload: { event: kind, number: ticket.number } },
      ];
      const pendingPayloads = async (): Promise<unknown[]> => {
        const leased = await store.leaseOutbox(T0 + 86_400_000, 100, 1);
        return leased.map((m) => ({ kind: m.kind, orderingKey: m.orderingKey, payload: m.payload, createdAt: m.createdAt }));
      };

      it('enqueues the messages with the new ticket, built from the ticket as stored', async () => {
        const { ticket } = await store.createTicket(ticketInput(), T0, notify('support-notify'));
        expect(await store.countOutboxPending()).toBe(2);
        expect(await pendingPayloads()).toEqual([
          { kind: 'support-notify', orderingKey: `notify:${ticket.id}`, payload: { ticket: 'MARS-1001', status: 'open', claimedBy: null }, createdAt: T0 },
          { kind: 'webhook', orderingKey: 'MARS-1001', payload: { event: 'support-notify', number: 1001 }, createdAt: T0 },
        ]);
      });

      it('takes a plain list of messages as well', async () => {
        await store.createTicket(ticketInput(), T0, [{ kind: 'webhook', orderingKey: 'fixed', payload: { n: 1 } }]);
        expect(await pendingPayloads()).toEqual([{ kind: 'webhook', orderingKey: 'fixed', payload: { n: 1 }, createdAt: T0 }]);
      });

      it('enqueues nothing for a repeated idempotency key, and does not even build the messages', async () => {
        await store.createTicket(ticketInput(), T0, notify('support-notify'));
        const builder = jest.fn(notify('support-notify'));
        const again = await store.createTicket(ticketInput({ description: 'double click' }), T0 + 1, builder);
        expect(again.created).toBe(false);
        expect(builder).not.toHaveBeenCalled();
        expect(await store.countOutboxPending()).toBe(2);
      });

      it('enqueues one set of messages when 20 creates with the same key arrive at once', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.createTicket(ticketInput(), T0 + i, notify('support-notify'))),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(await store.countOutboxPending()).toBe(2);
      });

      it('writes neither ticket nor messages when building the messages fails, and a retry then succeeds', async () => {
        const failing = (ticket: Ticket): OutboxDraft[] => {
          throw new Error(`cannot build messages for ${ticket.id}`);
        };
        await expect(store.createTicket(ticketInput(), T0, failing)).rejects.toThrow('cannot build messages for');
        expect(await store.listTickets()).toEqual([]);
        expect(await store.countOutboxPending()).toBe(0);
        const retry = await store.createTicket(ticketInput(), T0 + 1, notify('support-notify'));
        expect(retry.created).toBe(true);
        expect(await store.countOutboxPending()).toBe(2);
      });

      it('enqueues with a status change, built from the changed ticket', async () => {
        await store.createTicket(ticketInput(), T0);
        const change = await store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', T0 + 5, notify('user-notify'));
        expect(change?.changed).toBe(true);
        expect(await pendingPayloads()).toEqual([
          { kind: 'user-notify', orderingKey: 'notify:MARS-1001', payload: { ticket: 'MARS-1001', status: 'claimed', claimedBy: 'Bram' }, createdAt: T0 + 5 },
          { kind: 'webhook', orderingKey: 'MARS-1001', payload: { event: 'user-notify', number: 1001 }, createdAt: T0 + 5 },
        ]);
      });

      it('enqueues nothing when the status did not change', async () => {
        await store.createTicket(ticketInput(), T0);
        await store.updateTicketStatus('MARS-1001', 'resolved', 'Bram', T0 + 1, notify('user-notify'));
        const builder = jest.fn(notify('user-notify'));
        expect((await store.updateTicketStatus('MARS-1001', 'resolved', 'Bram', T0 + 2, builder))?.changed).toBe(false);
        expect((await store.updateTicketStatus('MARS-1001', 'claimed', 'Kees', T0 + 3, builder))?.changed).toBe(false);
        expect(builder).not.toHaveBeenCalled();
        expect(await store.countOutboxPending()).toBe(2);
      });

      it('lets one of 10 simultaneous identical claims change the ticket and enqueue', async () => {
        await store.createTicket(ticketInput(), T0);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', T0 + 1 + i, notify('user-notify'))),
        );
        expect(results.filter((r) => r?.changed)).toHaveLength(1);
        expect(await store.countOutboxPending()).toBe(2);
      });

      it('keeps the old status and enqueues nothing when building the messages of a change fails', async () => {
        await store.createTicket(ticketInput(), T0);
        const failing = (): OutboxDraft[] => {
          throw new Error('boom');
        };
        await expect(store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', T0 + 1, failing)).rejects.toThrow('boom');
        expect(await store.getTicket('MARS-1001')).toMatchObject({ status: 'open', updatedAt: T0 });
        expect(await store.getTicket('MARS-1001')).not.toHaveProperty('claimedBy');
        expect(await store.countOutboxPending()).toBe(0);
      });

      it('does not build messages for a ticket that does not exist', async () => {
        const builder = jest.fn(notify('user-notify'));
        expect(await store.updateTicketStatus('MARS-4242', 'claimed', 'Bram', T0, builder)).toBeUndefined();
        expect(builder).not.toHaveBeenCalled();
      });

      it('keeps a ticket and its messages across close and reopen (when durable)', async () => {
        if (!fixture.durable) return;
        await store.createTicket(ticketInput(), T0, notify('support-notify'));
        await store.close();
        store = await fixture.open();
        expect(await store.listTickets()).toHaveLength(1);
        expect((await pendingPayloads()).map((m) => (m as { kind: string }).kind)).toEqual(['support-notify', 'webhook']);
      });
    });

    describe('outbox', () => {
      it('hands out a due message with what was enqueued', async () => {
        const id = await store.enqueueOutbox('webhook', 'MARS-1001', { event: 'ticket.created', n: [1] }, T0);
        expect(await store.countOutboxPending()).toBe(1);
        const leased = await store.leaseOutbox(T0, 10, 30_000);
        expect(leased).toEqual([
          { id, kind: 'webhook', orderingKey: 'MARS-1001', payload: { event: 'ticket.created', n: [1] }, attempts: 0, nextAttemptAt: T0 + 30_000, createdAt: T0 },
        ]);
      });

      it('gives each message its own increasing id', async () => {
        const a = await store.enqueueOutbox('webhook', 'k1', {}, T0);
        const b = await store.enqueueOutbox('webhook', 'k2', {}, T0);
        const c = await store.enqueueOutbox('support-notify', 'k1', {}, T0);
        expect(b).toBeGreaterThan(a);
        expect(c).toBeGreaterThan(b);
      });

      it('does not hand out a message before it is due', async () => {
        await store.enqueueOutbox('webhook', 'k', {}, T0);
        expect(await store.leaseOutbox(T0 - 1, 10, 30_000)).toEqual([]);
      });

      it('holds back the second message of a key while the first is pending', async () => {
        const a1 = await store.enqueueOutbox('webhook', 'A', { n: 1 }, T0);
        const a2 = await store.enqueueOutbox('webhook', 'A', { n: 2 }, T0);
        const b1 = await store.enqueueOutbox('webhook', 'B', { n: 1 }, T0);
        const first = await store.leaseOutbox(T0, 10, 1_000);
        expect(first.map((m) => m.id)).toEqual([a1, b1]);
        // Even once the lease of a1 ran out, a2 must not overtake it.
        const afterLease = await store.leaseOutbox(T0 + 5_000, 10, 1_000);
        expect(afterLease.map((m) => m.id)).toEqual([a1, b1]);
        await store.markOutboxDelivered(a1);
        const next = await store.leaseOutbox(T0 + 10_000, 10, 1_000);
        expect(next.map((m) => m.id)).toEqual([a2, b1]);
      });

      it('keeps a leased message from others until the lease runs out, then hands it out again', async () => {
        const id = await store.enqueueOutbox('webhook', 'k', {}, T0);
        expect((await store.leaseOutbox(T0, 10, 30_000)).map((m) => m.id)).toEqual([id]);
        expect(await store.leaseOutbox(T0 + 29_999, 10, 30_000)).toEqual([]);
        const again = await store.leaseOutbox(T0 + 30_000, 10, 30_000);
        expect(again.map((m) => m.id)).toEqual([id]);
        expect(again[0]!.nextAttemptAt).toBe(T0 + 60_000);
      });

      it('remembers that an attempt began: a message handed out again after a crash says since when it is unconfirmed', async () => {
        const id = await store.enqueueOutbox('support-notify', 'support-post:slack', { n: 1 }, T0);
        const [first] = await store.leaseOutbox(T0, 10, 1_000);
        expect(first!.unconfirmedSince).toBeUndefined();
        await store.markOutboxSending(id, T0 + 10);
        // The process dies here; the lease runs out and another attempt begins, later.
        const [second] = await store.leaseOutbox(T0 + 2_000, 10, 1_000);
        expect(second).toMatchObject({ id, attempts: 0, unconfirmedSince: T0 + 10 });
        // A further attempt keeps the first moment: a post made then must still be found.
        await store.markOutboxSending(id, T0 + 2_010);
        await store.markOutboxFailed(id, T0 + 3_000, 'socket hang up');
        const [third] = await store.leaseOutbox(T0 + 3_000, 10, 1_000);
        expect(third).toMatchObject({ id, attempts: 1, unconfirmedSince: T0 + 10, lastError: 'socket hang up' });
        await store.markOutboxDelivered(id, '1700000000.000100');
        expect(await store.countOutboxPending()).toBe(0);
        // Sending a delivered message again is not recorded: nothing comes back.
        await store.markOutboxSending(id, T0 + 5_000);
        expect(await store.leaseOutbox(T0 + 86_400_000, 10, 1_000)).toEqual([]);
      });

      it('never hands out a delivered message again', async () => {
        const id = await store.enqueueOutbox('webhook', 'k', {}, T0);
        await store.leaseOutbox(T0, 10, 1_000);
        await store.markOutboxDelivered(id);
        expect(await store.countOutboxPending()).toBe(0);
        expect(await store.leaseOutbox(T0 + 86_400_000, 10, 1_000)).toEqual([]);
        // A late failure report for a delivered message must not resurrect it.
        await store.markOutboxFailed(id, T0, 'late report');
        expect(await store.leaseOutbox(T0 + 86_400_000, 10, 1_000)).toEqual([]);
        expect(await store.countOutboxPending()).toBe(0);
      });

      it('keeps failure bookkeeping and retries at the given time, still in order', async () => {
        const first = await store.enqueueOutbox('webhook', 'k', { n: 1 }, T0);
        await store.enqueueOutbox('webhook', 'k', { n: 2 }, T0);
        await store.leaseOutbox(T0, 10, 1_000);
        await store.markOutboxFailed(first, T0 + 60_000, 'HTTP 503');
        expect(await store.countOutboxPending()).toBe(2);
        expect(await store.leaseOutbox(T0 + 59_999, 10, 1_000)).toEqual([]);
        const retry = await store.leaseOutbox(T0 + 60_000, 10, 1_000);
        expect(retry).toHaveLength(1);
        expect(retry[0]).toMatchObject({ id: first, attempts: 1, lastError: 'HTTP 503', payload: { n: 1 } });
        await store.markOutboxFailed(first, T0 + 180_000, 'timeout');
        const third = await store.leaseOutbox(T0 + 180_000, 10, 1_000);
        expect(third[0]).toMatchObject({ id: first, attempts: 2, lastError: 'timeout', nextAttemptAt: T0 + 181_000 });
      });

      it('hands out no more than the limit, oldest first', async () => {
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) ids.push(await store.enqueueOutbox('webhook', `k${i}`, { i }, T0 + i));
        const leased = await store.leaseOutbox(T0 + 10, 3, 1_000);
        expect(leased.map((m) => m.id)).toEqual(ids.slice(0, 3));
        const rest = await store.leaseOutbox(T0 + 10, 3, 1_000);
        expect(rest.map((m) => m.id)).toEqual(ids.slice(3));
      });

      it('does not hand out one message twice to concurrent leasers', async () => {
        for (let i = 0; i < 30; i++) await store.enqueueOutbox('webhook', `k${i % 10}`, { i }, T0);
        const batches = await Promise.all(Array.from({ length: 5 }, () => store.leaseOutbox(T0, 4, 60_000)));
        const ids = batches.flat().map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(10);
      });

      it('ignores delivery reports for unknown messages', async () => {
        await store.markOutboxDelivered(987_654);
        await store.markOutboxFailed(987_654, T0, 'x');
        expect(await store.countOutboxPending()).toBe(0);
      });
    });

    describe('interactions', () => {
      it('lists recorded interactions in time order, optionally since a time (inclusive)', async () => {
        const answer = interaction(T0 + 2, 'answer', { helpful: true });
        const question = interaction(T0 + 1, 'question', { topic: null, lang: 'nl' });
        const escalated = interaction(T0 + 3, 'escalated', { channel: 'teams', helpful: false });
        await store.recordInteraction(answer);
        await store.recordInteraction(question);
        await store.recordInteraction(escalated);
        expect(await store.listInteractions()).toEqual([question, answer, escalated]);
        expect(await store.listInteractions(T0 + 2)).toEqual([answer, escalated]);
        expect(await store.listInteractions(T0 + 4)).toEqual([]);
        expect((await store.listInteractions())[0]).not.toHaveProperty('helpful');
      });
    });

    describe('a turn saved in one write', () => {
      const turn = (expectedEtag: string | null, step: number) => ({
        document: { key: 'conversation:teams:c1', value: { step }, expectedEtag },
        alsoPut: [
          { key: 'user:teams:u1', value: { lang: 'en' } },
          { key: 'teams-ref:c1', value: { serviceUrl: 'https://smba.example/emea/', step } },
        ],
        interactions: [interaction(T0 + step, 'question'), interaction(T0 + step, 'answer', { helpful: true })],
      });

      it('stores the conversation, the other documents and the statistics together', async () => {
        const etag = await store.saveTurn(turn(null, 1));
        expect(await store.getDocument('conversation:teams:c1')).toEqual({ value: { step: 1 }, etag });
        expect((await store.getDocument('user:teams:u1'))?.value).toEqual({ lang: 'en' });
        expect((await store.getDocument('teams-ref:c1'))?.value).toEqual({ serviceUrl: 'https://smba.example/emea/', step: 1 });
        expect((await store.listInteractions()).map((e) => e.type)).toEqual(['question', 'answer']);

        const next = await store.saveTurn(turn(etag, 2));
        expect(next).not.toBe(etag);
        expect((await store.getDocument('conversation:teams:c1'))?.value).toEqual({ step: 2 });
        expect(await store.listInteractions()).toHaveLength(4);
      });

      it('writes nothing at all when the conversation was changed by someone else', async () => {
        const etag = await store.saveTurn(turn(null, 1));
        await store.putDocument('conversation:teams:c1', { step: 'other instance' });
        await expect(store.saveTurn(turn(etag, 2))).rejects.toBeInstanceOf(ConflictError);
        await expect(store.saveTurn(turn(null, 3))).rejects.toBeInstanceOf(ConflictError);
        expect((await store.getDocument('conversation:teams:c1'))?.value).toEqual({ step: 'other instance' });
        expect((await store.getDocument('teams-ref:c1'))?.value).toEqual({ serviceUrl: 'https://smba.example/emea/', step: 1 });
        expect(await store.listInteractions()).toHaveLength(2);
      });

      it('lets exactly one of two turns holding the same eTag win', async () => {
        const etag = await store.saveTurn(turn(null, 1));
        const results = await Promise.allSettled([store.saveTurn(turn(etag, 2)), store.saveTurn(turn(etag, 3))]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(1);
        expect(await store.listInteractions()).toHaveLength(4);
      });

      it('saves a turn with nothing but the conversation', async () => {
        const etag = await store.saveTurn({ document: { key: 'conversation:slack:d1', value: ['a'], expectedEtag: null } });
        expect(await store.getDocument('conversation:slack:d1')).toEqual({ value: ['a'], etag });
        expect(await store.listInteractions()).toEqual([]);
      });
    });

    describe('retention (prune)', () => {
      let now: number;
      const at = (time: number) => {
        now = time;
      };
      const exists = async (key: string) => (await store.getDocument(key)) !== undefined;
      const deliver = async (kind: string, orderingKey: string, payload: unknown) => {
        const id = await store.enqueueOutbox(kind, orderingKey, payload, now);
        await store.leaseOutbox(now, 100, 1_000);
        await store.markOutboxDelivered(id);
        return id;
      };

      beforeEach(async () => {
        // The same storage, now with a clock the test moves: write times decide what is idle.
        await store.close();
        now = T0;
        store = await fixture.open({ clock: () => now });
      });

      it('deletes nothing in an empty store and says so', async () => {
        expect(await store.prune(T0 + 1_000 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 0, references: 0, webUpdates: 0, outbox: 0 });
      });

      it('deletes idle conversations, Teams references and old delivered messages, and keeps everything else', async () => {
        at(T0);
        await store.putDocument('conversation:teams:old', { transcript: ['my server is srv-db-01'] });
        await store.saveTurn({
          document: { key: 'conversation:slack:D1', value: { step: 1 }, expectedEtag: null },
          alsoPut: [
            { key: 'user:slack:U1', value: { lang: 'en' } },
            { key: 'teams-ref:19:old@thread.tacv2', value: { serviceUrl: 'https://smba.example/emea/' } },
          ],
          interactions: [interaction(T0, 'question'), interaction(T0, 'answer', { helpful: true })],
        });
        await store.putDocument('user:teams:u1', { lang: 'nl' });
        await store.putDocument('teams-support-channel', { conversation: { id: '19:support@thread.tacv2' } });
        await store.putDocument('botbuilder/msteams/conv-1/conversationState', { dialogState: {} });
        await store.putDocument('slack:home-lang:U1', { lang: 'en' });
        // Near misses of the prefixes: another letter case, no colon.
        await store.putDocument('Conversation:teams:old', { other: true });
        await store.putDocument('conversations', { other: true });
        const { ticket } = await store.createTicket(ticketInput(), T0, [{ kind: 'webhook', orderingKey: 'MARS-1001', payload: { event: 'ticket.created' } }]);
        const oldDelivered = await deliver('support-notify', 'notify:MARS-1001', { ticket: 'MARS-1001' });
        const stillFailing = await store.enqueueOutbox('user-notify', 'notify:MARS-0999', { n: 1 }, T0);
        await store.markOutboxFailed(stillFailing, T0 + 60_000, 'HTTP 503');

        at(T0 + 85 * DAY);
        await store.putDocument('conversation:teams:recent', { step: 2 });
        await store.putDocument('teams-ref:19:recent@thread.tacv2', { serviceUrl: 'https://smba.example/emea/' });
        const recentDelivered = await deliver('webhook', 'MARS-1002', { event: 'ticket.created' });

        at(T0 + 100 * DAY);
        expect(await store.prune(now - 90 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 2, references: 1, webUpdates: 0, outbox: 1 });

        for (const key of ['conversation:teams:old', 'conversation:slack:D1', 'teams-ref:19:old@thread.tacv2']) {
          expect({ key, kept: await exists(key) }).toEqual({ key, kept: false });
        }
        for (const key of [
          'conversation:teams:recent',
          'teams-ref:19:recent@thread.tacv2',
          'user:slack:U1',
          'user:teams:u1',
          'teams-support-channel',
          'botbuilder/msteams/conv-1/conversationState',
          'slack:home-lang:U1',
          'Conversation:teams:old',
          'conversations',
        ]) {
          expect({ key, kept: await exists(key) }).toEqual({ key, kept: true });
        }
        expect(await store.getTicket(ticket.id)).toEqual(ticket);
        expect(await store.listInteractions()).toHaveLength(2);
        // The ticket's webhook and the failing notice were never delivered: both still go out.
        expect(await store.countOutboxPending()).toBe(2);
        const pending = await store.leaseOutbox(now, 100, 1_000);
        expect(pending.map((m) => m.id)).not.toContain(oldDelivered);
        expect(pending.map((m) => m.id)).not.toContain(recentDelivered);
        expect(pending.map((m) => m.orderingKey).sort()).toEqual(['MARS-1001', 'notify:MARS-0999']);
        expect(pending.find((m) => m.id === stillFailing)).toMatchObject({ attempts: 1, lastError: 'HTTP 503' });
      });

      it('keeps a conversation written again since: every write path moves its time on', async () => {
        at(T0);
        const put = await store.putDocument('conversation:web:put', { step: 1 });
        const turn = await store.saveTurn({ document: { key: 'conversation:teams:turn', value: { step: 1 }, expectedEtag: null } });
        await store.putDocument('teams-ref:refreshed', { v: 1 });
        await store.putDocument('conversation:cli:forgotten', { step: 1 });

        at(T0 + 50 * DAY);
        await store.putDocument('conversation:web:put', { step: 2 }, put);
        await store.saveTurn({
          document: { key: 'conversation:teams:turn', value: { step: 2 }, expectedEtag: turn },
          alsoPut: [{ key: 'teams-ref:refreshed', value: { v: 2 } }],
        });

        at(T0 + 100 * DAY);
        expect(await store.prune(now - 90 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 1, references: 0, webUpdates: 0, outbox: 0 });
        expect((await store.getDocument('conversation:web:put'))?.value).toEqual({ step: 2 });
        expect((await store.getDocument('conversation:teams:turn'))?.value).toEqual({ step: 2 });
        expect((await store.getDocument('teams-ref:refreshed'))?.value).toEqual({ v: 2 });
        expect(await exists('conversation:cli:forgotten')).toBe(false);

        // 90 days after the second write, those go too.
        at(T0 + 141 * DAY);
        expect(await store.prune(now - 90 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 2, references: 1, webUpdates: 0, outbox: 0 });
      });

      it('deletes only what was written or delivered strictly before the given time', async () => {
        at(T0);
        await store.putDocument('conversation:teams:c1', { step: 1 });
        await deliver('webhook', 'MARS-1001', {});
        expect(await store.prune(T0, IDLE_DOCUMENTS)).toEqual({ conversations: 0, references: 0, webUpdates: 0, outbox: 0 });
        expect(await store.prune(T0 + 1, IDLE_DOCUMENTS)).toEqual({ conversations: 1, references: 0, webUpdates: 0, outbox: 1 });
        expect(await store.prune(T0 + 1, IDLE_DOCUMENTS)).toEqual({ conversations: 0, references: 0, webUpdates: 0, outbox: 0 });
      });

      it('lets a pruned conversation start afresh, and keeps the order of messages still pending', async () => {
        at(T0);
        await store.saveTurn({ document: { key: 'conversation:teams:c1', value: { step: 7 }, expectedEtag: null } });
        const first = await store.enqueueOutbox('webhook', 'MARS-1001', { n: 1 }, T0);
        const second = await store.enqueueOutbox('webhook', 'MARS-1001', { n: 2 }, T0);
        const third = await store.enqueueOutbox('webhook', 'MARS-1001', { n: 3 }, T0);
        await store.leaseOutbox(T0, 10, 1_000);
        await store.markOutboxDelivered(first);

        at(T0 + 100 * DAY);
        expect(await store.prune(now - 90 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 1, references: 0, webUpdates: 0, outbox: 1 });
        // The engine's first turn of a conversation is a create-only write: it must work again.
        const etag = await store.saveTurn({ document: { key: 'conversation:teams:c1', value: { step: 0 }, expectedEtag: null } });
        expect(await store.getDocument('conversation:teams:c1')).toEqual({ value: { step: 0 }, etag });
        expect((await store.leaseOutbox(now, 10, 1_000)).map((m) => m.id)).toEqual([second]);
        await store.markOutboxDelivered(second);
        expect((await store.leaseOutbox(now + 1_000, 10, 1_000)).map((m) => m.id)).toEqual([third]);
      });

      it('stays pruned across close and reopen (when durable)', async () => {
        if (!fixture.durable) return;
        at(T0);
        await store.putDocument('conversation:teams:c1', { step: 1 });
        await store.putDocument('user:teams:u1', { lang: 'en' });
        at(T0 + 100 * DAY);
        await store.prune(now - 90 * DAY, IDLE_DOCUMENTS);
        await store.close();
        store = await fixture.open({ clock: () => now });
        expect(await exists('conversation:teams:c1')).toBe(false);
        expect(await exists('user:teams:u1')).toBe(true);
      });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('keeps everything across close and reopen (when durable)', async () => {
      if (!fixture.durable) return;
      const etag = await store.putDocument('conversation/1', { step: 3 });
      await store.createTicket(ticketInput(), T0);
      await store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', T0 + 1);
      const failedId = await store.enqueueOutbox('webhook', 'MARS-1001', { event: 'ticket.created' }, T0);
      await store.leaseOutbox(T0, 10, 1_000);
      await store.markOutboxFailed(failedId, T0 + 5_000, 'HTTP 500');
      await store.claimOnce('event-1', 3_600_000);
      await store.recordInteraction(interaction(T0, 'question'));
      await store.close();

      store = await fixture.open();
      expect(await store.getDocument('conversation/1')).toEqual({ value: { step: 3 }, etag });
      expect(await store.getTicket('MARS-1001')).toMatchObject({ status: 'claimed', claimedBy: 'Bram', description: ticketInput().description });
      expect((await store.createTicket(ticketInput(), T0 + 2)).created).toBe(false);
      expect((await store.createTicket(ticketInput({ idempotencyKey: 'new' }), T0 + 3)).ticket.id).toBe('MARS-1002');
      expect(await store.countOutboxPending()).toBe(1);
      expect(await store.leaseOutbox(T0 + 5_000, 10, 1_000)).toEqual([
        expect.objectContaining({ id: failedId, attempts: 1, lastError: 'HTTP 500' }),
      ]);
      expect(await store.claimOnce('event-1', 3_600_000)).toBe(false);
      expect(await store.listInteractions()).toEqual([interaction(T0, 'question')]);
    });
  });
}
