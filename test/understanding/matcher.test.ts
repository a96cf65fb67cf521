import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { createMatcher } from '../../src/understanding/create-matcher';

const kb = loadKnowledge();
const matcher = createMatcher(kb);

describe('the matcher answers', () => {
  it.each([
    ['waarom draait mijn geplande back-up niet?', 'scheduled-backup-not-running', 'nl'],
    ['my scheduled backup does not run but Back Up Now works', 'scheduled-backup-not-running', 'en'],
    ['restore hangs while mounting the volume', 'restore-volume-mount-failed', 'en'],
    ['Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)', 'invalid-vault-credentials', 'en'],
    ['de kluis referenties worden geweigerd bij het registreren', 'invalid-vault-credentials', 'nl'],
    ['encription passphrase not configured corectly', 'passphrase-not-configured', 'en'],
    ['server hernoemd en nu krijg ik 230006', 'resource-not-provisioned', 'nl'],
    ['hoe maak ik de schaduwkopie opslag groter met vssadmin', 'cache-folder-problems', 'nl'],
  ])('%j → %s', (text, topic, lang) => {
    const u = matcher.understand(text);
    expect(u).toMatchObject({ kind: 'answer', topic, lang });
    expect(u.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('reads the cause from the message when it names one', () => {
    const u = matcher.understand('34513 bij registratie, we zitten achter een proxy server');
    expect(u.topic).toBe('invalid-vault-credentials');
    expect(u.case).toMatch(/proxy/);
  });

  it('leaves the cause open when the message does not name one', () => {
    expect(matcher.understand('Error ID: 34513').case).toBeNull();
  });

  it('finds the topic from a cut-off paste of the agent message', () => {
    expect(matcher.understand('> Job could not be started…\nseen it three nights in a row')).toMatchObject({ kind: 'answer', topic: 'job-already-running' });
  });

  it('answers a pasted log with timestamps and several lines', () => {
    const log = Array.from({ length: 30 }, (_, i) => `2025-01-0${(i % 9) + 1} 01:00:${10 + i}.000 CBEngine INFO step ${i} ok`).join('\n');
    const u = matcher.understand(`${log}\n2025-01-09 01:01:00.000 CBEngine ERROR backup aborted: SalVhdInitializationError\nwhat now?`);
    expect(u).toMatchObject({ kind: 'answer', topic: 'sal-vhd-init-failed', errorIds: ['SalVhdInitializationError'] });
  });
});

describe('the matcher never guesses', () => {
  it.each([
    'How do I configure retention for Azure VM backup policies?',
    'Outlook keeps asking for my password after the migration',
    'Wat is de hoofdstad van Australië?',
    'Wie kann ich unter Windows 11 einen Drucker freigeben?',
    'Veeam job failed with error 0x80004005',
    'asdf qwerty zxcv',
  ])('falls back on %j', (text) => {
    const u = matcher.understand(text);
    expect(u.kind).toBe('fallback');
    expect(u.topic).toBeNull();
  });

  it.each([
    ['hallo', 'greeting'],
    ['thanks, that fixed it', 'thanks'],
    ['help', 'help'],
    ['wat kun je?', 'help'],
  ])('treats %j as small talk (%s)', (text, intent) => {
    expect(matcher.understand(text)).toMatchObject({ kind: 'smalltalk', smalltalk: intent, topic: null });
  });

  it('recognises a request for a person of our support team', () => {
    expect(matcher.understand('ik wil een medewerker spreken').kind).toBe('escalate');
  });

  it('answers a question about Microsoft support with the contact-support topic, not an escalation', () => {
    expect(matcher.understand('how do I open a support case with Microsoft for the MARS agent?').topic).toBe('contact-support');
  });
});

describe('the reply language', () => {
  it('follows the user words around a pasted English error', () => {
    const u = matcher.understand('krijg deze melding bij het registreren van de server:\nInvalid vault credentials provided. (ID: 34513)\nwat moet ik doen?');
    expect(u.lang).toBe('nl');
    expect(u.langFromText).toBe(true);
  });

  it.each([
    ['waarom gebeurt dit steeds?', 'nl'],
    ['why does this keep happening?', 'en'],
  ])('comes from the question under a pasted log whose lines are in no language (%s)', (question, lang) => {
    const log = Array.from({ length: 12 }, (_, i) => `2025-03-0${(i % 9) + 1} 01:0${i % 10}:12.341 CBEngine WARN job-7-${i} CloudServiceHelper retry ${i} host srv7`).join('\n');
    expect(matcher.understand(`${log}\n${question}`)).toMatchObject({ lang, langFromText: true });
  });

  it('uses the caller preference for a bare id, else Dutch', () => {
    expect(matcher.understand('34513', { preferredLang: 'en' }).lang).toBe('en');
    expect(matcher.understand('34513').lang).toBe('nl');
    expect(matcher.understand('34513').langFromText).toBe(false);
  });

  it('can be forced', () => {
    expect(matcher.understand('waarom draait mijn back-up niet', { forceLang: 'en' }).lang).toBe('en');
  });
});

describe('bad input', () => {
  it.each([
    ['empty', ''],
    ['whitespace', '   \n\t  '],
    ['control characters', '\u0000\u0001\u0007\u001b[31m\u007f'],
    ['emoji only', '😩🔥💾'],
    ['binary', Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 37) % 256)).toString('latin1')],
  ])('gets a fallback, not an exception: %s', (_name, text) => {
    expect(matcher.understand(text).kind).toBe('fallback');
  });

  it('reads accents, typographic quotes and emoji as text, not as binary', () => {
    expect(matcher.understand('Geïnstalleerde MARS‑agent: de kluisreferenties zijn ongeldig 😩😩 wat nu? “ééé”')).toMatchObject({
      kind: 'answer',
      topic: 'invalid-vault-credentials',
      lang: 'nl',
    });
  });

  it('reads a huge message whole, and cuts only what lies beyond everything a channel can deliver (1 MiB)', () => {
    const u = matcher.understand(`SalLowDiskSpace ${'x'.repeat(1_000_000)}`);
    expect(u.truncated).toBe(false);
    expect(u.topic).toBe('sal-low-disk-space');
    const beyond = matcher.understand(`${'x '.repeat(600_000)} SalLowDiskSpace`);
    expect(beyond.truncated).toBe(true);
    expect(beyond.topic).toBeNull();
  });

  it('does not let regex-like text slow it down or break it', () => {
    const u = matcher.understand('(((((a+)+)+)+)+$'.repeat(300) + ' [0x1FC07]');
    expect(u.topic).toBe('activation-failed');
  });
});

describe('knowledge-driven decisions', () => {
  it('sends "did every step, still failing" to contact-support, unless an error id of ours says which problem it is', () => {
    expect(matcher.understand('we tried all the steps from the article and it still fails, what now?').topic).toBe('contact-support');
    expect(matcher.understand('we tried all the steps for error 100050 and it still fails, what now?').topic).toBe('agent-cannot-connect');
  });

  it('falls back when another product is named and the agent is not', () => {
    expect(matcher.understand('Veeam job fails: cannot connect to the backup proxy').kind).toBe('fallback');
  });

  it('still answers when the agent itself is named next to an Azure VM', () => {
    expect(matcher.understand('the MARS agent runs inside an Azure VM and backups are slow, anything specific?').kind).toBe('answer');
  });
});

describe('identifiers only one topic uses', () => {
  it('answers a question that names LastBackupFailedFiles with the warnings topic', () => {
    expect(matcher.understand('where do I find the LastBackupFailedFiles list?')).toMatchObject({ kind: 'answer', topic: 'backup-completed-with-warnings' });
  });
});
