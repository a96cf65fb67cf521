import { spawnSync } from 'node:child_process';
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
    const reply = JSON.parse(marsbot(['ask', '--json', '--lang', 'en', 'waarom draait mijn geplande back-up niet']).stdout);
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
    const replies = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(replies.map((r) => r.kind)).toEqual(['answer', 'fallback', 'fallback', 'answer', 'fallback', 'fallback']);
    expect(replies[0].topic).toBe('backup-completed-with-warnings');
    expect(replies[3]).toMatchObject({ topic: 'agent-cannot-connect', lang: 'en' });
  });

  it('rejects an unknown --lang with a clear message', () => {
    const { code, stderr } = marsbot(['ask', '--lang', 'de', 'hallo']);
    expect(code).toBe(1);
    expect(stderr).toContain('--lang must be nl or en');
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
