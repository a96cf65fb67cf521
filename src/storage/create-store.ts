import type { Store } from './store';

export interface StoreSettings {
  /** PostgreSQL connection string; when set, PostgreSQL is used (several instances can share it). */
  databaseUrl?: string;
  /** SQLite file used when there is no databaseUrl (one host). */
  sqlitePath?: string;
  /** 'memory' forces the in-process store (tests, the CLI): nothing is kept. */
  kind?: 'memory';
}

/**
 * Picks the backend from the settings. Backends load lazily, so a memory-only run does not need the
 * native SQLite module or a PostgreSQL driver to be loadable.
 */
export async function createStore(settings: StoreSettings): Promise<Store> {
  if (settings.kind === 'memory') {
    const { createMemoryStore } = await import('./memory-store');
    return createMemoryStore();
  }
  if (settings.databaseUrl) {
    const { createPostgresStore } = await import('./postgres-store');
    return createPostgresStore(settings.databaseUrl);
  }
  if (settings.sqlitePath) {
    const { createSqliteStore } = await import('./sqlite-store');
    return createSqliteStore(settings.sqlitePath);
  }
  throw new Error('no storage configured: set a PostgreSQL databaseUrl, a sqlitePath, or kind "memory"');
}
