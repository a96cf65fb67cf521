import { request } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { shutDown } from '../../src/server/graceful-shutdown';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createOutboxWorker } from '../../src/support/outbox-worker';
import { FakeClock } from '../helpers/fake-clock';
import { FakeEngine } from '../helpers/fake-engine';
import { startHardenedMarsbot, webMessage } from '../security/hardened-marsbot';

/**
 * The shutdown sequence src/index.ts runs on SIGTERM (src/server/graceful-shutdown.ts), step by
 * step: not ready, requests in flight answered and their connections closed, the outbox's batch in
 * flight delivered before the store closes, and a deadline for whatever hangs.
 */

function captureLogger(): { logger: pino.Logger; messages: string[] } {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) messages.push((JSON.parse(line) as { msg: string }).msg);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), messages };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** One request on its own keep-alive connection, to see whether the server closes it afterwards. */
function postKeepAlive(url: string, body: unknown): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/web/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', Connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('graceful shutdown, step by step', () => {
  it('reports not ready while draining, answers the turn in flight with Connection: close, then runs the steps in order', async () => {
    const release = deferred();
    const started = deferred();
    const engine = new FakeEngine(async () => {
      started.resolve();
      await release.promise;
      return [{ kind: 'answer', lang: 'en', title: 'Check the proxy', steps: ['Open the settings'] }];
    });
    const bot = await startHardenedMarsbot({ engine: () => engine });
    const { logger, messages } = captureLogger();
    const order: string[] = [];
    try {
      const inFlight = postKeepAlive(bot.url, webMessage('proxy?'));
      await started.promise;

      const done = shutDown({
        server: bot.server,
        lifecycle: bot.lifecycle,
        steps: [
          { name: 'outbox', run: async () => void order.push('outbox') },
          { name: 'store', run: async () => void order.push('store') },
        ],
        timeoutMs: 10_000,
        logger,
      });
      expect(bot.lifecycle.draining).toBe(true);
      await expect(fetch(`${bot.url}/readyz`)).rejects.toThrow(); // no new connections
      expect(order).toEqual([]); // nothing is torn down under the turn

      release.resolve();
      expect(await inFlight).toEqual({ status: 200, connection: 'close' });
      expect(await done).toBe(0);
      expect(order).toEqual(['outbox', 'store']);
      expect(messages).toContain('HTTP server closed; requests in flight have been answered');
    } finally {
      release.resolve();
      await bot.stop().catch(() => undefined);
    }
  });

  it('says "not ready" on /readyz once draining has begun', async () => {
    const bot = await startHardenedMarsbot({ engine: () => new FakeEngine() });
    try {
      bot.lifecycle.drain();
      const res = await fetch(`${bot.url}/readyz`);
      expect(res.status).toBe(503);
      expect(res.headers.get('connection')).toBe('close');
      expect(await res.json()).toMatchObject({ status: 'not ready', checks: { process: 'shutting down' } });
    } finally {
      await bot.stop();
    }
  });

  it('lets the outbox worker deliver the batch it is holding before the store closes', async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    await store.enqueueOutbox('support-notify', 'ticket:MARS-1001', { ticket: 'MARS-1001' }, clock.now());
    const delivering = deferred();
    const release = deferred();
    const delivered: string[] = [];
    const outbox = createOutboxWorker({
      store,
      clock,
      handlers: {
        'support-notify': async (message) => {
          delivering.resolve();
          await release.promise;
          delivered.push((message.payload as { ticket: string }).ticket);
        },
      },
      backoff: { baseMs: 1000, maxMs: 10_000 },
      leaseMs: 60_000,
      batch: 20,
    });
    const bot = await startHardenedMarsbot({ store, engine: () => new FakeEngine() });
    const { logger } = captureLogger();
    let storeClosedAfter: string[] | undefined;
    outbox.start(60_000);
    await delivering.promise;

    const done = shutDown({
      server: bot.server,
      lifecycle: bot.lifecycle,
      steps: [
        { name: 'outbox', run: () => outbox.stop() },
        { name: 'store', run: async () => void (storeClosedAfter = [...delivered]) },
      ],
      timeoutMs: 10_000,
      logger,
    });
    release.resolve();
    expect(await done).toBe(0);
    expect(storeClosedAfter).toEqual(['MARS-1001']);
    expect(await store.countOutboxPending()).toBe(0);
  });

  it('stops waiting at the deadline, closes what is left and exits with 1', async () => {
    const bot = await startHardenedMarsbot({ engine: () => new FakeEngine() });
    const { logger, messages } = captureLogger();
    const code = await shutDown({
      server: bot.server,
      lifecycle: bot.lifecycle,
      steps: [{ name: 'slack', run: () => new Promise<void>(() => undefined) }],
      timeoutMs: 300,
      logger,
    });
    expect(code).toBe(1);
    expect(messages).toContain('shutdown did not finish in time; closing the remaining connections');
  });
});
