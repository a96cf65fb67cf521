import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../src/storage/sqlite-store';
import { sqliteMigrations } from '../../src/storage/migrations/sqlite';
import { describeStoreContract, ticketInput } from './store-contract';

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
  return { durable: true, open: async () => createSqliteStore(path), dispose: async () => undefined };
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
