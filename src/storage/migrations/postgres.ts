import type { Migration } from './migration';

/**
 * PostgreSQL schema steps, applied in order at start-up under an advisory lock. Timestamps the
 * application hands in are epoch milliseconds (BIGINT). JSON goes into `json` (not `jsonb`) columns:
 * they keep the text as written and accept "\u0000", which a pasted chat message may contain.
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE documents (
        key TEXT PRIMARY KEY,
        value JSON NOT NULL,
        etag TEXT NOT NULL
      );

      CREATE TABLE claims (
        key TEXT PRIMARY KEY,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX claims_expires_at ON claims (expires_at);

      CREATE SEQUENCE ticket_number_seq START WITH 1001 MINVALUE 1001;
      CREATE TABLE tickets (
        number BIGINT PRIMARY KEY DEFAULT nextval('ticket_number_seq'),
        idempotency_key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
        claimed_by TEXT,
        resolved_by TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        data JSON NOT NULL
      );
      ALTER SEQUENCE ticket_number_seq OWNED BY tickets.number;
      CREATE INDEX tickets_status ON tickets (status, number);

      CREATE TABLE outbox (
        id BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL,
        ordering_key TEXT NOT NULL,
        payload JSON NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        last_error TEXT,
        delivered_at TIMESTAMPTZ
      );
      CREATE INDEX outbox_pending_by_key ON outbox (ordering_key, id) WHERE delivered_at IS NULL;
      CREATE INDEX outbox_pending_due ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL;

      CREATE TABLE interactions (
        id BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        type TEXT NOT NULL,
        topic TEXT,
        lang TEXT NOT NULL,
        helpful BOOLEAN
      );
      CREATE INDEX interactions_at ON interactions (at);
    `,
  },
  {
    version: 2,
    name: 'documents updated_at for retention',
    // now() is fixed within the transaction: existing rows all get the migration time (a full
    // retention period from the upgrade on) without a table rewrite. The default stays for rows an
    // older release inserts during a rolling upgrade; this release always sets the column itself.
    sql: `
      ALTER TABLE documents
        ADD COLUMN updated_at BIGINT NOT NULL DEFAULT (floor(extract(epoch FROM now()) * 1000))::bigint;
      CREATE INDEX documents_updated_at ON documents (updated_at);
    `,
  },
  {
    version: 3,
    name: 'outbox: when an unconfirmed attempt began, and what the receiver answered',
    sql: `
      ALTER TABLE outbox ADD COLUMN sending_since BIGINT;
      ALTER TABLE outbox ADD COLUMN receipt TEXT;
    `,
  },
  {
    version: 4,
    name: 'rate buckets and ticket windows shared by every instance',
    // full_at: when a bucket has earned back every token, so it is the same as no row and can go.
    sql: `
      CREATE TABLE rate_buckets (
        key TEXT PRIMARY KEY,
        tokens DOUBLE PRECISION NOT NULL,
        updated_at BIGINT NOT NULL,
        full_at BIGINT NOT NULL
      );
      CREATE INDEX rate_buckets_full_at ON rate_buckets (full_at);

      CREATE TABLE ticket_windows (
        id BIGSERIAL PRIMARY KEY,
        key TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX ticket_windows_key_at ON ticket_windows (key, at);
      CREATE INDEX ticket_windows_at ON ticket_windows (at);
    `,
  },
];
