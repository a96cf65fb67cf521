import { loadConfig, type Config } from '../config';
import { createStore } from '../storage/create-store';
import type { Store } from '../storage/store';

/** Opens the configured store (DATABASE_URL or the SQLite file) for one CLI command and closes it. */
export async function withStore(run: (store: Store, config: Readonly<Config>) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const store = await createStore({ databaseUrl: config.storage.databaseUrl, sqlitePath: config.storage.sqlitePath });
  try {
    return await run(store, config);
  } finally {
    await store.close();
  }
}
