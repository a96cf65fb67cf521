import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../../src/storage/sqlite-store';
import type { Store } from '../../src/storage/store';
import { ticketInput } from '../support/ticket-fixtures';

/**
 * `marsbot tickets` and `marsbot stats` as a support lead runs them: the built CLI as a process, on
 * a SQLite file the server would use.
 */
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'marsbot-tickets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function marsbot(args: string[], input = '') {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', SQLITE_PATH: join(dir, 'marsbot.db'), LOG_LEVEL: 'silent' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The database as the server left it: opened, changed, closed again before the CLI runs. */
async function withStore<T>(use: (store: Store) => Promise<T>): Promise<T> {
  const store = createSqliteStore(join(dir, 'marsbot.db'));
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

describe('marsbot tickets, as a process', () => {
  beforeEach(async () => {
    await withStore(async (store) => {
      await store.createTicket(ticketInput({ idempotencyKey: 'web-1', channel: 'web', conversationId: 'web-conversation-1', lang: 'en', contact: 'anna@contoso.com' }), Date.now());
    });
  });

  it('says so and exits non-zero for what it cannot do: an unknown ticket, status, format, flag, or no subcommand', () => {
    const cases: [string[], number, RegExp][] = [
      [['tickets', 'show', 'MARS-9999'], 1, /^No ticket MARS-9999\.$/m],
      [['tickets', 'list', '--status', 'pending'], 2, /Unknown status "pending": use open, claimed or resolved\./],
      [['tickets', 'export', '--format', 'xml'], 2, /Unknown format "xml": use csv or json\./],
      [['tickets'], 2, /marsbot tickets: say which: list, show, export, claim or resolve/],
      [['tickets', 'list', '--all'], 2, /marsbot tickets list: unknown option "--all"/],
      [['tickets', 'claim'], 2, /say which ticket, for example MARS-1001/],
      [['tickets', 'frob'], 2, /unknown subcommand "frob"/],
    ];
    for (const [args, code, message] of cases) {
      const run = marsbot(args);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
    }
  });

  it('takes ticket ids in any letter case', () => {
    const { code, stdout } = marsbot(['tickets', 'show', 'mars-1001']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('MARS-1001');
    expect(stdout).toMatch(/Contact\s+anna@contoso\.com/);
  });

  it('claims and resolves like the buttons: the ticket changes and the user\'s conversation is told, with the note', async () => {
    expect(marsbot(['tickets', 'claim', 'mars-1001', '--by', 'Piet']).stdout).toContain('Piet is handling MARS-1001 now.');
    const resolved = marsbot(['tickets', 'resolve', 'MARS-1001', '--by', 'Piet', '--note', 'Re-registered FS01 with a fresh credentials file.']);
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toContain('Piet resolved MARS-1001.');
    await withStore(async (store) => {
      expect(await store.getTicket('MARS-1001')).toMatchObject({ status: 'resolved', claimedBy: 'Piet', resolvedBy: 'Piet' });
      // What the server's outbox will post into the web chat conversation (the page fetches it).
      const pending = await store.leaseOutbox(Date.now() + 60_000, 10, 1_000);
      const notices = pending.filter((m) => m.kind === 'user-notify').map((m) => m.payload as { conversationId: string; replies: { text: string[] }[] });
      expect(notices.map((n) => [n.conversationId, n.replies[0]!.text[0]])).toEqual([
        ['web-conversation-1', 'MARS-1001 was picked up by Piet. They will get back to you in this conversation.'],
      ]);
    });
  });
});

describe('marsbot stats, as a process', () => {
  it('counts what conversations through the real engine did, and --json gives the same numbers', () => {
    const lines = [
      // One question; "did this solve it?" answered no (the next cause follows), then yes: counted once, as solved and 👍.
      { conversation: 'a', text: 'registratie mislukt met 34513, we zitten achter een proxy' },
      { conversation: 'a', text: 'nee' },
      { conversation: 'a', text: 'ja' },
      // A vague start and a topic picked from the narrowing question (a third one: scheduled backups).
      { conversation: 'b', text: 'backup werkt niet' },
      { conversation: 'b', text: '3' },
      // Out of scope.
      { conversation: 'c', text: 'how do I back up an Azure VM?' },
    ].map((l) => JSON.stringify(l));
    expect(marsbot(['chat', '--jsonl'], `${lines.join('\n')}\n`).code).toBe(0);

    const { code, stdout } = marsbot(['stats', '--json']);
    expect(code).toBe(0);
    const stats = JSON.parse(stdout) as { conversations: number; questions: number; answered: number; perTopic: { topic: string | null; questions: number; answered: number }[] };
    expect(stats.conversations).toBe(3);
    expect(stats.answered).toBeLessThanOrEqual(stats.questions);
    for (const row of stats.perTopic) expect(row.answered).toBeLessThanOrEqual(row.questions);
    expect(stats.perTopic.find((row) => row.topic === 'invalid-vault-credentials')).toMatchObject({ questions: 1, answered: 1, solved: 1, notSolved: 0, helpful: 1, notHelpful: 0 });
    expect(stats.perTopic.find((row) => row.topic === 'scheduled-backup-not-running')).toMatchObject({ questions: 1, answered: 1 });
    expect(stats).toMatchObject({ questions: 4, answered: 3, fallback: 1, solved: 1, notSolved: 0 });

    const table = marsbot(['stats']).stdout;
    expect(table).toMatch(new RegExp(`Questions\\s+${stats.questions}\\n`));
    expect(table).toMatch(new RegExp(`Answered by the bot\\s+${stats.answered}\\s`));
  });
});
