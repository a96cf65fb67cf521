import { Writable } from 'node:stream';
import pino from 'pino';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { OutboxMessage, Store } from '../../src/storage/store';
import { backoffDelay, createOutboxWorker, type OutboxHandler } from '../../src/support/outbox-worker';
import { FakeClock } from '../helpers/fake-clock';

const BACKOFF = { baseMs: 1_000, maxMs: 8_000 };

function setup(handlers: Record<string, OutboxHandler>, extra: { random?: () => number; warnAfterAttempts?: number; logger?: pino.Logger } = {}) {
  const store = createMemoryStore();
  const clock = new FakeClock();
  const worker = createOutboxWorker({
    store,
    handlers,
    clock,
    backoff: BACKOFF,
    leaseMs: 60_000,
    batch: 10,
    random: extra.random ?? (() => 1),
    warnAfterAttempts: extra.warnAfterAttempts,
    logger: extra.logger,
  });
  return { store, clock, worker };
}

/** A handler that fails until told otherwise and records every message it saw. */
function flakyHandler() {
  const seen: OutboxMessage[] = [];
  const state = { failing: true };
  const handler: OutboxHandler = async (message) => {
    seen.push(message);
    if (state.failing) throw new Error('receiver down');
  };
  return { seen, state, handler };
}

async function enqueue(store: Store, clock: FakeClock, kind: string, key: string, payload: unknown): Promise<number> {
  return store.enqueueOutbox(kind, key, payload, clock.now());
}

describe('outbox worker', () => {
  it('delivers due messages and reports how many went out', async () => {
    const delivered: unknown[] = [];
    const { store, clock, worker } = setup({ 'user-notify': async (m) => void delivered.push(m.payload) });
    await enqueue(store, clock, 'user-notify', 'a', { n: 1 });
    await enqueue(store, clock, 'user-notify', 'b', { n: 2 });

    expect(await worker.runOnce()).toEqual({ delivered: 2, failed: 0 });
    expect(delivered).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
    expect(await store.countOutboxPending()).toBe(0);
    expect(await worker.runOnce()).toEqual({ delivered: 0, failed: 0 });
  });

  it('records an attempt before it sends, so the attempt after a crash knows the receiver may have it', async () => {
    const seen: OutboxMessage[] = [];
    let crashed = false;
    // The first attempt dies mid-send (the process is gone: nothing is reported back).
    const handler: OutboxHandler = (message) => {
      seen.push(message);
      if (crashed) return Promise.resolve('ts-1');
      crashed = true;
      return new Promise(() => undefined);
    };
    const { store, clock, worker } = setup({ 'support-notify': handler });
    await enqueue(store, clock, 'support-notify', 'support-post:slack', { n: 1 });
    void worker.runOnce();
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.unconfirmedSince).toBeUndefined();

    // Another worker (the restarted process) once the lease has run out.
    clock.advance(60_000);
    const restarted = createOutboxWorker({ store, handlers: { 'support-notify': handler }, clock, backoff: BACKOFF, leaseMs: 60_000, batch: 10 });
    expect(await restarted.runOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(seen[1]).toMatchObject({ id: seen[0]!.id, unconfirmedSince: clock.now() - 60_000 });
  });

  it('retries with exponential backoff capped at maxMs, without waiting in real time', async () => {
    const flaky = flakyHandler();
    const { store, clock, worker } = setup({ webhook: flaky.handler });
    await enqueue(store, clock, 'webhook', 'MARS-1001', { n: 1 });

    expect(await worker.runOnce()).toEqual({ delivered: 0, failed: 1 });
    // With the jitter pinned at its top the delays are 1 s, 2 s, 4 s, 8 s, then 8 s for ever.
    for (const delay of [1_000, 2_000, 4_000, 8_000, 8_000, 8_000]) {
      clock.advance(delay - 1);
      expect(await worker.runOnce()).toEqual({ delivered: 0, failed: 0 });
      clock.advance(1);
      expect(await worker.runOnce()).toEqual({ delivered: 0, failed: 1 });
    }
    expect(flaky.seen.map((m) => m.attempts)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(flaky.seen.at(-1)?.lastError).toContain('receiver down');

    flaky.state.failing = false;
    clock.advance(BACKOFF.maxMs);
    expect(await worker.runOnce()).toEqual({ delivered: 1, failed: 0 });
    expect(await store.countOutboxPending()).toBe(0);
  });

  it('keeps jittered delays between half the exponential delay and maxMs', () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      for (let attempts = 0; attempts < 60; attempts += 1) {
        const exponential = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** attempts);
        const delay = backoffDelay(attempts, BACKOFF, () => r);
        expect(delay).toBeGreaterThanOrEqual(exponential / 2);
        expect(delay).toBeLessThanOrEqual(BACKOFF.maxMs);
      }
    }
  });

  it('never drops a message: after many failures it is still pending and a warning is logged', async () => {
    const lines: { level: number; msg: string; attempts?: number }[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
          done();
        },
      }),
    );
    const flaky = flakyHandler();
    const { store, clock, worker } = setup({ webhook: flaky.handler }, { warnAfterAttempts: 5, logger });
    await enqueue(store, clock, 'webhook', 'MARS-1001', { n: 1 });

    for (let i = 0; i < 40; i += 1) {
      await worker.runOnce();
      clock.advance(BACKOFF.maxMs);
    }
    expect(flaky.seen).toHaveLength(40);
    expect(await store.countOutboxPending()).toBe(1);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings[0]?.attempts).toBe(5);
    expect(warnings).toHaveLength(36);

    flaky.state.failing = false;
    await worker.runOnce();
    expect(await store.countOutboxPending()).toBe(0);
  });

  it('keeps a message whose kind has no handler, and delivers it once a handler exists', async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const handlers: Record<string, OutboxHandler> = {};
    const worker = createOutboxWorker({ store, handlers, clock, backoff: BACKOFF, leaseMs: 60_000, batch: 10, random: () => 1 });
    await enqueue(store, clock, 'support-notify', 'notify:MARS-1001', { n: 1 });

    expect(await worker.runOnce()).toEqual({ delivered: 0, failed: 1 });
    handlers['support-notify'] = async () => undefined;
    clock.advance(BACKOFF.baseMs);
    expect(await worker.runOnce()).toEqual({ delivered: 1, failed: 0 });
  });

  it('holds back later messages of the same ordering key until the first one is delivered', async () => {
    const order: string[] = [];
    let failFirst = true;
    const { store, clock, worker } = setup({
      webhook: async (m) => {
        const { event } = m.payload as { event: string };
        if (event === 'created' && failFirst) {
          failFirst = false;
          throw new Error('503');
        }
        order.push(event);
      },
    });
    await enqueue(store, clock, 'webhook', 'MARS-1001', { event: 'created' });
    await enqueue(store, clock, 'webhook', 'MARS-1001', { event: 'claimed' });
    await enqueue(store, clock, 'webhook', 'MARS-1002', { event: 'other' });

    expect(await worker.runOnce()).toEqual({ delivered: 1, failed: 1 });
    expect(order).toEqual(['other']);
    clock.advance(BACKOFF.maxMs);
    await worker.runOnce();
    await worker.runOnce();
    expect(order).toEqual(['other', 'created', 'claimed']);
  });

  it('stop() waits for the batch in flight, and nothing runs after it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    let calls = 0;
    const { store, clock, worker } = setup({
      'user-notify': async () => {
        calls += 1;
        started();
        await gate;
      },
    });
    await enqueue(store, clock, 'user-notify', 'a', { n: 1 });

    worker.start(5);
    await handlerStarted;
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);

    release();
    await stopping;
    expect(await store.countOutboxPending()).toBe(0);

    await enqueue(store, clock, 'user-notify', 'b', { n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(1);
    expect(await store.countOutboxPending()).toBe(1);
  });

  it('serialises overlapping runOnce calls so one message is handled once', async () => {
    let calls = 0;
    const { store, clock, worker } = setup({
      'user-notify': async () => {
        calls += 1;
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    await enqueue(store, clock, 'user-notify', 'a', { n: 1 });
    const results = await Promise.all([worker.runOnce(), worker.runOnce(), worker.runOnce()]);
    expect(calls).toBe(1);
    expect(results.map((r) => r.delivered)).toEqual([1, 0, 0]);
  });
});
