import { LRUCache } from 'lru-cache';
import type { SharedLimits } from '../storage/store';

/**
 * How many tickets one conversation and one client address may open in any 60 minutes. Every
 * ticket reaches people (a post in each support channel, a webhook event), so a script that opens
 * conversations faster than anyone types must not be able to turn each into a ticket.
 *
 * A sliding window per key: in this process's memory (memory and SQLite stores), or in PostgreSQL
 * (`createSharedTicketQuota`), where every instance counts against the same caps. A ticket is
 * reserved before it is created, so a burst of concurrent requests cannot all slip past the check,
 * and released when no ticket came of it (an existing ticket returned, or the store failed).
 */

export interface TicketQuotaSettings {
  /** 0: no cap per conversation. */
  perConversationPerHour: number;
  /** 0: no cap per client address. */
  perAddressPerHour: number;
  clock?: () => number;
  /** Most keys remembered; the least recently used go first when it is full. */
  maxKeys?: number;
}

/** Who asks for a ticket: the conversation, and the client address when the client talks to us directly. */
interface TicketRequester {
  conversation: string;
  address?: string;
}

export type TicketReservation = { allowed: true; release(): Promise<void> } | { allowed: false; limit: 'conversation' | 'address'; retryAfterMs: number };

export interface TicketQuota {
  reserve(requester: TicketRequester): Promise<TicketReservation>;
}

const HOUR_MS = 60 * 60_000;
const DEFAULT_MAX_KEYS = 50_000;

type Limit = 'conversation' | 'address';

/** The windows a requester counts in, leaving out the caps that are off. */
function checksFor(settings: TicketQuotaSettings, requester: TicketRequester): { limit: Limit; key: string; cap: number }[] {
  const checks: { limit: Limit; key: string; cap: number }[] = [
    { limit: 'conversation', key: `conversation:${requester.conversation}`, cap: settings.perConversationPerHour },
    ...(requester.address ? [{ limit: 'address' as const, key: `address:${requester.address}`, cap: settings.perAddressPerHour }] : []),
  ];
  return checks.filter((check) => check.cap > 0);
}

export function createTicketQuota(settings: TicketQuotaSettings): TicketQuota {
  const clock = settings.clock ?? Date.now;
  /** Key → the times of the tickets it opened in the last hour, oldest first; a key with none for an hour is forgotten. */
  const windows = new LRUCache<string, number[]>({ max: settings.maxKeys ?? DEFAULT_MAX_KEYS, ttl: HOUR_MS, ttlResolution: 0, perf: { now: clock } });

  const recent = (key: string, now: number): number[] => (windows.get(key) ?? []).filter((at) => at > now - HOUR_MS);

  return {
    reserve(requester) {
      const now = clock();
      const windowsNow = checksFor(settings, requester).map((check) => ({ ...check, times: recent(check.key, now) }));
      const full = windowsNow.find((check) => check.times.length >= check.cap);
      if (full) return Promise.resolve({ allowed: false, limit: full.limit, retryAfterMs: full.times[full.times.length - full.cap]! + HOUR_MS - now });
      for (const check of windowsNow) windows.set(check.key, [...check.times, now]);
      let released = false;
      return Promise.resolve({
        allowed: true,
        release() {
          if (released) return Promise.resolve();
          released = true;
          for (const check of windowsNow) {
            const times = windows.peek(check.key);
            const index = times?.indexOf(now) ?? -1;
            if (times && index !== -1) times.splice(index, 1);
          }
          return Promise.resolve();
        },
      });
    },
  };
}

/** The same caps counted in PostgreSQL, shared by every instance on the database. */
export function createSharedTicketQuota(shared: SharedLimits, settings: TicketQuotaSettings): TicketQuota {
  const clock = settings.clock ?? Date.now;
  return {
    async reserve(requester) {
      const checks = checksFor(settings, requester);
      if (checks.length === 0) return { allowed: true, release: () => Promise.resolve() };
      const outcome = await shared.reserveSlots(
        checks.map((check) => ({ key: `ticket:${check.key}`, cap: check.cap, windowMs: HOUR_MS })),
        clock(),
      );
      if (!outcome.allowed) return { allowed: false, limit: checks[outcome.index]!.limit, retryAfterMs: outcome.retryAfterMs };
      let released = false;
      return {
        allowed: true,
        async release() {
          if (released) return;
          released = true;
          await shared.releaseSlots(outcome.ids);
        },
      };
    },
  };
}
