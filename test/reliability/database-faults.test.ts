import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createPostgresStore } from '../../src/storage/postgres-store';
import { createSqliteStore } from '../../src/storage/sqlite-store';
import { visibleTexts } from '../helpers/adaptive-card-validator';
import { startHardenedMarsbot, webMessage, webReplies, type HardenedMarsbot } from '../security/hardened-marsbot';
import { findPostgresBin, startRestartableCluster, type RestartableCluster } from './pg-cluster';

/**
 * The database goes away while the bot runs, and comes back. Meanwhile users get a short apology
 * (not silence, not a crash), /readyz says 503 so a load balancer can route around this instance,
 * and the first turn after the database is back is answered normally.
 */

const QUESTION = 'Error 34513. Invalid vault credentials provided.';
const APOLOGY = 'Sorry, something went wrong on my side. Please try again in a moment; if it keeps happening, let your IT support know.';

async function readiness(bot: HardenedMarsbot): Promise<{ status: number; store: string }> {
  const res = await fetch(`${bot.url}/readyz`);
  const body = (await res.json()) as { checks: { store: string } };
  return { status: res.status, store: body.checks.store };
}

async function ask(bot: HardenedMarsbot, conversation: string): Promise<{ kind: string; text: string }[]> {
  const replies = await webReplies(await bot.postWeb(webMessage(QUESTION, { conversationId: conversation })));
  return replies.map((r) => ({ kind: r.kind, text: visibleTexts(r.card).join(' ') }));
}

/** The whole story: healthy, outage, recovery. */
async function expectOutageHandled(bot: HardenedMarsbot, outage: { begin(): void | Promise<void>; end(): void | Promise<void> }): Promise<void> {
  expect((await ask(bot, 'conversation-before'))[0]!.kind).toBe('answer');
  expect((await readiness(bot)).status).toBe(200);

  await outage.begin();
  expect(await ask(bot, 'conversation-during')).toEqual([{ kind: 'notice', text: APOLOGY }]);
  const during = await readiness(bot);
  expect(during.status).toBe(503);
  expect(during.store).toMatch(/^unavailable: /);
  expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);

  await outage.end();
  expect((await ask(bot, 'conversation-after'))[0]!.kind).toBe('answer');
  expect(await readiness(bot)).toEqual({ status: 200, store: 'ok' });
}

let bot: HardenedMarsbot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe('the store fails and recovers', () => {
  it('any store: failing calls turn into an apology and a 503 from /readyz, until writes work again', async () => {
    let down = false;
    const memory = createMemoryStore();
    const flaky = new Proxy(memory, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (down) return Promise.reject(new Error('connection to the database lost'));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    bot = await startHardenedMarsbot({ store: flaky });
    await expectOutageHandled(bot, { begin: () => void (down = true), end: () => void (down = false) });
  });

  describe('SQLite', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'marsbot-sqlite-fault-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('another process holds the database file locked for writing, then lets go', async () => {
      const path = join(dir, 'marsbot.db');
      const store = createSqliteStore(path);
      const other = new Database(path);
      try {
        bot = await startHardenedMarsbot({ store });
        await expectOutageHandled(bot, {
          // Reads still work in WAL mode; every write waits out the busy timeout and fails.
          begin: () => void other.exec('BEGIN EXCLUSIVE'),
          end: () => void other.exec('COMMIT'),
        });
      } finally {
        other.close();
        await bot?.stop();
        bot = undefined;
        await store.close();
      }
    }, 60_000);
  });

  const pgBin = findPostgresBin();
  const describePg = pgBin ? describe : describe.skip;
  if (!pgBin) console.warn('Skipping the PostgreSQL outage test: no server binaries under /usr/lib/postgresql (apt-get install -y postgresql).');

  describePg('PostgreSQL', () => {
    let cluster: RestartableCluster;
    beforeAll(async () => {
      cluster = await startRestartableCluster(pgBin!);
    }, 60_000);
    afterAll(() => {
      cluster?.destroy();
    });

    it('the database server is stopped, then started again', async () => {
      const store = await createPostgresStore(cluster.url);
      try {
        bot = await startHardenedMarsbot({ store });
        await expectOutageHandled(bot, { begin: () => cluster.stop(), end: () => cluster.start() });
      } finally {
        await bot?.stop();
        bot = undefined;
        await store.close();
      }
    }, 60_000);
  });
});
