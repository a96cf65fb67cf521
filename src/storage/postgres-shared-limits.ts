import type { Pool } from 'pg';
import { inTransactionOrRollback, Rollback } from './postgres-transaction';
import type { SharedLimitRefusal, SharedLimits } from './store';

/**
 * Rate buckets and ticket windows in PostgreSQL (tables of migration 4), so every instance on the
 * database counts against one limit.
 *
 * A take is one upsert per bucket inside one transaction: the upsert locks the bucket's row, so a
 * second instance taking from the same bucket waits and then sees the spent token. A refused bucket
 * rolls the whole transaction back, so the others keep their tokens. Buckets are always taken in the
 * caller's order (address, user, conversation), so two transactions never wait on each other in a
 * circle. Ticket windows lock their keys with transaction-scoped advisory locks, count the slots of
 * the last window, and insert one row per slot.
 */

/** Rows of full buckets and old slots are swept every this many calls, so the tables stay small without a timer. */
const SWEEP_EVERY = 500;

export function createPostgresSharedLimits(pool: Pool): SharedLimits {
  let callsSinceSweep = 0;

  async function sweep(now: number): Promise<void> {
    if (++callsSinceSweep < SWEEP_EVERY) return;
    callsSinceSweep = 0;
    await pool.query('DELETE FROM rate_buckets WHERE full_at <= $1', [now]);
    // Slots older than a day count in no window we use (the longest is an hour).
    await pool.query('DELETE FROM ticket_windows WHERE at <= $1', [now - 24 * 60 * 60_000]);
  }

  return {
    async takeTokens(requests, now) {
      await sweep(now);
      return inTransactionOrRollback<{ allowed: true }, SharedLimitRefusal>(pool, async (client) => {
        for (const [index, request] of requests.entries()) {
          const burst = Math.max(1, request.burst);
          const perMs = request.perMinute / 60_000;
          // The bucket refilled to now, less the token this request spends (negative: there was none).
          const { rows } = await client.query<{ tokens: number }>(
            `INSERT INTO rate_buckets AS b (key, tokens, updated_at, full_at)
             VALUES ($1, $2::float8 - 1, $3::bigint, $3::bigint + ceil(1 / $4::float8)::bigint)
             ON CONFLICT (key) DO UPDATE SET
               tokens = LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.updated_at) * $4::float8) - 1,
               updated_at = $3::bigint,
               full_at = $3::bigint + ceil(($2::float8 - (LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.updated_at) * $4::float8) - 1)) / $4::float8)::bigint
             RETURNING tokens`,
            [request.key, burst, now, perMs],
          );
          const left = rows[0]?.tokens ?? 0;
          if (left < 0) throw new Rollback<SharedLimitRefusal>({ allowed: false, index, retryAfterMs: Math.ceil(-left / perMs) });
        }
        return { allowed: true };
      });
    },

    async reserveSlots(requests, now) {
      await sweep(now);
      return inTransactionOrRollback<{ allowed: true; ids: number[] }, SharedLimitRefusal>(pool, async (client) => {
        // Locks in key order: two reservations over the same keys never wait on each other in a circle.
        for (const key of [...new Set(requests.map((r) => r.key))].sort()) {
          await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
        }
        for (const [index, request] of requests.entries()) {
          const { rows } = await client.query<{ at: string }>('SELECT at FROM ticket_windows WHERE key = $1 AND at > $2 ORDER BY at', [request.key, now - request.windowMs]);
          if (rows.length >= request.cap) {
            const freedAt = Number(rows[rows.length - request.cap]!.at) + request.windowMs;
            throw new Rollback<SharedLimitRefusal>({ allowed: false, index, retryAfterMs: freedAt - now });
          }
        }
        const { rows } = await client.query<{ id: string }>(
          'INSERT INTO ticket_windows (key, at) SELECT key, $2::bigint FROM unnest($1::text[]) AS key RETURNING id',
          [requests.map((r) => r.key), now],
        );
        return { allowed: true, ids: rows.map((row) => Number(row.id)) };
      });
    },

    async releaseSlots(ids) {
      if (ids.length === 0) return;
      await pool.query('DELETE FROM ticket_windows WHERE id = ANY($1::bigint[])', [ids]);
    },
  };
}
