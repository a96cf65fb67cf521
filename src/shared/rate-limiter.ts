/**
 * Token buckets by key: each key may spend `burst` tokens at once, and earns them back at
 * `perMinute`. One process-local limiter per kind of key (user, conversation).
 *
 * Buckets live in memory. With several instances behind a load balancer each instance limits on
 * its own, so the effective limit is the configured one times the instance count — good enough to
 * stop a runaway client or a loop between two bots, which is what this is for.
 */

export interface RateLimit {
  /** Tokens earned back per minute; 0 switches the limit off. */
  perMinute: number;
  /** Bucket size: how many turns may come at once. */
  burst: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** When not allowed: how long until one token is back. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Whether `key` has a token now, without spending it. */
  check(key: string): RateLimitDecision;
  /** Spends one token of `key` when there is one. */
  take(key: string): RateLimitDecision;
}

export interface RateLimiterOptions extends RateLimit {
  clock?: () => number;
  /**
   * Most keys kept. Keys come from the platforms (and, for the web chat, from the browser), so the
   * map is bounded: when it is full, full buckets are dropped first, then the oldest entries.
   */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const DEFAULT_MAX_KEYS = 50_000;

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const clock = options.clock ?? Date.now;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const burst = Math.max(1, options.burst);
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  const unlimited: RateLimitDecision = { allowed: true, retryAfterMs: 0 };

  function refilled(key: string, now: number): Bucket {
    const bucket = buckets.get(key);
    if (!bucket) return { tokens: burst, updatedAt: now };
    // A clock that steps back (NTP) must not take tokens away.
    const elapsed = Math.max(0, now - bucket.updatedAt);
    return { tokens: Math.min(burst, bucket.tokens + elapsed * perMs), updatedAt: now };
  }

  function decide(bucket: Bucket): RateLimitDecision {
    if (bucket.tokens >= 1) return unlimited;
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }

  function makeRoom(now: number): void {
    if (buckets.size < maxKeys) return;
    // A bucket that has refilled completely is the same as no bucket at all.
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * perMs >= burst) buckets.delete(key);
    }
    // Still nearly full: forget the least recently used tenth (Map keeps insertion order, see
    // `take`), so a flood of new keys costs one sweep per many requests rather than one each.
    const target = Math.floor(maxKeys * 0.9);
    for (const key of buckets.keys()) {
      if (buckets.size <= target) break;
      buckets.delete(key);
    }
  }

  return {
    check(key) {
      if (options.perMinute <= 0) return unlimited;
      return decide(refilled(key, clock()));
    },
    take(key) {
      if (options.perMinute <= 0) return unlimited;
      const now = clock();
      const bucket = refilled(key, now);
      const decision = decide(bucket);
      if (decision.allowed) bucket.tokens -= 1;
      if (!buckets.has(key)) makeRoom(now);
      // Re-inserting moves the key to the end: the eviction order above is least recently used first.
      buckets.delete(key);
      buckets.set(key, bucket);
      return decision;
    },
  };
}
