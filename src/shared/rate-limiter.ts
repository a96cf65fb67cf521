import { LRUCache } from 'lru-cache';

/**
 * Token buckets by key: each key may spend `burst` tokens at once, and earns them back at
 * `perMinute`.
 *
 * `createRateLimiter` keeps one kind of key in this process's memory; `createMemoryRateLimits`
 * puts several kinds together behind the `RateLimits` port the guard uses. With PostgreSQL the
 * composition root gives the guard buckets that live in the database instead
 * (storage/shared-rate-limits.ts), so several instances share one limit.
 */

export interface RateLimit {
  /** Tokens earned back per minute; 0 switches the limit off. */
  perMinute: number;
  /** Bucket size: how many turns may come at once. */
  burst: number;
}

interface RateLimitDecision {
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
   * memory is bounded: when it is full, the least recently used key is forgotten.
   */
  maxKeys?: number;
}

/** One request's buckets, by kind of limit. */
export interface BucketRequest<K extends string> {
  kind: K;
  key: string;
}

type RateLimitOutcome<K extends string> = { allowed: true } | { allowed: false; kind: K; retryAfterMs: number };

/** Several kinds of limit for one request: all of them spend a token, or none does. */
export interface RateLimits<K extends string> {
  /** One token from each bucket when every one has a token; otherwise nothing is spent and the first empty one is named. */
  take(requests: readonly BucketRequest<K>[]): Promise<RateLimitOutcome<K>>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const DEFAULT_MAX_KEYS = 50_000;

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const clock = options.clock ?? Date.now;
  const burst = Math.max(1, options.burst);
  const perMs = options.perMinute / 60_000;
  // A bucket expires when it is full again: a full bucket is the same as no bucket at all.
  const buckets = new LRUCache<string, Bucket>({ max: options.maxKeys ?? DEFAULT_MAX_KEYS, ttlResolution: 0, perf: { now: clock } });
  const unlimited: RateLimitDecision = { allowed: true, retryAfterMs: 0 };

  function refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: burst, updatedAt: now };
    // A clock that steps back (NTP) must not take tokens away.
    const elapsed = Math.max(0, now - bucket.updatedAt);
    return { tokens: Math.min(burst, bucket.tokens + elapsed * perMs), updatedAt: now };
  }

  function decide(bucket: Bucket): RateLimitDecision {
    if (bucket.tokens >= 1) return unlimited;
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }

  return {
    check(key) {
      if (options.perMinute <= 0) return unlimited;
      return decide(refilled(buckets.peek(key), clock()));
    },
    take(key) {
      if (options.perMinute <= 0) return unlimited;
      const bucket = refilled(buckets.get(key), clock());
      const decision = decide(bucket);
      if (decision.allowed) bucket.tokens -= 1;
      buckets.set(key, bucket, { ttl: Math.max(1, Math.ceil((burst - bucket.tokens) / perMs)) });
      return decision;
    },
  };
}

/** Every kind in this process's memory (memory and SQLite stores, tests, the CLI). */
export function createMemoryRateLimits<K extends string>(limits: Readonly<Record<K, RateLimit>>, options: { clock?: () => number; maxKeys?: number } = {}): RateLimits<K> {
  const limiters = new Map<K, RateLimiter>();
  const limiterOf = (kind: K): RateLimiter => {
    let limiter = limiters.get(kind);
    if (!limiter) limiters.set(kind, (limiter = createRateLimiter({ ...limits[kind], ...options })));
    return limiter;
  };
  return {
    take(requests) {
      // Check all before spending: a turn refused for its conversation must not cost the user a token.
      for (const request of requests) {
        const decision = limiterOf(request.kind).check(request.key);
        if (!decision.allowed) return Promise.resolve({ allowed: false, kind: request.kind, retryAfterMs: decision.retryAfterMs });
      }
      for (const request of requests) limiterOf(request.kind).take(request.key);
      return Promise.resolve({ allowed: true });
    },
  };
}
