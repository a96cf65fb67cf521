import type { Migration } from './migration';

/** SQLite schema steps, applied in order at open. Timestamps are epoch milliseconds (INTEGER). */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE documents (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        etag TEXT NOT NULL
      );

      CREATE TABLE claims (
        key TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX claims_expires_at ON claims (expires_at);

      CREATE TABLE tickets (
        number INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
        claimed_by TEXT,
        resolved_by TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX tickets_status ON tickets (status, number);

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        ordering_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        last_error TEXT,
        delivered_at INTEGER
      );
      CREATE INDEX outbox_pending_by_key ON outbox (ordering_key, id) WHERE delivered_at IS NULL;
      CREATE INDEX outbox_pending_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

      CREATE TABLE interactions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        type TEXT NOT NULL,
        topic TEXT,
        lang TEXT NOT NULL,
        helpful INTEGER
      );
      CREATE INDEX interactions_at ON interactions (at);
    `,
  },
  {
    version: 2,
    name: 'documents updated_at for retention',
    // SQLite cannot add a column with a computed default, so existing rows are stamped with the
    // migration time (a full retention period from the upgrade on). The column stays nullable: a row
    // an older release writes during a rolling upgrade has no time, and prune() stamps it then.
    sql: `
      ALTER TABLE documents ADD COLUMN updated_at INTEGER;
      UPDATE documents SET updated_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
      CREATE INDEX documents_updated_at ON documents (updated_at);
    `,
  },
  {
    version: 3,
    name: 'outbox: when an unconfirmed attempt began, and what the receiver answered',
    sql: `
      ALTER TABLE outbox ADD COLUMN sending_since INTEGER;
      ALTER TABLE outbox ADD COLUMN receipt TEXT;
    `,
  },
];
