import type { Logger } from 'pino';
import { createLogger } from '../shared/logger';
import type { IdleDocuments, PruneResult, Store } from './store';

export const DAY_MS = 86_400_000;
/** A sweep deletes at most an hour's worth of newly idle conversations: small transactions. */
const SWEEP_EVERY_MS = 60 * 60_000;
/** Out of start-up's way, yet soon enough that a process restarted often still sweeps. */
const FIRST_SWEEP_AFTER_MS = 30_000;

/**
 * Timers as a port, so tests fire them by hand instead of waiting. The task never rejects; its
 * promise only tells a test when the sweep it started is done. The returned functions cancel.
 */
export interface SweepTimers {
  after(delayMs: number, task: () => Promise<unknown>): () => void;
  every(intervalMs: number, task: () => Promise<unknown>): () => void;
}

/** Node's timers, unref'd: a sweep that is merely scheduled never keeps the process alive. */
const nodeSweepTimers: SweepTimers = {
  after(delayMs, task) {
    const timer = setTimeout(() => void task(), delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  },
  every(intervalMs, task) {
    const timer = setInterval(() => void task(), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  },
};

export interface RetentionSweeperOptions {
  store: Pick<Store, 'prune'>;
  /** Which documents count as a conversation's and go once idle (conversation states, Teams references). */
  idle: IdleDocuments;
  /** At least 1. RETENTION_DAYS=0 ("keep everything") means: create no sweeper at all. */
  retentionDays: number;
  /** Epoch milliseconds; the same time source the store stamps its writes with. */
  clock: () => number;
  logger?: Logger;
  timers?: SweepTimers;
  firstSweepAfterMs?: number;
  sweepEveryMs?: number;
}

export interface RetentionSweeper {
  /** One sweep. Never rejects: a failure is logged and undefined returned. Sweeps never overlap. */
  runOnce(): Promise<PruneResult | undefined>;
  /** Sweeps shortly after start, then every hour. */
  start(): void;
  /** Cancels the schedule and waits for a sweep in flight, so the store can close after it. */
  stop(): Promise<void>;
}

/**
 * Deletes what has outlived the retention period (see Store.prune): conversation transcripts are
 * customer data, and without this the database only ever grows. The log line carries counts only.
 */
export function createRetentionSweeper(options: RetentionSweeperOptions): RetentionSweeper {
  const { store, retentionDays, clock } = options;
  // A zero or negative period would delete every conversation on the spot, the opposite of "keep".
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError(`retention period must be a whole number of days ≥ 1, got ${retentionDays}`);
  }
  const logger = options.logger ?? createLogger('retention');
  const timers = options.timers ?? nodeSweepTimers;
  let inFlight: Promise<PruneResult | undefined> = Promise.resolve(undefined);
  let cancels: (() => void)[] = [];
  let running = false;
  let sweeping = false;

  async function sweep(): Promise<PruneResult | undefined> {
    sweeping = true;
    try {
      const before = clock() - retentionDays * DAY_MS;
      const pruned = await store.prune(before, options.idle);
      logger.info({ ...pruned, retentionDays }, 'retention sweep: idle conversations and delivered outbox messages deleted');
      return pruned;
    } catch (err) {
      logger.error({ err }, 'retention sweep failed; trying again at the next sweep');
      return undefined;
    } finally {
      sweeping = false;
    }
  }

  function runOnce(): Promise<PruneResult | undefined> {
    const next = inFlight.then(sweep);
    inFlight = next;
    return next;
  }

  async function scheduled(): Promise<unknown> {
    // A store slow enough to still be sweeping an hour later gets no second sweep queued behind it.
    return running && !sweeping ? runOnce() : undefined;
  }

  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      cancels = [
        timers.after(options.firstSweepAfterMs ?? FIRST_SWEEP_AFTER_MS, scheduled),
        timers.every(options.sweepEveryMs ?? SWEEP_EVERY_MS, scheduled),
      ];
    },
    async stop() {
      running = false;
      for (const cancel of cancels) cancel();
      cancels = [];
      await inFlight;
    },
  };
}
