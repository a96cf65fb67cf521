import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore } from '../../src/storage/postgres-store';
import { createSqliteStore } from '../../src/storage/sqlite-store';
import type { Store } from '../../src/storage/store';
import { createTestSchema, postgresTestsAvailable, startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { builtFile } from '../e2e/support/built-marsbot';
import { ticketInput } from './store-contract';

/**
 * A process that dies in the middle of a ticket write — after the ticket row went to the database,
 * while its outbox messages are being built — leaves neither behind. The write runs in a child
 * process on the compiled store (dist/, built by `npm test`), which SIGKILLs itself from inside
 * the transaction; the test then opens the same database and looks.
 */

const T0 = 1_700_000_000_000;

type Backend = 'sqlite' | 'postgres';

/** Runs one store call in a child that kills itself from inside the outbox builder. */
function crashInsideWrite(backend: Backend, location: string, operation: 'create' | 'claim'): { signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const script = `
    const backend = process.argv[1];
    const location = process.argv[2];
    const operation = process.argv[3];
    const input = JSON.parse(process.argv[4]);
    const open = backend === 'sqlite'
      ? async () => require(${JSON.stringify(builtFile('storage/sqlite-store.js'))}).createSqliteStore(location)
      : () => require(${JSON.stringify(builtFile('storage/postgres-store.js'))}).createPostgresStore(location);
    const dieHere = (ticket) => {
      process.stdout.write('inside the write for ' + ticket.id + ' (' + ticket.status + ')\\n');
      process.kill(process.pid, 'SIGKILL');
      return [];
    };
    open().then((store) => operation === 'create'
      ? store.createTicket(input, ${T0}, dieHere)
      : store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', ${T0 + 1}, dieHere)
    ).then(() => { process.stdout.write('survived\\n'); process.exit(0); }, (err) => { console.error(err); process.exit(3); });
  `;
  const child = spawnSync(process.execPath, ['-e', script, backend, location, operation, JSON.stringify(ticketInput())], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { signal: child.signal, stdout: child.stdout, stderr: child.stderr };
}

function describeCrash(backend: Backend, open: () => Promise<{ location: string; store: () => Promise<Store>; dispose: () => Promise<void> }>): void {
  describe(`${backend}: killed in the middle of a ticket write`, () => {
    let location: string;
    let reopen: () => Promise<Store>;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ location, store: reopen, dispose } = await open());
    });

    afterEach(async () => {
      await dispose();
    });

    it('leaves neither the ticket nor its messages when it dies while creating', async () => {
      const run = crashInsideWrite(backend, location, 'create');
      expect(run.stdout.split('\n')).toContain('inside the write for MARS-1001 (open)');
      expect(run.signal).toBe('SIGKILL');

      const store = await reopen();
      try {
        expect(await store.listTickets()).toEqual([]);
        expect(await store.countOutboxPending()).toBe(0);
        // The escalation can simply be sent again: it creates the ticket with its messages.
        const retry = await store.createTicket(ticketInput(), T0 + 1, (ticket) => [{ kind: 'webhook', orderingKey: ticket.id, payload: {} }]);
        expect(retry.created).toBe(true);
        expect(await store.countOutboxPending()).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('keeps the old status and no message when it dies while claiming', async () => {
      const before = await reopen();
      await before.createTicket(ticketInput(), T0);
      await before.close();

      const run = crashInsideWrite(backend, location, 'claim');
      expect(run.stdout.split('\n')).toContain('inside the write for MARS-1001 (claimed)');
      expect(run.signal).toBe('SIGKILL');

      const store = await reopen();
      try {
        expect(await store.getTicket('MARS-1001')).toMatchObject({ status: 'open', updatedAt: T0 });
        expect(await store.countOutboxPending()).toBe(0);
        expect((await store.updateTicketStatus('MARS-1001', 'claimed', 'Bram', T0 + 2))?.changed).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
}

describeCrash('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marsbot-crash-'));
  const path = join(dir, 'marsbot.db');
  return { location: path, store: async () => createSqliteStore(path), dispose: async () => rmSync(dir, { recursive: true, force: true }) };
});

if (postgresTestsAvailable('the PostgreSQL crash test')) {
  let postgres: TestPostgres;
  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, 120_000);
  afterAll(async () => {
    await postgres?.stop();
  });
  describeCrash('postgres', async () => {
    const schema = await createTestSchema(postgres.url);
    // Create the tables first, so the child's store finds them and crashes inside the ticket write.
    await (await createPostgresStore(schema.url)).close();
    return { location: schema.url, store: () => createPostgresStore(schema.url), dispose: () => schema.drop() };
  });
}
