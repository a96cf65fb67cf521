import type { Logger } from 'pino';
import { ConflictError, type Store } from '../storage/store';

/**
 * Watches the store the bot actually uses, for /readyz. A cheap ping is not enough: a SQLite file
 * that another process holds locked, or that became read-only, still answers "SELECT 1" while every
 * write fails. So every call through the watched store counts: once one fails, /readyz reports the
 * store unavailable until a write goes through again — a turn's, or the probe /readyz makes itself
 * (without that probe a load balancer that stopped sending traffic would never see it recover).
 */

export interface StoreHealth {
  /** The last failure, while the store is considered down. */
  failure(): { message: string; since: number } | undefined;
  /** Tries one small write; clears the failure when it works. */
  probe(): Promise<void>;
}

export interface WatchedStore {
  store: Store;
  health: StoreHealth;
}

const PROBE_KEY = 'marsbot:readiness-probe';
/** Calls that only read: their success says nothing about whether writes work again. */
const READS = new Set(['getDocument', 'getTicket', 'listTickets', 'countOutboxPending', 'listInteractions', 'ping']);

export function watchStore(store: Store, options: { logger?: Logger; clock?: () => number } = {}): WatchedStore {
  const clock = options.clock ?? Date.now;
  let down: { message: string; since: number } | undefined;

  function failed(method: string, err: unknown): void {
    // Losing an optimistic-concurrency race is the store working as designed.
    if (err instanceof ConflictError) return;
    const message = (err instanceof Error ? `${err.name}: ${err.message}` : `Error: ${String(err)}`).slice(0, 300);
    if (!down) options.logger?.error({ method, err }, 'store unavailable');
    down = { message, since: down?.since ?? clock() };
  }

  function succeeded(method: string): void {
    if (!down || READS.has(method)) return;
    options.logger?.info({ method, downForMs: clock() - down.since }, 'store available again');
    down = undefined;
  }

  // A Proxy rather than a hand-written delegate: the Store port grows, and every method is watched.
  // Each method is wrapped once, not on every call: the turn path calls the store several times.
  const wrapped = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const watched = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'close') return value;
      let wrapper = wrapped.get(property);
      if (!wrapper) {
        wrapper = async (...args: unknown[]) => {
          try {
            // Looked up at call time: a method replaced on the store later is the one that runs.
            const method = Reflect.get(target, property) as (...a: unknown[]) => Promise<unknown>;
            const result = await method.apply(target, args);
            succeeded(property);
            return result;
          } catch (err) {
            failed(property, err);
            throw err;
          }
        };
        wrapped.set(property, wrapper);
      }
      return wrapper;
    },
  });

  return {
    store: watched,
    health: {
      failure: () => down,
      async probe() {
        await watched.putDocument(PROBE_KEY, { at: clock() });
      },
    },
  };
}
