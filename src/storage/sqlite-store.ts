import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../shared/logger';
import { assertOrdered, type Migration } from './migrations/migration';
import { sqliteMigrations } from './migrations/sqlite';
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
import { FIRST_TICKET_NUMBER, parseTicketNumber } from './ticket-id';
import { ticketFromRow } from './ticket-row';
import { outboxDraftsFor } from './ticket-outbox';
import { planStatusChange } from './ticket-status';

const log = createLogger('storage:sqlite');

/** How long a writer waits for another process's lock before SQLITE_BUSY surfaces. */
const BUSY_TIMEOUT_MS = 5_000;
/** Expired dedupe keys are swept every this many claims, so the table stays small without a timer. */
const CLAIM_SWEEP_EVERY = 100;

interface TicketDbRow {
  number: number;
  status: TicketStatus;
  claimed_by: string | null;
  resolved_by: string | null;
  created_at: number;
  updated_at: number;
  data: string;
}

interface OutboxDbRow {
  id: number;
  kind: string;
  ordering_key: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  last_error: string | null;
  sending_since: number | null;
}

interface InteractionDbRow {
  at: number;
  channel: string;
  conversation_id: string;
  user_id: string;
  type: string;
  topic: string | null;
  lang: string;
  helpful: number | null;
}

function toTicket(row: TicketDbRow): Ticket {
  return ticketFromRow({
    number: row.number,
    status: row.status,
    claimedBy: row.claimed_by,
    resolvedBy: row.resolved_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    input: JSON.parse(row.data) as TicketInput,
  });
}

function toOutboxMessage(row: OutboxDbRow): OutboxMessage {
  const message: OutboxMessage = {
    id: row.id,
    kind: row.kind,
    orderingKey: row.ordering_key,
    payload: JSON.parse(row.payload),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
  };
  if (row.last_error !== null) message.lastError = row.last_error;
  if (row.sending_since !== null) message.unconfirmedSince = row.sending_since;
  return message;
}

function toInteraction(row: InteractionDbRow): InteractionEvent {
  const event: InteractionEvent = {
    at: row.at,
    channel: row.channel,
    conversationId: row.conversation_id,
    userId: row.user_id,
    type: row.type,
    topic: row.topic,
    lang: row.lang,
  };
  if (row.helpful !== null) event.helpful = row.helpful === 1;
  return event;
}

function toJson(value: unknown): string {
  // undefined (or a function) has no JSON text, whatever lib.d.ts says: store it as null.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? 'null';
}

/** Applies the steps this database has not seen yet; safe to run on every start and from two processes. */
export function migrateSqlite(db: Database.Database, migrations: readonly Migration[] = sqliteMigrations): void {
  assertOrdered(migrations);
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    const newest = Math.max(0, ...applied);
    const known = migrations.length ? migrations[migrations.length - 1]!.version : 0;
    if (newest > known) {
      // A newer release migrated this file; older code keeps working as long as steps stay additive.
      log.warn({ newest, known }, 'database schema is newer than this release knows');
    }
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
      log.info({ version: migration.version, name: migration.name }, 'applied schema migration');
    }
  });
  // IMMEDIATE takes the write lock up front, so a second process starting at the same time waits
  // (busy_timeout) and then sees the steps as applied instead of running them twice.
  run.immediate();
}

/** A Store in one SQLite file (WAL mode). Safe for several processes on one host sharing the file. */
export function createSqliteStore(path: string, options: StoreOptions = {}): Store {
  const clock = options.clock ?? Date.now;
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrateSqlite(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const statements = {
    getDocument: db.prepare('SELECT value, etag FROM documents WHERE key = ?'),
    upsertDocument: db.prepare(
      `INSERT INTO documents (key, value, etag, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
    ),
    insertDocument: db.prepare('INSERT INTO documents (key, value, etag, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING'),
    replaceDocument: db.prepare('UPDATE documents SET value = ?, etag = ?, updated_at = ? WHERE key = ? AND etag = ?'),
    deleteDocument: db.prepare('DELETE FROM documents WHERE key = ?'),
    claim: db.prepare(
      'INSERT INTO claims (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE claims.expires_at <= ?',
    ),
    sweepClaims: db.prepare('DELETE FROM claims WHERE expires_at <= ?'),
    ticketByKey: db.prepare('SELECT * FROM tickets WHERE idempotency_key = ?'),
    ticketByNumber: db.prepare('SELECT * FROM tickets WHERE number = ?'),
    lastTicketNumber: db.prepare('SELECT MAX(number) AS number FROM tickets'),
    insertTicket: db.prepare(
      `INSERT INTO tickets (number, idempotency_key, status, created_at, updated_at, data)
       VALUES (?, ?, 'open', ?, ?, ?)`,
    ),
    updateTicket: db.prepare(
      'UPDATE tickets SET status = ?, claimed_by = ?, resolved_by = ?, updated_at = ? WHERE number = ?',
    ),
    listTickets: db.prepare('SELECT * FROM tickets ORDER BY number DESC LIMIT ?'),
    listTicketsByStatus: db.prepare('SELECT * FROM tickets WHERE status = ? ORDER BY number DESC LIMIT ?'),
    enqueue: db.prepare(
      'INSERT INTO outbox (kind, ordering_key, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    dueHeads: db.prepare(
      `SELECT o.* FROM outbox o
       WHERE o.delivered_at IS NULL AND o.next_attempt_at <= ?
         AND NOT EXISTS (
           SELECT 1 FROM outbox earlier
           WHERE earlier.ordering_key = o.ordering_key AND earlier.delivered_at IS NULL AND earlier.id < o.id)
       ORDER BY o.id
       LIMIT ?`,
    ),
    lease: db.prepare('UPDATE outbox SET next_attempt_at = ? WHERE id = ?'),
    sending: db.prepare('UPDATE outbox SET sending_since = COALESCE(sending_since, ?) WHERE id = ? AND delivered_at IS NULL'),
    delivered: db.prepare('UPDATE outbox SET delivered_at = ?, receipt = ? WHERE id = ? AND delivered_at IS NULL'),
    failed: db.prepare(
      'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? AND delivered_at IS NULL',
    ),
    countPending: db.prepare('SELECT COUNT(*) AS count FROM outbox WHERE delivered_at IS NULL'),
    insertInteraction: db.prepare(
      `INSERT INTO interactions (at, channel, conversation_id, user_id, type, topic, lang, helpful)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    listInteractions: db.prepare('SELECT * FROM interactions WHERE at >= ? ORDER BY at, id'),
    stampUndatedDocuments: db.prepare('UPDATE documents SET updated_at = ? WHERE updated_at IS NULL'),
    // substr, not LIKE: LIKE ignores case in SQLite and treats '_' in a prefix as a wildcard.
    pruneDocuments: db.prepare('DELETE FROM documents WHERE updated_at < ? AND substr(key, 1, ?) = ?'),
    pruneOutbox: db.prepare('DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?'),
    ping: db.prepare('SELECT 1'),
  };

  function enqueueFor(outbox: TicketOutbox | undefined, ticket: Ticket, now: number): void {
    for (const draft of outboxDraftsFor(outbox, ticket)) {
      statements.enqueue.run(draft.kind, draft.orderingKey, toJson(draft.payload), now, now);
    }
  }

  // The ticket row and its outbox rows commit together; a throw anywhere inside rolls both back.
  const createTicketTx = db.transaction((input: TicketInput, now: number, outbox: TicketOutbox | undefined) => {
    const existing = statements.ticketByKey.get(input.idempotencyKey) as TicketDbRow | undefined;
    if (existing) return { ticket: toTicket(existing), created: false };
    const last = (statements.lastTicketNumber.get() as { number: number | null }).number;
    const number = last === null ? FIRST_TICKET_NUMBER : last + 1;
    statements.insertTicket.run(number, input.idempotencyKey, now, now, toJson(input));
    const ticket = toTicket(statements.ticketByNumber.get(number) as TicketDbRow);
    enqueueFor(outbox, ticket, now);
    return { ticket, created: true };
  });

  const updateTicketTx = db.transaction(
    (number: number, status: TicketStatus, by: string, now: number, outbox: TicketOutbox | undefined): TicketStatusChange | undefined => {
      const row = statements.ticketByNumber.get(number) as TicketDbRow | undefined;
      if (!row) return undefined;
      const plan = planStatusChange(toTicket(row), status, by, now);
      if (!plan.changed) return plan;
      const updated = plan.ticket;
      statements.updateTicket.run(status, updated.claimedBy ?? null, updated.resolvedBy ?? null, now, number);
      enqueueFor(outbox, updated, now);
      return plan;
    },
  );

  const leaseTx = db.transaction((now: number, limit: number, leaseMs: number) => {
    const rows = statements.dueHeads.all(now, limit) as OutboxDbRow[];
    for (const row of rows) {
      row.next_attempt_at = now + leaseMs;
      statements.lease.run(row.next_attempt_at, row.id);
    }
    return rows.map(toOutboxMessage);
  });

  function putDocumentRow(key: string, json: string, etag: string, expectedEtag: string | null | undefined, now: number): void {
    if (expectedEtag === undefined) {
      statements.upsertDocument.run(key, json, etag, now);
    } else if (expectedEtag === null) {
      if (statements.insertDocument.run(key, json, etag, now).changes === 0) throw new ConflictError(key);
    } else if (statements.replaceDocument.run(json, etag, now, key, expectedEtag).changes === 0) {
      throw new ConflictError(key);
    }
  }

  function insertInteractionRow(event: InteractionEvent): void {
    statements.insertInteraction.run(
      event.at,
      event.channel,
      event.conversationId,
      event.userId,
      event.type,
      event.topic,
      event.lang,
      event.helpful === undefined ? null : event.helpful ? 1 : 0,
    );
  }

  // A ConflictError thrown inside rolls the whole turn back.
  const saveTurnTx = db.transaction((write: TurnWrite, etag: string) => {
    const now = clock();
    putDocumentRow(write.document.key, toJson(write.document.value), etag, write.document.expectedEtag, now);
    for (const extra of write.alsoPut ?? []) statements.upsertDocument.run(extra.key, toJson(extra.value), newEtag(), now);
    for (const event of write.interactions ?? []) insertInteractionRow(event);
  });

  const pruneTx = db.transaction((before: number, idle: IdleDocuments): PruneResult => {
    // A row an older release wrote during a rolling upgrade has no time: its retention starts now.
    statements.stampUndatedDocuments.run(clock());
    const pruneByPrefix = (prefix: string) => statements.pruneDocuments.run(before, prefix.length, prefix).changes;
    const counts = Object.fromEntries(Object.entries(idle).map(([name, prefix]) => [name, pruneByPrefix(prefix)]));
    return { ...counts, outbox: statements.pruneOutbox.run(before).changes };
  });

  let claimsSinceSweep = 0;

  return {
    async getDocument<T>(key: string): Promise<StoredDocument<T> | undefined> {
      const row = statements.getDocument.get(key) as { value: string; etag: string } | undefined;
      return row ? { value: JSON.parse(row.value) as T, etag: row.etag } : undefined;
    },

    async putDocument(key: string, value: unknown, expectedEtag?: string | null): Promise<string> {
      const etag = newEtag();
      putDocumentRow(key, toJson(value), etag, expectedEtag, clock());
      return etag;
    },

    async deleteDocument(key: string): Promise<void> {
      statements.deleteDocument.run(key);
    },

    async claimOnce(key: string, ttlMs: number): Promise<boolean> {
      const now = Date.now();
      if (++claimsSinceSweep >= CLAIM_SWEEP_EVERY) {
        claimsSinceSweep = 0;
        statements.sweepClaims.run(now);
      }
      return statements.claim.run(key, now + ttlMs, now).changes === 1;
    },

    async createTicket(input: TicketInput, now: number, outbox?: TicketOutbox): Promise<{ ticket: Ticket; created: boolean }> {
      return createTicketTx.immediate(input, now, outbox);
    },

    async getTicket(id: string): Promise<Ticket | undefined> {
      const number = parseTicketNumber(id);
      if (number === undefined) return undefined;
      const row = statements.ticketByNumber.get(number) as TicketDbRow | undefined;
      return row ? toTicket(row) : undefined;
    },

    async listTickets(filter: { status?: TicketStatus; limit?: number } = {}): Promise<Ticket[]> {
      // SQLite reads a negative LIMIT as "no limit".
      const limit = filter.limit === undefined ? -1 : Math.max(0, Math.floor(filter.limit));
      const rows = filter.status
        ? statements.listTicketsByStatus.all(filter.status, limit)
        : statements.listTickets.all(limit);
      return (rows as TicketDbRow[]).map(toTicket);
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
      return updateTicketTx.immediate(number, status, by, now, outbox);
    },

    async enqueueOutbox(kind: string, orderingKey: string, payload: unknown, now: number): Promise<number> {
      return Number(statements.enqueue.run(kind, orderingKey, toJson(payload), now, now).lastInsertRowid);
    },

    async leaseOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
      if (limit <= 0) return [];
      return leaseTx.immediate(now, Math.floor(limit), leaseMs);
    },

    async markOutboxSending(id: number, at: number): Promise<void> {
      statements.sending.run(at, id);
    },

    async markOutboxDelivered(id: number, receipt?: string): Promise<void> {
      statements.delivered.run(clock(), receipt ?? null, id);
    },

    async markOutboxFailed(id: number, nextAttemptAt: number, error: string): Promise<void> {
      statements.failed.run(nextAttemptAt, error, id);
    },

    async countOutboxPending(): Promise<number> {
      return (statements.countPending.get() as { count: number }).count;
    },

    async recordInteraction(event: InteractionEvent): Promise<void> {
      insertInteractionRow(event);
    },

    async saveTurn(write: TurnWrite): Promise<string> {
      const etag = newEtag();
      // IMMEDIATE: take the write lock up front, so two processes never deadlock upgrading a read lock.
      saveTurnTx.immediate(write, etag);
      return etag;
    },

    async listInteractions(since?: number): Promise<InteractionEvent[]> {
      return (statements.listInteractions.all(since ?? Number.MIN_SAFE_INTEGER) as InteractionDbRow[]).map(toInteraction);
    },

    async prune(before: number, idle: IdleDocuments): Promise<PruneResult> {
      return pruneTx.immediate(before, idle);
    },

    async ping(): Promise<void> {
      statements.ping.get();
    },

    async close(): Promise<void> {
      if (db.open) db.close();
    },
  };
}
