import type { RateLimit, RateLimits } from '../shared/rate-limiter';
import type { SharedLimits } from './store';

/** The guard's rate limits on buckets every instance shares (PostgreSQL), with the same rule as the in-memory ones. */
export function createSharedRateLimits<K extends string>(shared: SharedLimits, limits: Readonly<Record<K, RateLimit>>, clock: () => number = Date.now): RateLimits<K> {
  return {
    async take(requests) {
      // A limit of 0 per minute is off: it has no bucket.
      const limited = requests.filter((request) => limits[request.kind].perMinute > 0);
      if (limited.length === 0) return { allowed: true };
      const outcome = await shared.takeTokens(
        limited.map((request) => ({ key: `${request.kind}:${request.key}`, ...limits[request.kind] })),
        clock(),
      );
      if (outcome.allowed) return outcome;
      return { allowed: false, kind: limited[outcome.index]!.kind, retryAfterMs: outcome.retryAfterMs };
    },
  };
}
