import { Client, Pool } from 'pg';
import { createPostgresStore, migratePostgres } from '../../src/storage/postgres-store';
import { postgresMigrations } from '../../src/storage/migrations/postgres';
import type { Store } from '../../src/storage/store';
import { createTestSchema, postgresTestsAvailable, startTestPostgres, type TestPostgres, type TestSchema } from '../helpers/postgres';
import { describeStoreContract, ticketInput } from './store-contract';
import { IDLE_DOCUMENTS } from '../../src/create-marsbot';

const T0 = 1_700_000_000_000;
const describeIfPostgres = postgresTestsAvailable('the PostgreSQL store tests') ? describe : describe.skip;

describeIfPostgres('postgres store', () => {
  let postgres: TestPostgres;

  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, 120_000);

  afterAll(async () => {
    await postgres?.stop();
  });

  describeStoreContract('postgres', async () => {
    const schema = await createTestSchema(postgres.url);
    return { durable: true, open: (options) => createPostgresStore(schema.url, options), dispose: () => schema.drop() };
  });

  describe('upgraded from the schema before retention (version 1)', () => {
    const DAY = 86_400_000;
    let schema: TestSchema;

    beforeEach(async () => {
      schema = await createTestSchema(postgres.url);
      // The database as the previous release left it: schema version 1 and a conversation.
      const pool = new Pool({ connectionString: schema.url });
      try {
        await migratePostgres(pool, postgresMigrations.filter((m) => m.version < 2));
        await pool.query(`INSERT INTO documents (key, value, etag) VALUES ('conversation:teams:legacy', '{"step":4}', 'etag-1')`);
        await pool.query(`INSERT INTO documents (key, value, etag) VALUES ('teams-support-channel', '{"conversation":{"id":"19:s"}}', 'etag-2')`);
      } finally {
        await pool.end();
      }
    });

    afterEach(async () => {
      await schema.drop();
    });

    it('keeps existing conversations for a full retention period from the upgrade on, then prunes them', async () => {
      const store = await createPostgresStore(schema.url);
      try {
        expect(await store.getDocument('conversation:teams:legacy')).toEqual({ value: { step: 4 }, etag: 'etag-1' });
        expect(await store.prune(Date.now() - 90 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 0, references: 0, webUpdates: 0, outbox: 0 });
        expect((await store.getDocument('conversation:teams:legacy'))?.value).toEqual({ step: 4 });
        expect(await store.prune(Date.now() + DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 1, references: 0, webUpdates: 0, outbox: 0 });
        expect(await store.getDocument('conversation:teams:legacy')).toBeUndefined();
        expect(await store.getDocument('teams-support-channel')).toBeDefined();
      } finally {
        await store.close();
      }
    });

    it('dates a document an older release inserts during a rolling upgrade by its insert', async () => {
      const store = await createPostgresStore(schema.url);
      const oldRelease = new Client({ connectionString: schema.url });
      await oldRelease.connect();
      try {
        await oldRelease.query(`INSERT INTO documents (key, value, etag) VALUES ('teams-ref:19:new', '{"serviceUrl":"https://smba.example/"}', 'etag-3')`);
        expect(await store.prune(Date.now() - 90 * DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 0, references: 0, webUpdates: 0, outbox: 0 });
        expect(await store.getDocument('teams-ref:19:new')).toBeDefined();
        expect(await store.prune(Date.now() + DAY, IDLE_DOCUMENTS)).toEqual({ conversations: 1, references: 1, webUpdates: 0, outbox: 0 });
      } finally {
        await oldRelease.end();
        await store.close();
      }
    });
  });

  describe('two instances on one database', () => {
    let schema: TestSchema;
    let first: Store;
    let second: Store;

    beforeEach(async () => {
      schema = await createTestSchema(postgres.url);
      // Both start at once, as two app instances booting together would: migrations must not race.
      [first, second] = await Promise.all([createPostgresStore(schema.url), createPostgresStore(schema.url)]);
    });

    afterEach(async () => {
      await Promise.all([first.close(), second.close()]);
      await schema.drop();
    });

    it('applies each migration once even when both instances start together', async () => {
      const client = new Client({ connectionString: schema.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(postgresMigrations.map((m) => m.version));
      } finally {
        await client.end();
      }
    });

    it('creates one ticket when both instances get the same escalation at once', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).createTicket(ticketInput(), T0 + i)),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
      expect(await first.listTickets()).toHaveLength(1);
      expect(await second.listTickets()).toHaveLength(1);
    });

    it('numbers tickets from both instances in one increasing series', async () => {
      const a = await first.createTicket(ticketInput({ idempotencyKey: 'a' }), T0);
      const b = await second.createTicket(ticketInput({ idempotencyKey: 'b' }), T0 + 1);
      const c = await first.createTicket(ticketInput({ idempotencyKey: 'c' }), T0 + 2);
      expect([a, b, c].map((r) => r.ticket.id)).toEqual(['MARS-1001', 'MARS-1002', 'MARS-1003']);
    });

    it('never leases one message to both instances, and keeps per-key order across them', async () => {
      for (let i = 0; i < 60; i++) await first.enqueueOutbox('webhook', `MARS-${1001 + (i % 15)}`, { i }, T0);
      const rounds = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? first : second).leaseOutbox(T0, 5, 60_000)),
      );
      const leased = rounds.flat();
      expect(new Set(leased.map((m) => m.id)).size).toBe(leased.length);
      // 15 keys → 15 heads: exactly the oldest message of each key, no matter which instance got it.
      expect(leased).toHaveLength(15);
      expect(new Set(leased.map((m) => m.orderingKey)).size).toBe(15);
      expect(leased.every((m) => (m.payload as { i: number }).i < 15)).toBe(true);
    });

    it('delivers every message exactly once and in order per key with workers on both instances', async () => {
      const expected = new Map<string, number[]>();
      for (let i = 0; i < 80; i++) {
        const key = `MARS-${1001 + (i % 7)}`;
        const id = await (i % 2 ? first : second).enqueueOutbox('webhook', key, { i }, T0);
        expected.set(key, [...(expected.get(key) ?? []), id]);
      }
      const delivered = new Map<string, number[]>();
      const worker = async (store: Store) => {
        while ((await store.countOutboxPending()) > 0) {
          const batch = await store.leaseOutbox(T0, 3, 600_000);
          for (const message of batch) {
            delivered.set(message.orderingKey, [...(delivered.get(message.orderingKey) ?? []), message.id]);
            await store.markOutboxDelivered(message.id);
          }
          if (batch.length === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      };
      await Promise.all([worker(first), worker(first), worker(second), worker(second)]);
      expect(delivered).toEqual(expected);
    });

    it('lets a leased message expire on one instance and be picked up by the other', async () => {
      const id = await first.enqueueOutbox('support-notify', 'MARS-1001', {}, T0);
      expect((await first.leaseOutbox(T0, 10, 30_000)).map((m) => m.id)).toEqual([id]);
      expect(await second.leaseOutbox(T0 + 1_000, 10, 30_000)).toEqual([]);
      expect((await second.leaseOutbox(T0 + 30_000, 10, 30_000)).map((m) => m.id)).toEqual([id]);
      await second.markOutboxDelivered(id);
      expect(await first.countOutboxPending()).toBe(0);
    });

    it('dedupes an event claimed on both instances at once', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? first : second).claimOnce('slack:Ev42', 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('detects a stale document write made through the other instance', async () => {
      const etag = await first.putDocument('conversation/42', { step: 1 });
      await second.putDocument('conversation/42', { step: 2 }, etag);
      await expect(first.putDocument('conversation/42', { step: 3 }, etag)).rejects.toThrow('write conflict on "conversation/42"');
      expect((await first.getDocument('conversation/42'))?.value).toEqual({ step: 2 });
    });
  });
});
