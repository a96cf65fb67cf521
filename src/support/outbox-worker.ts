import type { Logger } from 'pino';
import { createLogger } from '../shared/logger';
import { redactSecrets } from '../shared/redact';
import type { OutboxMessage, Store } from '../storage/store';
import type { Clock } from './clock';

/**
 * Delivers one message; resolves with what the receiver answered (a post's id) when there is one.
 * `message.unconfirmedSince` says an earlier attempt may have reached the receiver: a handler that
 * can ask the receiver checks before sending again.
 */
export type OutboxHandler = (message: OutboxMessage) => Promise<string | void>;

export interface OutboxWorkerOptions {
  store: Store;
  /** One handler per message kind ('webhook', 'support-notify', 'user-notify'). */
  handlers: Record<string, OutboxHandler>;
  clock: Clock;
  backoff: { baseMs: number; maxMs: number };
  /** How long a leased message is ours; must exceed the slowest handler (the webhook timeout). */
  leaseMs: number;
  /** Messages leased per run. */
  batch: number;
  logger?: Logger;
  /** 0 ≤ r < 1; injectable so tests can pin the jitter. */
  random?: () => number;
  /** From this many failed attempts on, every further failure is logged as a warning. */
  warnAfterAttempts?: number;
}

export interface OutboxWorker {
  /** Leases one batch and delivers it. Runs never overlap: a second call waits for the first. */
  runOnce(): Promise<{ delivered: number; failed: number }>;
  /** Polls every intervalMs (a run that delivered something is followed by another straight away). */
  start(intervalMs: number): void;
  /** Stops polling and waits for the batch in flight to finish. */
  stop(): Promise<void>;
}

/**
 * Delay before the next attempt after `failuresSoFar` failures: exponential, capped at maxMs,
 * with "equal jitter" (half fixed, half random) so instances that failed together spread out.
 */
export function backoffDelay(failuresSoFar: number, backoff: { baseMs: number; maxMs: number }, random: () => number): number {
  const exponential = backoff.baseMs * 2 ** Math.min(Math.max(failuresSoFar, 0), 40);
  const capped = Math.min(backoff.maxMs, exponential);
  return Math.round(capped / 2 + random() * (capped / 2));
}

/** Stored with the message: redacted, since an error can quote a URL with credentials in it. */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redactSecrets(text.slice(0, 500));
}

/**
 * Delivers outbox messages at least once. A message is never dropped: it stays in the outbox until
 * its handler succeeds, retried with backoff that levels off at maxMs. Messages of one ordering
 * key go out one at a time (the store only leases a key's oldest message), so order holds per key.
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const logger = options.logger ?? createLogger('outbox');
  const random = options.random ?? Math.random;
  const warnAfter = options.warnAfterAttempts ?? 10;
  let inFlight: Promise<{ delivered: number; failed: number }> = Promise.resolve({ delivered: 0, failed: 0 });
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function deliver(message: OutboxMessage): Promise<boolean> {
    const handler = options.handlers[message.kind];
    let receipt: string | void;
    try {
      if (!handler) throw new Error(`no handler for outbox kind "${message.kind}"`);
      // Written before anything goes out: if the process dies mid-send, the next attempt knows.
      await options.store.markOutboxSending(message.id, options.clock.now());
      receipt = await handler(message);
    } catch (error) {
      const failures = message.attempts + 1;
      const delay = backoffDelay(message.attempts, options.backoff, random);
      const reason = describe(error);
      await options.store.markOutboxFailed(message.id, options.clock.now() + delay, reason);
      const fields = { id: message.id, kind: message.kind, orderingKey: message.orderingKey, attempts: failures, retryInMs: delay, error: reason };
      if (failures >= warnAfter) logger.warn(fields, 'outbox message keeps failing; still retrying');
      else logger.info(fields, 'outbox delivery failed; will retry');
      return false;
    }
    // If this write fails the lease runs out and the message goes again (marked unconfirmed): at least once, never lost.
    await options.store.markOutboxDelivered(message.id, receipt ?? undefined);
    return true;
  }

  async function runBatch(): Promise<{ delivered: number; failed: number }> {
    const messages = await options.store.leaseOutbox(options.clock.now(), options.batch, options.leaseMs);
    // Different ordering keys are independent, so one batch goes out in parallel.
    const results = await Promise.all(messages.map(deliver));
    const delivered = results.filter(Boolean).length;
    return { delivered, failed: results.length - delivered };
  }

  function runOnce(): Promise<{ delivered: number; failed: number }> {
    const next = inFlight.catch(() => undefined).then(runBatch);
    inFlight = next;
    return next;
  }

  function schedule(intervalMs: number, delay: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = undefined;
      runOnce().then(
        (result) => {
          // Work went out: there may be more right behind it (the next message of a key only becomes
          // due when the one before it is delivered), so look again straight away.
          schedule(intervalMs, result.delivered > 0 ? 0 : intervalMs);
        },
        (error: unknown) => {
          logger.error({ error: describe(error) }, 'outbox run failed');
          schedule(intervalMs, intervalMs);
        },
      );
    }, delay);
    // A polling loop alone should not keep a CLI process alive.
    timer.unref();
  }

  return {
    runOnce,
    start(intervalMs) {
      if (running) return;
      running = true;
      schedule(intervalMs, 0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight.catch(() => undefined);
    },
  };
}
