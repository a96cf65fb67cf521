/**
 * How many tickets one conversation and one client address may open in any 60 minutes. Every
 * ticket reaches people (a post in each support channel, a webhook event), so a script that opens
 * conversations faster than anyone types must not be able to turn each into a ticket.
 *
 * A sliding window per key, kept in this instance's memory like the rate limits (with several
 * instances the caps apply per instance). A ticket is reserved before it is created, so a burst of
 * concurrent requests cannot all slip past the check, and released when no ticket came of it (an
 * existing ticket returned, or the store failed).
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
export interface TicketRequester {
  conversation: string;
  address?: string;
}

export type TicketReservation = { allowed: true; release(): void } | { allowed: false; limit: 'conversation' | 'address'; retryAfterMs: number };

export interface TicketQuota {
  reserve(requester: TicketRequester): TicketReservation;
}

const HOUR_MS = 60 * 60_000;
const DEFAULT_MAX_KEYS = 50_000;

export function createTicketQuota(settings: TicketQuotaSettings): TicketQuota {
  const clock = settings.clock ?? Date.now;
  const maxKeys = settings.maxKeys ?? DEFAULT_MAX_KEYS;
  /** Key → the times of the tickets it opened in the last hour, oldest first. */
  const windows = new Map<string, number[]>();

  function recent(key: string, now: number): number[] {
    const times = (windows.get(key) ?? []).filter((at) => at > now - HOUR_MS);
    // Re-inserted: Map order is the eviction order, least recently used first.
    windows.delete(key);
    if (times.length > 0) windows.set(key, times);
    return times;
  }

  function remember(key: string, times: number[]): void {
    windows.delete(key);
    windows.set(key, times);
    while (windows.size > maxKeys) windows.delete(windows.keys().next().value!);
  }

  return {
    reserve(requester) {
      const now = clock();
      const checks: { limit: 'conversation' | 'address'; key: string; cap: number }[] = [
        { limit: 'conversation', key: `conversation:${requester.conversation}`, cap: settings.perConversationPerHour },
        ...(requester.address ? [{ limit: 'address' as const, key: `address:${requester.address}`, cap: settings.perAddressPerHour }] : []),
      ];
      const capped = checks.filter((check) => check.cap > 0);
      const windowsNow = capped.map((check) => ({ ...check, times: recent(check.key, now) }));
      const full = windowsNow.find((check) => check.times.length >= check.cap);
      if (full) return { allowed: false, limit: full.limit, retryAfterMs: full.times[full.times.length - full.cap]! + HOUR_MS - now };
      for (const check of windowsNow) remember(check.key, [...check.times, now]);
      let released = false;
      return {
        allowed: true,
        release() {
          if (released) return;
          released = true;
          for (const check of windowsNow) {
            const times = windows.get(check.key);
            const index = times?.indexOf(now) ?? -1;
            if (times && index !== -1) times.splice(index, 1);
          }
        },
      };
    },
  };
}
