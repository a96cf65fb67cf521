import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { buildSupportSummary } from '../../src/support/ticket-replies';
import { createAnalyzer } from '../../src/understanding/analyzer';
import { createCaseIndex, readCase } from '../../src/understanding/case-detector';
import { createMatcher } from '../../src/understanding/create-matcher';
import { tokenize } from '../../src/understanding/normalize-text';
import { createHarness, textOf } from '../conversation/harness';
import { FakeSupportDesk } from '../helpers/fake-support-desk';

/**
 * The messages issue 11 names, through the real matcher, the real knowledge base and the real
 * engine: what an admin sees when they say what they already know or already tried.
 */
const kb = loadKnowledge();
const matcher = createMatcher(kb);
const chat = (locale: string, supportDesk?: FakeSupportDesk) =>
  createHarness({ matcher, knowledge: kb, inbound: { locale }, ...(supportDesk ? { supportDesk } : {}) });
const stepsOf = (topic: string, caseId: string, lang: 'nl' | 'en') => kb.byId.get(topic)!.cases.find((c) => c.id === caseId)!.steps[lang];

describe('34513 with a file that is only days old', () => {
  it('"Fout 34513, het bestand is van 3 dagen geleden" does not land in the expired case and skips the age question', async () => {
    const h = chat('nl-NL');
    const [answer, question] = await h.say('Fout 34513, het bestand is van 3 dagen geleden');
    expect(answer).toMatchObject({ kind: 'answer', title: kb.byId.get('invalid-vault-credentials')!.title.nl });
    expect(answer!.steps).not.toEqual(stepsOf('invalid-vault-credentials', 'expired-or-invalid-file', 'nl'));
    expect(answer!.steps).toEqual(stepsOf('invalid-vault-credentials', 'proxy-or-firewall', 'nl'));
    // The question it asks is the next one that is still open: the network, not the file's age.
    expect(question!.prompt).toMatch(/proxy of firewall/);
    expect((await h.state()).casesTried).toEqual(['expired-or-invalid-file']);
  });

  it('asks about the age (< 10 days) and the latest download, not about "today"', async () => {
    const [, question] = await chat('en-US').say('error 34513 when registering the server');
    const fileQuestion = kb.byId.get('invalid-vault-credentials')!.followUps[0]!;
    expect(fileQuestion.question.en).toMatch(/less than 10 days old/);
    expect(fileQuestion.question.en).toMatch(/latest download/);
    expect(fileQuestion.question.nl).not.toMatch(/vandaag/);
    expect(question!.prompt ?? '').not.toMatch(/today/);
  });

  it.each([
    ['34513, the credentials file is 2 days old', 'en'],
    ['34513 met een bestand van gisteren', 'nl'],
    ['34513 although I downloaded the file this morning', 'en'],
  ])('"%s" rules the expired file out', (text) => {
    const u = matcher.understand(text);
    expect(u.topic).toBe('invalid-vault-credentials');
    expect(u.ruledOut).toContain('expired-or-invalid-file');
    expect(u.case).not.toBe('expired-or-invalid-file');
  });

  it('a file of 12 days is not ruled out: 10 days is the limit', () => {
    expect(matcher.understand('34513, het bestand is 12 dagen oud').ruledOut ?? []).not.toContain('expired-or-invalid-file');
  });
});

describe('34513 follow-ups', () => {
  it('"No, direct internet" → "No antivirus" ends in a case consistent with both answers, never the proxy case', async () => {
    const h = chat('en-US');
    await h.say('Invalid vault credentials provided (ID: 34513)');
    await h.press('Yes: less than 10 days old and my latest download');
    await h.press('No, direct internet access');
    const [answer, solved] = await h.press('No antivirus');
    expect(answer!.title).toBe('A proxy is still set that your network doesn\'t have');
    expect(solved!.choices![0]!.action).toMatchObject({ type: 'solved', case: 'stale-proxy-setting' });
    // Moving on from there never offers the causes the answers excluded.
    const state = await h.state();
    expect(state.casesTried).toEqual(expect.arrayContaining(['expired-or-invalid-file', 'proxy-or-firewall', 'antivirus']));
    const [next] = await h.press('No, still not working');
    expect(next!.kind).toBe('escalate');
  });

  it('"34513, we hebben geen antivirus" rules the antivirus case out, and the questions skip it', async () => {
    const h = chat('nl-NL');
    await h.say('34513, we hebben geen antivirus op de server');
    await h.press('Ja: jonger dan 10 dagen en mijn laatste download');
    const [answer, solved] = await h.press('Nee, rechtstreeks internet');
    // The antivirus question answers itself: only "no antivirus" is still possible.
    expect(answer).toMatchObject({ kind: 'answer', title: kb.byId.get('invalid-vault-credentials')!.cases.find((c) => c.id === 'stale-proxy-setting')!.title.nl });
    expect(solved!.prompt).toBe('Is het hiermee opgelost?');
    expect((await h.state()).casesTried.sort()).toEqual(['antivirus', 'expired-or-invalid-file', 'proxy-or-firewall']);
  });
});

describe('403: what was tried rules a cause out instead of picking it', () => {
  it('"Ik heb Chrome en Edge geprobeerd, nog steeds 403" does not tell to try another browser', async () => {
    const h = chat('nl-NL');
    const [answer, question] = await h.say('Ik heb Chrome en Edge geprobeerd, nog steeds 403');
    expect(answer).toMatchObject({ kind: 'answer', title: kb.byId.get('vault-credential-download-failed')!.title.nl });
    expect(textOf([answer!])).not.toMatch(/andere browser/);
    expect(answer!.steps).toEqual(stepsOf('vault-credential-download-failed', 'missing-permissions', 'nl'));
    // "Have you tried another browser?" is answered already: the next question comes.
    expect(question!.prompt).toBe(kb.byId.get('vault-credential-download-failed')!.followUps[1]!.question.nl);
  });

  it('mid-conversation, "Edge heb ik ook al geprobeerd" moves past the browser case instead of showing it again', async () => {
    const h = chat('nl-NL');
    const [first] = await h.say('kluisreferenties downloaden geeft 403 in Chrome');
    expect(first!.steps).toEqual(stepsOf('vault-credential-download-failed', 'browser-cache', 'nl'));
    const [answer] = await h.say('Edge heb ik ook al geprobeerd');
    expect(answer).toMatchObject({ kind: 'answer' });
    expect(answer!.steps).not.toEqual(stepsOf('vault-credential-download-failed', 'browser-cache', 'nl'));
    expect((await h.state()).casesTried).toContain('browser-cache');
  });

  it('"403 in Chrome" (nothing tried) still suggests another browser', () => {
    const u = matcher.understand('vault credentials download gives 403 in Chrome');
    expect(u).toMatchObject({ topic: 'vault-credential-download-failed', case: 'browser-cache' });
  });

  describe('the mechanism, on the 403 topic', () => {
    const analyzer = createAnalyzer(kb.synonyms, kb.topics.flatMap((t) => [...t.triggers.nl, ...t.triggers.en, ...t.cases.flatMap((c) => [...c.triggers.nl, ...c.triggers.en])]));
    const index = createCaseIndex(kb.topics, analyzer);
    const topic = kb.byId.get('vault-credential-download-failed')!;
    const read = (text: string) => {
      const cleaned = analyzer.clean(text);
      return readCase(index, topic, cleaned, analyzer.analyzeTokens(tokenize(cleaned)).words, analyzer);
    };

    it.each([
      'Ik heb Chrome uitgeprobeerd maar de download geeft nog steeds 403',
      'al geprobeerd met Edge, 403',
      'tried Firefox and Edge already, still 403',
      'the download fails in every browser with 403',
      'cache en cookies gewist, nog steeds 403',
    ])('"%s" rules out the browser case', (text) => {
      expect(read(text)).toEqual({ case: null, ruledOut: ['browser-cache'] });
    });

    it('a tried browser does not rule out a cause named in another sentence', () => {
      expect(read('Chrome geprobeerd. Mijn account heeft alleen de Reader-rol op de kluis.')).toEqual({ case: 'missing-permissions', ruledOut: ['browser-cache'] });
    });
  });
});

describe('100050 behind a proxy', () => {
  it.each([
    ['achter een Zscaler proxy, 100050', 'nl-NL', 'Is het hiermee opgelost?'],
    ['we are behind a Zscaler proxy, error 100050', 'en-US', 'Did this solve it?'],
    ['100050 op de server, we zitten achter een proxy', 'nl-NL', 'Is het hiermee opgelost?'],
  ])('"%s" decides the proxy case', async (text, locale, solvedPrompt) => {
    const h = chat(locale);
    const [answer, question] = await h.say(text);
    expect(answer!.kind).toBe('answer');
    expect(question!.prompt).toBe(solvedPrompt);
    expect(question!.choices![0]!.action).toMatchObject({ type: 'solved', topic: 'agent-cannot-connect', case: 'proxy-blocking' });
  });

  it('"100050, we have no proxy" rules the proxy case out and asks about the firewall', async () => {
    const [answer, question] = await chat('en-US').say('100050 on the file server, we have no proxy');
    expect(answer!.steps).toEqual(stepsOf('agent-cannot-connect', 'firewall-limited-internet', 'en'));
    expect(question!.prompt).toBe('Is outbound internet traffic from this server restricted by a firewall?');
  });
});

describe('negations', () => {
  it.each([
    ['100050, we zitten niet achter een proxy', 'agent-cannot-connect', 'proxy-blocking'],
    ["100050 and we don't have a proxy", 'agent-cannot-connect', 'proxy-blocking'],
    ['34513, er draait geen antivirus op die server', 'invalid-vault-credentials', 'antivirus'],
  ])('"%s" rules out the cause it negates', (text, topic, caseId) => {
    const u = matcher.understand(text);
    expect(u.topic).toBe(topic);
    expect(u.ruledOut).toContain(caseId);
  });

  it('reach only their own object: a negation elsewhere in the sentence, or before an error code, rules nothing out', () => {
    expect(matcher.understand('The encryption passphrase stored on this computer is not correctly configured [0x80070005]').ruledOut).toBeUndefined();
    expect(matcher.understand('error 34513, registration does not work, we use a proxy').ruledOut ?? []).not.toContain('proxy-or-firewall');
  });
});

describe('scheduled backups', () => {
  it('reach the Windows Server Backup conflict with one question', async () => {
    const h = chat('en-US');
    await h.say('why does my scheduled backup not run');
    const [answer] = await h.press('Windows Server Backup is scheduled here too');
    expect(answer!.steps).toEqual(stepsOf('scheduled-backup-not-running', 'windows-server-backup-conflict', 'en'));
  });

  it('go to the OnlineBackup folder of Task Scheduler and put the folder above the module in PSModulePath', () => {
    const trigger = stepsOf('scheduled-backup-not-running', 'task-trigger-disabled', 'en').join('\n');
    expect(trigger).toContain('**Task Scheduler Library > Microsoft > OnlineBackup**');
    expect(trigger).not.toMatch(/Online Backup/);
    const module = stepsOf('scheduled-backup-not-running', 'msonlinebackup-module', 'en');
    const pathSteps = module.filter((s) => /PSModulePath/.test(s));
    expect(pathSteps.join('\n')).toContain("';C:\\Program Files\\Microsoft Azure Recovery Services Agent\\bin\\Modules'");
    expect(pathSteps.join('\n')).not.toMatch(/PSModulePath[^\n]*bin\\Modules\\MSOnlineBackup`? is|add[^\n]*Modules\\MSOnlineBackup/i);
  });

  it('no longer has a cause the article does not have ("after updates")', () => {
    expect(kb.byId.get('scheduled-backup-not-running')!.cases.map((c) => c.id)).not.toContain('after-updates');
  });
});

describe('the "what changed between versions" note', () => {
  it('stands under the 34513 answer, where 48 hours → 10 days changes what the admin does', async () => {
    const [answer] = await chat('en-US').say('34513');
    expect(answer!.footer).toMatch(/^What changed: .*48 hours.*10 days/);
  });

  it('is not under answers where it changes nothing for the admin, but does go on the ticket', async () => {
    const desk = new FakeSupportDesk();
    const h = chat('en-US', desk);
    const [answer] = await h.say('The Microsoft Azure Recovery Service Agent was unable to connect to Microsoft Azure Backup. (ID: 100050)');
    expect(answer!.footer).toBeUndefined();
    await h.say('I want to talk to a human');
    await h.say('FS01 still cannot connect');
    const ticket = desk.tickets[0]!;
    expect(ticket.versionNote).toBe(kb.byId.get('agent-cannot-connect')!.changes!.en);
    expect(ticket.versionNote).toMatch(/msftconnecttest.*34513|34513.*msftconnecttest/);
    expect(buildSupportSummary(ticket, 'en')[0]!.text).toContain(`Article versions: ${ticket.versionNote}`);
  });
});
