import { Pool, type PoolClient } from 'pg';
import { createLogger } from '../shared/logger';
import { assertOrdered, type Migration } from './migrations/migration';
import { postgresMigrations } from './migrations/postgres';
import { newEtag } from './etag';
import {
  ConflictError,
  type InteractionEvent,
  type OutboxMessage,
  type IdleDocuments,
  type PruneResult,
  type Store,
  type StoreOptions,
  type StoredDocument,
  type Ticket,
  type TicketInput,
  type TicketOutbox,
  type TicketStatus,
  type TicketStatusChange,
  type TurnWrite,
} from './store';
import { createPostgresSharedLimits } from './postgres-shared-limits';
import { inTransaction } from './postgres-transaction';
import { parseTicketNumber } from './ticket-id';
import { ticketFromRow } from './ticket-row';
import { outboxDraftsFor } from './ticket-outbox';
import { planStatusChange } from './ticket-status';

const log = createLogger('storage:postgres');

/** Advisory lock (two int4 keys: "MARS", 1) that serialises schema migrations across instances. */
const MIGRATION_LOCK: [number, number] = [0x4d415253, 1];
/** Expired dedupe keys are swept every this many claims, so the table stays small without a timer. */
const CLAIM_SWEEP_EVERY = 100;

// BIGINT columns arrive as strings from pg; epoch milliseconds and ids fit in a double.
interface TicketDbRow {
  number: string;
  status: TicketStatus;
  claimed_by: string | null;
  resolved_by: string | null;
  created_at: string;
  updated_at: string;
  data: TicketInput;
}

interface OutboxDbRow {
  id: string;
  kind: string;
  ordering_key: string;
  payload: unknown;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  last_error: string | null;
  sending_since: string | null;
}

interface InteractionDbRow {
  at: string;
  channel: string;
  conversation_id: string;
  user_id: string;
  type: string;
  topic: string | null;
  lang: string;
  helpful: boolean | null;
}

function toTicket(row: TicketDbRow): Ticket {
  return ticketFromRow({
    number: Number(row.number),
    status: row.status,
    claimedBy: row.claimed_by,
    resolvedBy: row.resolved_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    input: row.data,
  });
}

function toOutboxMessage(row: OutboxDbRow): OutboxMessage {
  const message: OutboxMessage = {
    id: Number(row.id),
    kind: row.kind,
    orderingKey: row.ordering_key,
    payload: row.payload,
    attempts: row.attempts,
    nextAttemptAt: Number(row.next_attempt_at),
    createdAt: Number(row.created_at),
  };
  if (row.last_error !== null) message.lastError = row.last_error;
  if (row.sending_since !== null) message.unconfirmedSince = Number(row.sending_since);
  return message;
}

function toInteraction(row: InteractionDbRow): InteractionEvent {
  const event: InteractionEvent = {
    at: Number(row.at),
    channel: row.channel,
    conversationId: row.conversation_id,
    userId: row.user_id,
    type: row.type,
    topic: row.topic,
    lang: row.lang,
  };
  if (row.helpful !== null) event.helpful = row.helpful;
  return event;
}

function toJson(value: unknown): string {
  // undefined (or a function) has no JSON text, whatever lib.d.ts says: store it as null.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? 'null';
}

/**
 * Writes one document on the pool or inside a transaction. `expectedEtag`: undefined = last writer
 * wins, null = only create, a string = only replace that version (else ConflictError).
 */
async function writeDocument(
  client: Pool | PoolClient,
  doc: { key: string; json: string; etag: string; now: number },
  expectedEtag: string | null | undefined,
): Promise<void> {
  const { key, json, etag, now } = doc;
  if (expectedEtag === undefined) {
    await client.query(
      `INSERT INTO documents (key, value, etag, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
      [key, json, etag, now],
    );
    return;
  }
  const result =
    expectedEtag === null
      ? await client.query('INSERT INTO documents (key, value, etag, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING', [key, json, etag, now])
      : await client.query('UPDATE documents SET value = $2, etag = $3, updated_at = $4 WHERE key = $1 AND etag = $5', [key, json, etag, now, expectedEtag]);
  if (result.rowCount !== 1) throw new ConflictError(key);
}

/** Inserts interaction events with one statement: one round trip, however many there are. */
async function insertInteractions(client: Pool | PoolClient, events: readonly InteractionEvent[]): Promise<void> {
  if (events.length === 0) return;
  const columns = 8;
  const placeholders = events.map((_, row) => `(${Array.from({ length: columns }, (_, col) => `$${row * columns + col + 1}`).join(', ')})`);
  await client.query(
    `INSERT INTO interactions (at, channel, conversation_id, user_id, type, topic, lang, helpful) VALUES ${placeholders.join(', ')}`,
    events.flatMap((e) => [e.at, e.channel, e.conversationId, e.userId, e.type, e.topic, e.lang, e.helpful ?? null]),
  );
}

async function insertOutbox(client: Pool | PoolClient, kind: string, orderingKey: string, payload: unknown, now: number): Promise<number> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO outbox (kind, ordering_key, payload, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $4) RETURNING id`,
    [kind, orderingKey, toJson(payload), now],
  );
  return Number(rows[0]!.id);
}

/** Writes a ticket's outbox messages on the connection of the transaction that wrote the ticket. */
async function insertTicketOutbox(client: PoolClient, outbox: TicketOutbox | undefined, ticket: Ticket, now: number): Promise<void> {
  for (const draft of outboxDraftsFor(outbox, ticket)) {
    await insertOutbox(client, draft.kind, draft.orderingKey, draft.payload, now);
  }
}

/**
 * Applies the steps this database has not seen yet, in one transaction under an advisory lock:
 * a second instance starting at the same moment waits, then finds nothing left to do.
 */
export async function migratePostgres(pool: Pool, migrations: readonly Migration[] = postgresMigrations): Promise<void> {
  assertOrdered(migrations);
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', MIGRATION_LOCK);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const newest = Math.max(0, ...applied);
    const known = migrations.length ? migrations[migrations.length - 1]!.version : 0;
    if (newest > known) {
      // During a rolling deploy the new release migrates first; old instances keep running on additive steps.
      log.warn({ newest, known }, 'database schema is newer than this release knows');
    }
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      log.info({ version: migration.version, name: migration.name }, 'applied schema migration');
    }
  });
}

/** A Store in PostgreSQL, safe for several bot instances sharing one database. */
export async function createPostgresStore(connectionString: string, options: StoreOptions = {}): Promise<Store> {
  const clock = options.clock ?? Date.now;
  // Bounded waits: a hung or unreachable server fails the turn (the user gets an apology and
  // /readyz turns 503) instead of hanging it.
  const pool = new Pool({ connectionString, max: 10, connectionTimeoutMillis: 5_000, statement_timeout: 15_000, query_timeout: 20_000 });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', (error) => log.warn({ err: error }, 'idle PostgreSQL connection failed'));
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  let closed = false;
  let claimsSinceSweep = 0;

  /** Deletes the idle documents under one key prefix; returns how many. */
  async function pruneDocuments(client: PoolClient, before: number, prefix: string): Promise<number> {
    // left(), not LIKE: '_' in a prefix would be a wildcard.
    const result = await client.query('DELETE FROM documents WHERE updated_at < $1 AND left(key, length($2::text)) = $2::text', [before, prefix]);
    return result.rowCount ?? 0;
  }

  async function ticketByKey(key: string): Promise<Ticket | undefined> {
    const { rows } = await pool.query<TicketDbRow>('SELECT * FROM tickets WHERE idempotency_key = $1', [key]);
    return rows[0] ? toTicket(rows[0]) : undefined;
  }

  return {
    sharedLimits: createPostgresSharedLimits(pool),

    async getDocument<T>(key: string): Promise<StoredDocument<T> | undefined> {
      const { rows } = await pool.query<{ value: T; etag: string }>('SELECT value, etag FROM documents WHERE key = $1', [key]);
      return rows[0] ? { value: rows[0].value, etag: rows[0].etag } : undefined;
    },

    async putDocument(key: string, value: unknown, expectedEtag?: string | null): Promise<string> {
      const etag = newEtag();
      await writeDocument(pool, { key, json: toJson(value), etag, now: clock() }, expectedEtag);
      return etag;
    },

    async deleteDocument(key: string): Promise<void> {
      await pool.query('DELETE FROM documents WHERE key = $1', [key]);
    },

    async claimOnce(key: string, ttlMs: number): Promise<boolean> {
      const now = Date.now();
      if (++claimsSinceSweep >= CLAIM_SWEEP_EVERY) {
        claimsSinceSweep = 0;
        await pool.query('DELETE FROM claims WHERE expires_at <= $1', [now]);
      }
      // A concurrent insert of the same key waits for the first, then re-checks the expiry: one winner.
      const result = await pool.query(
        `INSERT INTO claims (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE claims.expires_at <= $3`,
        [key, now + ttlMs, now],
      );
      return result.rowCount === 1;
    },

    async createTicket(input: TicketInput, now: number, outbox?: TicketOutbox): Promise<{ ticket: Ticket; created: boolean }> {
      // Looking first keeps retries from burning sequence numbers; only true races leave a gap.
      const existing = await ticketByKey(input.idempotencyKey);
      if (existing) return { ticket: existing, created: false };
      const created = await inTransaction(pool, async (client) => {
        const { rows } = await client.query<TicketDbRow>(
          `INSERT INTO tickets (idempotency_key, status, created_at, updated_at, data)
           VALUES ($1, 'open', $2, $2, $3)
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING *`,
          [input.idempotencyKey, now, toJson(input)],
        );
        if (!rows[0]) return undefined;
        const ticket = toTicket(rows[0]);
        await insertTicketOutbox(client, outbox, ticket, now);
        return ticket;
      });
      if (created) return { ticket: created, created: true };
      // Another instance won the race: ON CONFLICT waited for its transaction (ticket and outbox) to commit.
      const winner = await ticketByKey(input.idempotencyKey);
      if (!winner) throw new Error(`ticket for idempotency key "${input.idempotencyKey}" vanished during creation`);
      return { ticket: winner, created: false };
    },

    async getTicket(id: string): Promise<Ticket | undefined> {
      const number = parseTicketNumber(id);
      if (number === undefined) return undefined;
      const { rows } = await pool.query<TicketDbRow>('SELECT * FROM tickets WHERE number = $1', [number]);
      return rows[0] ? toTicket(rows[0]) : undefined;
    },

    async listTickets(filter: { status?: TicketStatus; limit?: number } = {}): Promise<Ticket[]> {
      const limit = filter.limit === undefined ? null : Math.max(0, Math.floor(filter.limit));
      const { rows } = await pool.query<TicketDbRow>(
        'SELECT * FROM tickets WHERE ($1::text IS NULL OR status = $1) ORDER BY number DESC LIMIT $2',
        [filter.status ?? null, limit],
      );
      return rows.map(toTicket);
    },

    async updateTicketStatus(
      id: string,
      status: TicketStatus,
      by: string,
      now: number,
      outbox?: TicketOutbox,
    ): Promise<TicketStatusChange | undefined> {
      const number = parseTicketNumber(id);
      if (number === undefined) return undefined;
      return inTransaction(pool, async (client) => {
        // FOR UPDATE: a second click on another instance waits here and then sees this change.
        const { rows } = await client.query<TicketDbRow>('SELECT * FROM tickets WHERE number = $1 FOR UPDATE', [number]);
        if (!rows[0]) return undefined;
        const plan = planStatusChange(toTicket(rows[0]), status, by, now);
        if (!plan.changed) return plan;
        const updated = plan.ticket;
        await client.query(
          'UPDATE tickets SET status = $2, claimed_by = $3, resolved_by = $4, updated_at = $5 WHERE number = $1',
          [number, status, updated.claimedBy ?? null, updated.resolvedBy ?? null, now],
        );
        await insertTicketOutbox(client, outbox, updated, now);
        return plan;
      });
    },

    async enqueueOutbox(kind: string, orderingKey: string, payload: unknown, now: number): Promise<number> {
      return insertOutbox(pool, kind, orderingKey, payload, now);
    },

    async leaseOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
      if (limit <= 0) return [];
      // One statement, so pick and lease commit together. SKIP LOCKED lets other instances take
      // other heads meanwhile; the NOT EXISTS keeps a key's later message back while an earlier one
      // is undelivered, and a row another instance just leased fails the re-checked due condition.
      const { rows } = await pool.query<OutboxDbRow>(
        `WITH picked AS (
           SELECT o.id FROM outbox o
           WHERE o.delivered_at IS NULL AND o.next_attempt_at <= $1::bigint
             AND NOT EXISTS (
               SELECT 1 FROM outbox earlier
               WHERE earlier.ordering_key = o.ordering_key AND earlier.delivered_at IS NULL AND earlier.id < o.id)
           ORDER BY o.id
           LIMIT $2
           FOR UPDATE SKIP LOCKED
         )
         UPDATE outbox SET next_attempt_at = $1::bigint + $3::bigint
         FROM picked WHERE outbox.id = picked.id
         RETURNING outbox.*`,
        [now, Math.floor(limit), leaseMs],
      );
      return rows.map(toOutboxMessage).sort((a, b) => a.id - b.id);
    },

    async markOutboxSending(id: number, at: number): Promise<void> {
      await pool.query('UPDATE outbox SET sending_since = COALESCE(sending_since, $2::bigint) WHERE id = $1 AND delivered_at IS NULL', [id, at]);
    },

    async markOutboxDelivered(id: number, receipt?: string): Promise<void> {
      // The application's clock, not the server's: prune() compares with a time the application computed.
      await pool.query(
        'UPDATE outbox SET delivered_at = to_timestamp($2::double precision / 1000), receipt = $3 WHERE id = $1 AND delivered_at IS NULL',
        [id, clock(), receipt ?? null],
      );
    },

    async markOutboxFailed(id: number, nextAttemptAt: number, error: string): Promise<void> {
      await pool.query(
        `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3
         WHERE id = $1 AND delivered_at IS NULL`,
        [id, nextAttemptAt, error],
      );
    },

    async countOutboxPending(): Promise<number> {
      const { rows } = await pool.query<{ count: string }>('SELECT COUNT(*) AS count FROM outbox WHERE delivered_at IS NULL');
      return Number(rows[0]!.count);
    },

    async recordInteraction(event: InteractionEvent): Promise<void> {
      await insertInteractions(pool, [event]);
    },

    async saveTurn(write: TurnWrite): Promise<string> {
      const etag = newEtag();
      const now = clock();
      await inTransaction(pool, async (client) => {
        const { key, value, expectedEtag } = write.document;
        await writeDocument(client, { key, json: toJson(value), etag, now }, expectedEtag);
        for (const extra of write.alsoPut ?? []) {
          await writeDocument(client, { key: extra.key, json: toJson(extra.value), etag: newEtag(), now }, undefined);
        }
        await insertInteractions(client, write.interactions ?? []);
      });
      return etag;
    },

    async listInteractions(since?: number): Promise<InteractionEvent[]> {
      const { rows } = await pool.query<InteractionDbRow>(
        'SELECT * FROM interactions WHERE ($1::bigint IS NULL OR at >= $1::bigint) ORDER BY at, id',
        [since ?? null],
      );
      return rows.map(toInteraction);
    },

    async prune(before: number, idle: IdleDocuments): Promise<PruneResult> {
      // BIGINT columns: a fractional bound would not parse; rounding up keeps "written before" exact.
      const bound = Math.ceil(before);
      return inTransaction(pool, async (client) => {
        const counts: Record<string, number> = {};
        for (const [name, prefix] of Object.entries(idle)) counts[name] = await pruneDocuments(client, bound, prefix);
        const outbox = await client.query('DELETE FROM outbox WHERE delivered_at < to_timestamp($1::double precision / 1000)', [bound]);
        return { ...counts, outbox: outbox.rowCount ?? 0 };
      });
    },

    async ping(): Promise<void> {
      await pool.query('SELECT 1');
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
