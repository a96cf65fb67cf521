import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/storage/create-store';
import { ticketInput } from './store-contract';
import { createTestSchema, postgresTestsAvailable, startTestPostgres, type TestPostgres } from '../helpers/postgres';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'marsbot-create-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createStore', () => {
  it('keeps data in the SQLite file across restarts when only sqlitePath is set', async () => {
    const sqlitePath = join(dir, 'data', 'marsbot.db');
    const first = await createStore({ sqlitePath });
    await first.putDocument('pref/user-1', { lang: 'nl' });
    await first.close();
    expect(existsSync(sqlitePath)).toBe(true);

    const second = await createStore({ sqlitePath });
    expect((await second.getDocument('pref/user-1'))?.value).toEqual({ lang: 'nl' });
    await second.close();
  });

  it('keeps nothing on disk when memory is asked for, even with a path configured', async () => {
    const sqlitePath = join(dir, 'unused.db');
    const store = await createStore({ kind: 'memory', sqlitePath });
    await store.putDocument('k', { v: 1 });
    expect((await store.getDocument('k'))?.value).toEqual({ v: 1 });
    await store.close();
    expect(existsSync(sqlitePath)).toBe(false);
    const fresh = await createStore({ kind: 'memory' });
    expect(await fresh.getDocument('k')).toBeUndefined();
  });

  it('refuses to guess when no storage is configured', async () => {
    await expect(createStore({})).rejects.toThrow(/no storage configured/);
  });
});

const describeIfPostgres = postgresTestsAvailable('createStore with PostgreSQL') ? describe : describe.skip;

describeIfPostgres('createStore with a databaseUrl', () => {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, 120_000);
  afterAll(async () => postgres?.stop());

  it('uses PostgreSQL, not the SQLite file, when both are configured', async () => {
    const schema = await createTestSchema(postgres.url);
    const sqlitePath = join(dir, 'not-used.db');
    try {
      const store = await createStore({ databaseUrl: schema.url, sqlitePath });
      await store.createTicket(ticketInput({ channel: 'slack' }), 1_700_000_000_000);
      await store.close();
      const again = await createStore({ databaseUrl: schema.url });
      expect((await again.getTicket('MARS-1001'))?.channel).toBe('slack');
      await again.close();
      expect(existsSync(sqlitePath)).toBe(false);
    } finally {
      await schema.drop();
    }
  });
});
