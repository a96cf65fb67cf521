import { findSecrets, redactSecrets, withoutSecrets } from '../../src/shared/redact';
import { BOT_TEXT, EVAL_SET_SECRETS, loadRedactionCorpus, scoreCorpus, type KindScore } from '../../scripts/redaction-corpus';
import { realKnowledge } from '../helpers/start-marsbot';
import { join } from 'node:path';

/**
 * The redaction corpus (test/shared/redaction-corpus.yaml): every secret people paste goes, with
 * the words around it kept, and nothing that only looks like a secret is touched. The same numbers
 * per kind are printed by `npm run eval:redaction`.
 */

const corpus = loadRedactionCorpus(join(__dirname, '..', '..'), realKnowledge());
const score = scoreCorpus(corpus, redactSecrets);

function describeFailures(s: KindScore): string {
  return s.failures.map((f) => `${f.problem}\n  in:  ${JSON.stringify(f.text)}\n  out: ${JSON.stringify(f.output)}`).join('\n');
}

describe('the redaction corpus', () => {
  it('holds at least 150 secrets in Dutch and English, of every kind, and the look-alikes', () => {
    expect(corpus.secrets.length).toBeGreaterThanOrEqual(150);
    expect(corpus.secrets.filter((c) => c.source === 'hand-written').length).toBeGreaterThanOrEqual(50);
    expect([...score.recall.keys()].filter((kind) => kind !== EVAL_SET_SECRETS).sort()).toEqual(
      ['certificate', 'passphrase', 'password', 'recovery-key', 'sas-token', 'security-pin', 'storage-key', 'token', 'url-credentials', 'vault-credentials'].sort(),
    );
    expect(corpus.secrets.some((c) => /wachtwoordzin/i.test(c.text)) && corpus.secrets.some((c) => /passphrase/i.test(c.text))).toBe(true);
    expect(corpus.lookalikes.length).toBeGreaterThan(1000);
  });
});

describe('recall: every secret is removed and the text around it stays', () => {
  it.each([...score.recall.entries()])('%s', (_kind, s) => {
    expect(describeFailures(s)).toBe('');
    expect(s.passed).toBe(s.total);
  });
});

describe('false positives: look-alikes come out unchanged', () => {
  it.each([...score.falsePositives.entries()].filter(([category]) => category !== BOT_TEXT))('%s', (_category, s) => {
    expect(describeFailures(s)).toBe('');
    expect(s.passed).toBe(s.total);
  });

  it('error ids, GUIDs, paths and the "passphrase-not-configured" topic id are among them', () => {
    const texts = corpus.lookalikes.map((l) => l.text);
    for (const expected of ['passphrase-not-configured', 'wachtwoordzin vergeten', 'the passphrase is not correctly configured']) {
      expect(texts).toContain(expected);
    }
    expect(texts.some((t) => t.includes('C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Scratch'))).toBe(true);
    expect(texts.some((t) => /34513/.test(t)) && texts.some((t) => /0x1FC07/.test(t)) && texts.some((t) => /SalLowDiskSpace/.test(t))).toBe(true);
  });
});

describe('where recall and false positives conflict', () => {
  it('remarks that could hold a secret are redacted, as chosen', () => {
    expect(describeFailures(score.tradeoffs)).toBe('');
    expect(score.tradeoffs.passed).toBe(score.tradeoffs.total);
  });
});

describe('redaction as a function', () => {
  it('is idempotent on every secret case: a second pass changes nothing', () => {
    const changed = corpus.secrets.filter((c) => {
      const once = redactSecrets(c.text);
      return redactSecrets(once) !== once;
    });
    expect(changed.map((c) => c.text)).toEqual([]);
  });

  it('reports the secrets it took out, so a reply quoting one can be cleaned the same way', () => {
    const { text, secrets } = findSecrets('my passphrase is correct horse battery staple, is that too short?');
    expect(text).toBe('my passphrase is [redacted:passphrase] is that too short?');
    expect(secrets).toEqual([{ value: 'correct horse battery staple,', kind: 'passphrase' }]);
    const reply = 'You wrote "correct horse battery staple". Bewaar ook de oude wachtwoordzin: herstelpunten blijven leesbaar.';
    expect(withoutSecrets(reply, secrets)).toBe(
      'You wrote "[redacted:passphrase]". Bewaar ook de oude wachtwoordzin: herstelpunten blijven leesbaar.',
    );
  });
});
