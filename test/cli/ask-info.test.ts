import { spawnSync } from 'node:child_process';
import type { AskReply } from '../../src/cli/ask-reply';
import { join } from 'node:path';

/** `marsbot ask` for the info tier and other products, driven as a user would (npm test builds first). */
const CLI = join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

function marsbot(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('marsbot ask --json for a question next to the article', () => {
  it('gives kind "info" with the fact id, its text and points, the Learn link and the related topic (English)', () => {
    const reply = JSON.parse(marsbot(['ask', '--json', 'How long are the vault credentials valid after download?']).stdout) as AskReply;
    expect(reply).toMatchObject({
      kind: 'info',
      info: 'vault-credentials-validity',
      topic: null,
      lang: 'en',
      title: 'How long are vault credentials valid?',
      answer: expect.stringContaining('expires after 10 days'),
      link: { url: 'https://learn.microsoft.com/en-us/azure/backup/backup-azure-file-folder-backup-faq#how-long-are-vault-credentials-valid-' },
      followUps: [{ id: 'invalid-vault-credentials', label: expect.any(String) }],
    });
    expect(reply.steps).toEqual([expect.stringContaining('2.0.9249.0')]);
  });

  it('answers in Dutch when asked in Dutch', () => {
    const reply = JSON.parse(marsbot(['ask', '--json', 'Wordt Windows Server Core ondersteund door de MARS-agent?']).stdout) as AskReply;
    expect(reply).toMatchObject({ kind: 'info', info: 'server-core-not-supported', lang: 'nl', title: 'Wordt Windows Server Core ondersteund?' });
    expect(reply.answer).toMatch(/^Nee\. /);
  });

  it('every reply carries the info field (null unless it is an info reply)', () => {
    const lines = ['Error ID: 34513', 'weather tomorrow?', 'Hoe lang zijn kluisreferenties geldig?'].map((text) => JSON.stringify({ text }));
    const replies = marsbot(['ask', '--jsonl'], `${lines.join('\n')}\n`).stdout.trim().split('\n').map((l) => JSON.parse(l) as AskReply);
    expect(replies.map((r) => [r.kind, r.info])).toEqual([
      ['answer', null],
      ['fallback', null],
      ['info', 'vault-credentials-validity'],
    ]);
  });

  it('prints the fact readably: the answer, its points as bullets and the link', () => {
    const { stdout } = marsbot(['ask', 'How many years can I keep yearly recovery points with MARS?']);
    expect(stdout).toMatch(/^How long can MARS recovery points be kept\?/);
    expect(stdout).toContain('• Yearly: 1 to 99 years.');
    expect(stdout).toContain('https://learn.microsoft.com/en-us/azure/backup/backup-support-matrix-mars-agent#retention-limits');
  });
});

describe('marsbot ask --json for another product', () => {
  it('names the product in the title and links its documentation, with escalation', () => {
    const reply = JSON.parse(marsbot(['ask', '--json', 'az backup container unregister has no effect on the vault']).stdout) as AskReply;
    expect(reply).toMatchObject({
      kind: 'fallback',
      subject: 'azure-cli',
      title: "That's a question about the Azure CLI (az backup)",
      link: { url: 'https://learn.microsoft.com/en-us/cli/azure/backup' },
      followUps: [{ id: 'escalate', label: 'Escalate to support' }],
    });
  });
});

describe('marsbot kb', () => {
  it('check counts the facts and list shows them with their sources', () => {
    expect(marsbot(['kb', 'check']).stdout).toMatch(/Knowledge base OK: 21 topics, \d+ cases, 41 facts,/);
    const list = marsbot(['kb', 'list']).stdout;
    expect(list).toMatch(/^fact\s+source\s+related topics \/ question$/m);
    expect(list).toMatch(/^server-core-not-supported\s+support-matrix\s+—$/m);
    expect(list).toMatch(/^lost-passphrase\s+faq\s+passphrase-not-configured$/m);
  });
});
