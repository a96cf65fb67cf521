import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore, migrateSqlite } from '../../src/storage/sqlite-store';
import { sqliteMigrations } from '../../src/storage/migrations/sqlite';
import { describeStoreContract, ticketInput } from './store-contract';
import { IDLE_DOCUMENTS } from '../../src/create-marsbot';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'marsbot-sqlite-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('sqlite', async () => {
  const path = join(tempDir(), 'marsbot.db');
  return { durable: true, open: async (options) => createSqliteStore(path, options), dispose: async () => undefined };
});

describe('sqlite store on disk', () => {
  it('creates missing directories for the database file', async () => {
    const path = join(tempDir(), 'nested', 'deeper', 'marsbot.db');
    const store = createSqliteStore(path);
    await store.putDocument('k', { v: 1 });
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  it('uses WAL journaling and records every migration exactly once across restarts', async () => {
    const path = join(tempDir(), 'marsbot.db');
    for (let i = 0; i < 3; i++) await createSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
      expect(versions.map((v) => v.version)).toEqual(sqliteMigrations.map((m) => m.version));
    } finally {
      db.close();
    }
  });

  it('lets two stores on one file (two processes on one host) share tickets and documents', async () => {
    const path = join(tempDir(), 'shared.db');
    const a = createSqliteStore(path);
    const b = createSqliteStore(path);
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).createTicket(ticketInput(), 1_700_000_000_000 + i)),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const etag = await a.putDocument('doc', { by: 'a' });
      expect(await b.getDocument('doc')).toEqual({ value: { by: 'a' }, etag });
      await b.putDocument('doc', { by: 'b' }, etag);
      await expect(a.putDocument('doc', { by: 'a again' }, etag)).rejects.toThrow('write conflict on "doc"');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('sqlite store upgraded from the schema before retention (version 1)', () => {
  const DAY = 86_400_000;

  /** A database as the previous release left it: schema version 1, a conversation, a delivered message. */
  function previousReleaseDatabase(): string {
    const path = join(tempDir(), 'v1.db');
    const db = new Database(path);
    try {
      migrateSqlite(db, sqliteMigrations.filter((m) => m.version < 2));
      db.prepare('INSERT INTO documents (key, value, etag) VALUES (?, ?, ?)').run('conversation:teams:legacy', '{"step":4}', 'etag-1');
      db.prepare('INSERT INTO documents (key, value, etag) VALUES (?, ?, ?)').run('user:teams:u1', '{"lang":"en"}', 'etag-2');
      db.prepare(
        `INSERT INTO outbox (kind, ordering_key, payload, next_attempt_at, created_at, delivered_at)
         VALUES ('webhook', 'MARS-1001', '{}', 0, 0, ?)`,
      ).run(Date.now() - 200 * DAY);
      expect((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(1);
    } finally {
      db.close();
    }
    return path;
  }

  it('keeps existing conversations for a full retention period from the upgrade on, then prunes them', async () => {
    const path = previousReleaseDatabase();
    const store = createSqliteStore(path);
    try {
      expect(await store.getDocument('conversation:teams:legacy')).toEqual({ value: { step: 4 }, etag: 'etag-1' });
      // The first sweep after the upgrade: the old conversation counts as written at the upgrade.
      expect(await store.prune(Date.now() - 90 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 0, references: 0, webUpdates: 0, outbox: 1 });
      expect((await store.getDocument('conversation:teams:legacy'))?.value).toEqual({ step: 4 });
      // Once it has been idle longer than the period, it goes; the preference stays.
      expect(await store.prune(Date.now() + DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 1, references: 0, webUpdates: 0, outbox: 0 });
      expect(await store.getDocument('conversation:teams:legacy')).toBeUndefined();
      expect((await store.getDocument('user:teams:u1'))?.value).toEqual({ lang: 'en' });
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
      expect(versions.map((v) => v.version)).toEqual(sqliteMigrations.map((m) => m.version));
    } finally {
      db.close();
    }
  });

  it('gives a document an older release writes during a rolling upgrade (no time) a full period from the next sweep', async () => {
    const path = previousReleaseDatabase();
    let now = Date.UTC(2031, 0, 1);
    const store = createSqliteStore(path, { clock: () => now });
    const oldRelease = new Database(path);
    try {
      // The previous release's statement: it does not know the column.
      oldRelease.prepare('INSERT INTO documents (key, value, etag) VALUES (?, ?, ?)').run('conversation:slack:D9', '{"step":1}', 'etag-3');
      expect(await store.prune(now - 90 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 1, references: 0, webUpdates: 0, outbox: 1 }); // only the legacy one
      expect((await store.getDocument('conversation:slack:D9'))?.value).toEqual({ step: 1 });
      now += 91 * DAY;
      expect(await store.prune(now - 90 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 1, references: 0, webUpdates: 0, outbox: 0 });
      expect(await store.getDocument('conversation:slack:D9')).toBeUndefined();
    } finally {
      oldRelease.close();
      await store.close();
    }
  });
});
