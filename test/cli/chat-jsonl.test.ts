import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnowledge } from '../../src/knowledge/load-knowledge';

/**
 * `marsbot chat --jsonl` as the conversation contract (test/eval/README.md) describes it, driven as
 * a user would: the built CLI, the configured store (a SQLite file here), real tickets.
 */
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const CONTRACT_FIELDS = ['conversation', 'kind', 'topic', 'case', 'lang', 'title', 'steps', 'question', 'options', 'ticket', 'replies'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'marsbot-chat-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function marsbot(args: string[], input: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', SQLITE_PATH: join(dir, 'marsbot.db'), LOG_LEVEL: 'silent', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const line = (conversation: string, text: string, lang?: 'nl' | 'en') => JSON.stringify({ conversation, text, ...(lang ? { lang } : {}) });

function chat(lines: string[], args: string[] = [], env: Record<string, string> = {}) {
  const { code, stdout, stderr } = marsbot(['chat', '--jsonl', ...args], `${lines.join('\n')}\n`, env);
  expect({ code, stderr }).toMatchObject({ code: 0 });
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

function tickets(env: Record<string, string> = {}) {
  const { stdout } = marsbot(['tickets', 'export', '--format', 'json'], '', env);
  return JSON.parse(stdout) as Record<string, unknown>[];
}

describe('marsbot chat --jsonl', () => {
  it('answers each line once, in order, per conversation, with every contract field', () => {
    const out = chat([
      line('a', '34513', 'en'),
      line('b', 'waarom draait mijn geplande back-up niet'),
      line('a', 'hmm'),
      line('b', '2'),
    ]);
    expect(out.map((o) => o['conversation'])).toEqual(['a', 'b', 'a', 'b']);
    for (const o of out) expect(Object.keys(o)).toEqual(expect.arrayContaining(CONTRACT_FIELDS));

    expect(out[0]).toMatchObject({ kind: 'answer', topic: 'invalid-vault-credentials', case: 'expired-or-invalid-file', lang: 'en', ticket: null });
    expect((out[0]!['steps'] as string[]).length).toBeGreaterThan(0);
    expect(out[0]!['question']).toMatch(/download/i);
    // The options of the topic's first follow-up question, in the knowledge base's order and wording.
    expect(out[0]!['options']).toEqual(loadKnowledge().byId.get('invalid-vault-credentials')!.followUps[0]!.options.map((o) => o.label.en));

    expect(out[1]).toMatchObject({ kind: 'answer', topic: 'scheduled-backup-not-running', lang: 'nl' });
    // A reply that answers nothing gets the open question again, in the conversation's language.
    expect(out[2]).toMatchObject({ kind: 'reprompt', topic: 'invalid-vault-credentials', lang: 'en' });
    expect(out[2]!['options']).toEqual(out[0]!['options']);
    // "2" picks the second option of the question asked in that conversation.
    expect(out[3]).toMatchObject({ kind: 'answer', topic: 'scheduled-backup-not-running', case: 'task-account', lang: 'nl' });
  });

  it('hands over with the next message as the description, reported by --user and --contact', () => {
    const out = chat(
      [line('c', 'Fout 34506'), line('c', 'helpt niet, ik wil een medewerker spreken'), line('c', 'FS01 faalt elke nacht'), line('c', 'dank je')],
      ['--user', 'Anna de Vries', '--contact', 'anna@contoso.example'],
    );
    expect(out.map((o) => o['kind'])).toEqual(['answer', 'escalate', 'ticket', 'smalltalk']);
    expect(out[2]!['ticket']).toBe('MARS-1001');
    const [ticket] = tickets();
    expect(ticket).toMatchObject({
      id: 'MARS-1001',
      channel: 'cli',
      conversationId: 'c',
      userName: 'Anna de Vries',
      userId: 'anna@contoso.example',
      topic: 'passphrase-not-configured',
      description: 'FS01 faalt elke nacht',
    });
  });

  it('takes the reporter from the environment when no flags are given', () => {
    chat([line('d', 'escalate'), line('d', 'backups fail on FS02')], [], { MARSBOT_USER: 'Piet Jansen', MARSBOT_CONTACT: 'piet@contoso.example' });
    expect(tickets()[0]).toMatchObject({ userName: 'Piet Jansen', userId: 'piet@contoso.example' });
  });

  it('keeps the conversation in the store between runs', () => {
    chat([line('e', 'why does my scheduled backup not run')]);
    const [next] = chat([line('e', 'that did not work')]);
    expect(next).toMatchObject({ kind: 'answer', topic: 'scheduled-backup-not-running', lang: 'en' });
  });

  it('answers broken lines instead of failing: not JSON, no text, no conversation', () => {
    const out = chat(['not json at all', '{}', JSON.stringify({ text: 'hallo' }), '[1,2]', line('f', 'x'.repeat(200_000))]);
    expect(out).toHaveLength(5);
    expect(out.map((o) => o['conversation'])).toEqual(['default', 'default', 'default', 'default', 'f']);
    expect(out[2]).toMatchObject({ kind: 'smalltalk' });
    for (const o of out) expect(CONTRACT_FIELDS.every((field) => field in o)).toBe(true);
  });
});
