import { Writable } from 'node:stream';
import pino from 'pino';
import { referenceKey } from '../../src/channels/teams/conversation-references';
import { ConfigError, loadConfig } from '../../src/config';
import { conversationKey, userKey } from '../../src/conversation/create-engine';
import { shutDown } from '../../src/server/graceful-shutdown';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createRetentionSweeper, DAY_MS, type SweepTimers } from '../../src/storage/retention-sweeper';
import type { PruneResult, Store } from '../../src/storage/store';
import { supportChannelKey } from '../../src/support/support-channels';
import { postsKey } from '../../src/support/ticket-posts';
import { FakeEngine } from '../helpers/fake-engine';
import { startHardenedMarsbot } from '../security/hardened-marsbot';
import { IDLE_DOCUMENTS } from '../../src/create-marsbot';

/** Timers the test fires by hand: no waiting, and it can see what was scheduled and cancelled. */
class FakeSweepTimers implements SweepTimers {
  readonly scheduled: { kind: 'after' | 'every'; ms: number; task: () => Promise<unknown>; cancelled: boolean }[] = [];

  after(ms: number, task: () => Promise<unknown>): () => void {
    return this.add('after', ms, task);
  }

  every(ms: number, task: () => Promise<unknown>): () => void {
    return this.add('every', ms, task);
  }

  /** Fires the timer of that kind (as Node would, even if it was cancelled) and waits for its sweep. */
  async fire(kind: 'after' | 'every'): Promise<void> {
    const timer = this.scheduled.find((t) => t.kind === kind);
    if (!timer) throw new Error(`no ${kind} timer scheduled`);
    await timer.task();
  }

  private add(kind: 'after' | 'every', ms: number, task: () => Promise<unknown>): () => void {
    const timer = { kind, ms, task, cancelled: false };
    this.scheduled.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

function captureLogger(): { logger: pino.Logger; lines: LogLine[]; raw: string[] } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines, raw };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const INFO = 30;
const ERROR = 50;

describe('retention sweeper', () => {
  let now: number;
  let store: Store;
  let timers: FakeSweepTimers;

  beforeEach(() => {
    now = T0;
    store = createMemoryStore({ clock: () => now });
    timers = new FakeSweepTimers();
  });

  afterEach(async () => {
    await store.close();
  });

  it('sweeps shortly after start and then every hour, deleting what was idle longer than the period', async () => {
    const { logger, lines, raw } = captureLogger();
    await store.putDocument('conversation:teams:19:a', { transcript: ['server srv-db-01 says 0x80070005'] });
    await store.putDocument('teams-ref:19:a', { serviceUrl: 'https://smba.example/emea/' });
    await store.putDocument('user:teams:u1', { lang: 'en' });
    const delivered = await store.enqueueOutbox('webhook', 'MARS-1001', { event: 'ticket.created' }, now);
    await store.leaseOutbox(now, 10, 1_000);
    await store.markOutboxDelivered(delivered);
    now = T0 + 60 * DAY_MS;
    await store.putDocument('conversation:slack:D1', { step: 1 });

    now = T0 + 91 * DAY_MS;
    const sweeper = createRetentionSweeper({ idle: IDLE_DOCUMENTS, store, retentionDays: 90, clock: () => now, logger, timers });
    sweeper.start();
    sweeper.start(); // a second start schedules nothing more
    expect(timers.scheduled.map(({ kind, ms }) => ({ kind, ms }))).toEqual([
      { kind: 'after', ms: 30_000 },
      { kind: 'every', ms: 3_600_000 },
    ]);

    await timers.fire('after');
    expect(await store.getDocument('conversation:teams:19:a')).toBeUndefined();
    expect(await store.getDocument('teams-ref:19:a')).toBeUndefined();
    expect(await store.getDocument('conversation:slack:D1')).toBeDefined();
    expect(await store.getDocument('user:teams:u1')).toBeDefined();
    const info = lines.filter((line) => line.level === INFO);
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({ conversations: 1, references: 1, outbox: 1, retentionDays: 90 });
    // Counts only: no keys, no conversation content.
    expect(raw.join('\n')).not.toMatch(/19:a|srv-db-01|0x80070005|MARS-1001/);

    now = T0 + 151 * DAY_MS;
    await timers.fire('every');
    expect(await store.getDocument('conversation:slack:D1')).toBeUndefined();
    expect(lines.filter((line) => line.level === INFO)[1]).toMatchObject({ conversations: 1, references: 0, outbox: 0 });
    await sweeper.stop();
  });

  it('logs a failing store and sweeps again at the next hour, without crashing', async () => {
    const { logger, lines } = captureLogger();
    await store.putDocument('conversation:web:w1', { step: 1 });
    now = T0 + 100 * DAY_MS;
    let calls = 0;
    const flaky: Pick<Store, 'prune'> = {
      prune: async (before, idle) => {
        calls += 1;
        if (calls === 1) throw new Error('SQLITE_BUSY: database is locked');
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a dependency throwing a string is the case under test
        if (calls === 2) throw 'connection reset'; // not even an Error
        return store.prune(before, idle);
      },
    };
    const sweeper = createRetentionSweeper({ idle: IDLE_DOCUMENTS, store: flaky, retentionDays: 30, clock: () => now, logger, timers });
    sweeper.start();

    await timers.fire('after');
    await timers.fire('every');
    expect(lines.filter((line) => line.level === ERROR)).toEqual([
      expect.objectContaining({ err: expect.objectContaining({ type: 'Error', message: 'SQLITE_BUSY: database is locked' }) }),
      // Not an Error: logged as it was thrown.
      expect.objectContaining({ err: 'connection reset' }),
    ]);
    expect(await store.getDocument('conversation:web:w1')).toBeDefined();

    await timers.fire('every');
    expect(await store.getDocument('conversation:web:w1')).toBeUndefined();
    expect(lines.filter((line) => line.level === INFO)).toEqual([expect.objectContaining({ conversations: 1 })]);
    await expect(sweeper.runOnce()).resolves.toEqual({ conversations: 0, references: 0, webUpdates: 0, outbox: 0 });
    await sweeper.stop();
  });

  it('stops: cancels its timers, waits for the sweep in flight, and sweeps no more', async () => {
    const release = deferred();
    const started = deferred();
    let sweeps = 0;
    const slow: Pick<Store, 'prune'> = {
      prune: async (before, idle) => {
        sweeps += 1;
        started.resolve();
        await release.promise;
        return store.prune(before, idle);
      },
    };
    const sweeper = createRetentionSweeper({ idle: IDLE_DOCUMENTS, store: slow, retentionDays: 90, clock: () => now, logger: captureLogger().logger, timers });
    sweeper.start();
    const firstSweep = timers.fire('after');
    await started.promise;

    let stopped = false;
    const stopping = sweeper.stop().then(() => {
      stopped = true;
    });
    expect(timers.scheduled.every((timer) => timer.cancelled)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false); // still waiting for the sweep in flight
    release.resolve();
    await stopping;
    await firstSweep;

    await timers.fire('every'); // a tick that raced the cancel
    expect(sweeps).toBe(1);
  });

  it('finishes its sweep before graceful shutdown closes the store', async () => {
    const release = deferred();
    const started = deferred();
    let prunedBeforeClose: PruneResult | undefined;
    let result: PruneResult | undefined;
    await store.putDocument('conversation:teams:19:b', { step: 1 });
    now = T0 + 100 * DAY_MS;
    const slow: Pick<Store, 'prune'> = {
      prune: async (before, idle) => {
        started.resolve();
        await release.promise;
        result = await store.prune(before, idle);
        return result;
      },
    };
    const sweeper = createRetentionSweeper({ idle: IDLE_DOCUMENTS, store: slow, retentionDays: 90, clock: () => now, logger: captureLogger().logger, timers });
    const bot = await startHardenedMarsbot({ store, engine: () => new FakeEngine() });
    sweeper.start();
    void timers.fire('after');
    await started.promise;

    const done = shutDown({
      server: bot.server,
      lifecycle: bot.lifecycle,
      // The order src/index.ts uses: the sweeper stops before the store closes.
      steps: [
        {
          name: 'retention',
          run: () => {
            const stopping = sweeper.stop();
            // The sweep finishes only after stop() was called: the store step must wait for it.
            setImmediate(() => release.resolve());
            return stopping;
          },
        },
        { name: 'store', run: async () => void (prunedBeforeClose = result) },
      ],
      timeoutMs: 10_000,
      logger: captureLogger().logger,
    });
    expect(await done).toBe(0);
    expect(prunedBeforeClose).toEqual({ conversations: 1, references: 0, webUpdates: 0, outbox: 0 });
  });

  it('refuses a period under one day: that would delete every conversation at once (RETENTION_DAYS=0 means no sweeper)', () => {
    for (const retentionDays of [0, -1, 0.5, Number.NaN]) {
      expect(() => createRetentionSweeper({ idle: IDLE_DOCUMENTS, store, retentionDays, clock: () => now, timers })).toThrow(RangeError);
    }
    expect(timers.scheduled).toEqual([]);
  });
});

describe('RETENTION_DAYS', () => {
  function problem(value: string): string {
    try {
      loadConfig({ RETENTION_DAYS: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error(`RETENTION_DAYS=${value} should have been rejected`);
  }

  it('keeps 90 days unless set; 0 keeps everything; up to ten years', () => {
    expect(loadConfig({}).retentionDays).toBe(90);
    expect(loadConfig({ RETENTION_DAYS: '' }).retentionDays).toBe(90);
    expect(loadConfig({ RETENTION_DAYS: '0' }).retentionDays).toBe(0);
    expect(loadConfig({ RETENTION_DAYS: ' 30 ' }).retentionDays).toBe(30);
    expect(loadConfig({ RETENTION_DAYS: '3650' }).retentionDays).toBe(3650);
  });

  it('names the variable and says what is allowed', () => {
    expect(problem('forever')).toContain('RETENTION_DAYS: must be a whole number of days (0 keeps everything)');
    expect(problem('1.5')).toContain('RETENTION_DAYS: must be a whole number of days');
    expect(problem('-1')).toContain('RETENTION_DAYS: must be between 0 (keep everything) and 3650 days');
    expect(problem('3651')).toContain('RETENTION_DAYS: must be between 0 (keep everything) and 3650 days');
  });
});

describe('the keys retention prunes', () => {
  // The prefixes are put together in the composition root; the keys are made in the engine and the Teams channel.
  const pruned = (key: string): boolean => Object.values(IDLE_DOCUMENTS).some((prefix) => key.startsWith(prefix));

  it('are the keys of conversation states and Teams conversation references', () => {
    expect(pruned(conversationKey({ channel: 'teams', conversationId: '19:abc@thread.tacv2' }))).toBe(true);
    expect(pruned(conversationKey({ channel: 'slack', conversationId: 'D1' }))).toBe(true);
    expect(pruned(referenceKey('19:abc@thread.tacv2'))).toBe(true);
  });

  it('are never the keys of user preferences, the support channels or where tickets were posted', () => {
    for (const key of [userKey({ channel: 'teams', userId: 'u1' }), userKey({ channel: 'slack', userId: 'U1' }), supportChannelKey('teams'), supportChannelKey('slack'), postsKey('MARS-1001')]) {
      expect({ key, pruned: pruned(key) }).toEqual({ key, pruned: false });
    }
  });
});
