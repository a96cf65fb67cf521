import { spawnSync } from 'node:child_process';
import type { AskReply } from '../../src/cli/ask-reply';
import { join } from 'node:path';

/** Drives the built CLI as a user would (npm test builds first). */
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

function marsbot(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CONTRACT_FIELDS = ['kind', 'topic', 'case', 'candidates', 'confidence', 'lang', 'errorIds', 'title', 'steps', 'followUps'];

describe('marsbot ask', () => {
  it('prints the title, numbered steps and follow-up questions', () => {
    const { code, stdout } = marsbot(['ask', 'Invalid vault credentials provided (ID: 34513)']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/kluisreferenties/i);
    expect(stdout).toMatch(/^1\. /m);
    expect(stdout).toMatch(/^ {2}\[1\] /m);
  });

  it('--json writes exactly the reply contract', () => {
    const { stdout } = marsbot(['ask', '--json', 'fout 34506']);
    const reply = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(reply)).toEqual(expect.arrayContaining(CONTRACT_FIELDS));
    expect(reply).toMatchObject({ kind: 'answer', topic: 'passphrase-not-configured', lang: 'nl', errorIds: ['34506'] });
    expect((reply['steps'] as string[]).length).toBeGreaterThan(1);
  });

  it('--lang overrides the detected language', () => {
    const reply = JSON.parse(marsbot(['ask', '--json', '--lang', 'en', 'waarom draait mijn geplande back-up niet']).stdout) as AskReply;
    expect(reply).toMatchObject({ lang: 'en', topic: 'scheduled-backup-not-running' });
    expect(reply.title).toMatch(/schedule/i);
  });

  it('--jsonl answers every line in order, also broken and huge ones', () => {
    const lines = [
      JSON.stringify({ text: '0x80070005' }),
      'not json at all',
      JSON.stringify({ text: '' }),
      JSON.stringify({ text: '100050', lang: 'en' }),
      JSON.stringify({ text: 'x'.repeat(1_000_000) }),
      JSON.stringify({ text: 'what is the weather tomorrow?' }),
    ];
    const { code, stdout } = marsbot(['ask', '--jsonl'], `${lines.join('\n')}\n`);
    expect(code).toBe(0);
    const replies = stdout.trim().split('\n').map((l) => JSON.parse(l) as AskReply);
    expect(replies.map((r) => r.kind)).toEqual(['answer', 'fallback', 'fallback', 'answer', 'fallback', 'fallback']);
    expect(replies[0]!.topic).toBe('backup-completed-with-warnings');
    expect(replies[3]).toMatchObject({ topic: 'agent-cannot-connect', lang: 'en' });
  });

  it('rejects an unknown --lang with a clear message', () => {
    const { code, stderr } = marsbot(['ask', '--lang', 'de', 'hallo']);
    expect(code).toBe(2);
    expect(stderr).toContain('--lang must be nl or en');
  });

  it('--jsonl writes exactly one line per input line, blank lines included, so outputs stay aligned', () => {
    const input = [JSON.stringify({ text: 'fout 34513' }), '', '   ', JSON.stringify({ text: 'SalLowDiskSpace' }), ''].join('\n');
    const { code, stdout } = marsbot(['ask', '--jsonl'], `${input}\n`);
    expect(code).toBe(0);
    const replies = stdout.split('\n').slice(0, -1).map((l) => JSON.parse(l) as AskReply);
    expect(replies.map((r) => [r.kind, r.topic])).toEqual([
      ['answer', 'invalid-vault-credentials'],
      ['fallback', null],
      ['fallback', null],
      ['answer', 'sal-low-disk-space'],
      ['fallback', null],
    ]);
  });
});

describe('the command line refuses what it cannot do, and says why', () => {
  it.each([
    [['ask', '--jsn', 'x'], 'marsbot ask: unknown option "--jsn". See: marsbot ask --help'],
    [['ask'], 'marsbot ask: no question given'],
    [['chat', '--bogus'], 'marsbot chat: unknown option "--bogus"'],
    [['kb', 'lst'], 'marsbot kb: kb takes "check" or "list", not "lst"'],
    [['stats', '--format', 'csv'], 'marsbot stats: unknown option "--format"'],
    [['frobnicate'], 'marsbot: unknown command "frobnicate". See: marsbot help'],
    [[], 'Usage: marsbot <command> [options]'],
  ])('marsbot %j exits 2', (args, message) => {
    const { code, stdout, stderr } = marsbot(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it('--help on every command lists its options and which database it reads', () => {
    const main = marsbot(['--help']);
    expect(main.code).toBe(0);
    for (const command of ['ask', 'chat', 'kb', 'tickets', 'stats']) expect(main.stdout).toContain(`  ${command}`);
    expect(main.stdout).toMatch(/DATABASE_URL names \(PostgreSQL\), else the SQLite file SQLITE_PATH/);
    const expected: Record<string, string[]> = {
      ask: ['--json', '--jsonl', '--lang', '--help'],
      chat: ['--jsonl', '--user', '--contact', '--lang', '--help'],
      kb: ['check', 'list', '--lang', '--help'],
      tickets: ['list', 'show', 'export', 'claim', 'resolve', '--status', '--format', '--by', '--note', '--lang', '--help'],
      stats: ['--json', '--lang', '--help'],
    };
    for (const [command, options] of Object.entries(expected)) {
      const { code, stdout } = marsbot([command, '--help']);
      expect(code).toBe(0);
      for (const option of options) expect(stdout).toContain(option);
    }
    expect(marsbot(['tickets', '--help']).stdout).toMatch(/Database: SQLite .*marsbot\.db \(SQLITE_PATH\)\./);
    expect(marsbot(['stats', '--help']).stdout).toMatch(/Database: SQLite .*\(SQLITE_PATH\)\./);
  });
});

describe('marsbot kb', () => {
  it('check validates the knowledge base', () => {
    const { code, stdout } = marsbot(['kb', 'check']);
    expect(code).toBe(0);
    expect(stdout).toContain('Knowledge base OK: 21 topics');
  });

  it('list shows ids, error ids and case counts', () => {
    const { stdout } = marsbot(['kb', 'list']);
    expect(stdout).toMatch(/invalid-vault-credentials\s+seed\s+4\s+34513/);
    expect(stdout).toContain('SalLowDiskSpace');
  });
});
