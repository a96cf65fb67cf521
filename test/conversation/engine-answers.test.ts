import { FakeSupportDesk } from '../helpers/fake-support-desk';
import { FakeMatcher } from '../helpers/fake-matcher';
import { buttonsOf, createHarness, textOf } from './harness';

const IVC = 'invalid-vault-credentials';
const SCHEDULE = 'scheduled-backup-not-running';

function matcher(): FakeMatcher {
  return new FakeMatcher({
    '34513': { kind: 'answer', topic: IVC, errorIds: ['34513'] },
    'error 34513 again': { kind: 'answer', topic: IVC, lang: 'en', errorIds: ['34513'] },
    'registration fails, we are behind a proxy': { kind: 'answer', topic: IVC, case: 'proxy-or-firewall', lang: 'en' },
    'scheduled backup does not run': { kind: 'answer', topic: SCHEDULE, lang: 'en' },
    'geplande back-up draait niet': { kind: 'answer', topic: SCHEDULE, lang: 'nl' },
    'vault or schedule': { kind: 'clarify', candidates: [{ topic: IVC, score: 0.5 }, { topic: SCHEDULE, score: 0.45 }], lang: 'en' },
    'open a case with Microsoft support': { kind: 'answer', topic: 'contact-support', lang: 'en' },
    'hello': { kind: 'smalltalk', smalltalk: 'greeting', lang: 'en' },
    'thanks': { kind: 'smalltalk', smalltalk: 'thanks', lang: 'en' },
    'bye': { kind: 'smalltalk', smalltalk: 'goodbye', lang: 'en' },
    'how do I back up an Azure VM': { kind: 'fallback', lang: 'en' },
  });
}

describe('answering a topic', () => {
  it('shows summary, the first case, the source, the change note and escalation (no separate 👍/👎), then the first follow-up question', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' } });
    const [answer, question] = await h.say('34513');

    expect(answer).toMatchObject({ kind: 'answer', lang: 'en', title: 'Invalid vault credentials' });
    expect(answer!.text).toEqual([
      "The agent can't register the server with the vault credentials file.",
      'Most likely cause: The vault credentials file has expired',
    ]);
    // Background on what changed between article versions comes as small print under the steps.
    expect(answer!.footer).toBe('What changed: The file used to be valid for 48 hours; now it is 10 days.');
    expect(answer!.steps).toEqual(['Download a new vault credentials file.', 'Register the server again.']);
    expect(answer!.source).toEqual({
      label: 'Invalid vault credentials provided — Microsoft Learn',
      url: 'https://learn.microsoft.com/en-us/azure/backup/backup-azure-mars-troubleshoot#invalid-vault-credentials-provided',
    });
    expect(answer!.actions).toEqual([{ id: 'escalate', label: 'Escalate to support', action: { type: 'escalate' } }]);
    expect(JSON.stringify(answer)).not.toMatch(/helpful/i);

    expect(question).toMatchObject({ kind: 'question', prompt: 'Did you download the file today?' });
    expect(question!.choices!.map((c) => c.action)).toEqual([
      { type: 'follow-up', topic: IVC, question: 'file-fresh', option: 'not-fresh' },
      { type: 'follow-up', topic: IVC, question: 'file-fresh', option: 'fresh' },
    ]);
    expect(await h.store.listInteractions()).toEqual([
      expect.objectContaining({ type: 'question', topic: IVC, lang: 'en', channel: 'web' }),
      expect.objectContaining({ type: 'answer', topic: IVC, lang: 'en' }),
    ]);
  });

  it('cites the newest Dutch section heading on the Dutch page for a Dutch reply', async () => {
    const h = createHarness({ matcher: matcher() });
    const [answer] = await h.say('34513');
    expect(answer!.lang).toBe('nl');
    expect(answer!.source).toEqual({
      label: 'Er zijn ongeldige kluisreferenties ingevoerd — Microsoft Learn',
      url: 'https://learn.microsoft.com/nl-nl/azure/backup/backup-azure-mars-troubleshoot#invalid-vault-credentials-provided',
    });
  });

  it('goes straight to the steps and "did this solve it?" when the message already names the cause', async () => {
    const h = createHarness({ matcher: matcher() });
    const [answer, question] = await h.say('registration fails, we are behind a proxy');
    expect(answer!.steps).toEqual(['Allow the Azure Backup addresses in the proxy.', 'Try the registration again.']);
    expect(answer!.text).toContain('Most likely cause: A proxy or firewall blocks the registration');
    expect(question).toMatchObject({ kind: 'question', prompt: 'Did this solve it?' });
    // One question after a fix: solved, not solved, or hand it over; the answer has no escalate button of its own.
    expect(question!.choices!.map((c) => c.label)).toEqual(['Yes, solved', 'No, still not working', 'No, hand it to support']);
    expect(answer!.actions).toBeUndefined();
    expect(question!.choices!.map((c) => c.action)).toEqual([
      { type: 'solved', topic: IVC, case: 'proxy-or-firewall', solved: true },
      { type: 'solved', topic: IVC, case: 'proxy-or-firewall', solved: false },
      { type: 'solved', topic: IVC, case: 'proxy-or-firewall', solved: false, escalate: true },
    ]);
  });

  it('puts the escalate button up front on the contact-support answer', async () => {
    const h = createHarness({ matcher: matcher() });
    const [answer, question] = await h.say('open a case with Microsoft support');
    expect(answer!.choices).toEqual([{ id: 'escalate', label: 'Escalate to support', action: { type: 'escalate' }, style: 'primary' }]);
    expect(answer!.prompt).toMatch(/our own support team/);
    // A one-case topic without questions asks whether it helped.
    expect(question!.prompt).toBe('Did this solve it?');
  });
});

describe('follow-up questions', () => {
  it('walks the buttons to the proxy case', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-GB' } });
    await h.say('34513');
    const [next] = await h.press('Yes, just downloaded');
    expect(next).toMatchObject({ kind: 'question', prompt: 'Does the server reach the internet through a proxy or firewall?' });
    const [answer, solved] = await h.press('Yes, through a proxy or firewall');
    expect(answer).toMatchObject({ kind: 'answer', title: 'A proxy or firewall blocks the registration' });
    expect(answer!.steps).toEqual(['Allow the Azure Backup addresses in the proxy.', 'Try the registration again.']);
    expect(solved!.prompt).toBe('Did this solve it?');
    const state = await h.state();
    expect(state.followUpAnswers).toEqual([
      { question: 'Did you download the file today?', answer: 'Yes, just downloaded' },
      { question: 'Does the server reach the internet through a proxy or firewall?', answer: 'Yes, through a proxy or firewall' },
    ]);
  });

  it.each([
    ['ja', 'nee', 'antivirus'],
    ['ja', 'ja', 'proxy-or-firewall'],
    ['2', '1', 'proxy-or-firewall'],
    ['de tweede', 'rechtstreeks', 'antivirus'],
    ['vandaag', 'via de firewall', 'proxy-or-firewall'],
    ['ja', 'nee, geen proxy', 'antivirus'],
  ])('understands typed answers "%s" then "%s" (→ %s)', async (first, second, expectedCase) => {
    const h = createHarness({ matcher: matcher() });
    await h.say('34513');
    const [q2] = await h.say(first);
    expect(q2!.prompt).toBe('Gaat de server via een proxy of firewall naar internet?');
    const [answer, solved] = await h.say(second);
    expect(answer!.kind).toBe('answer');
    expect(solved!.choices![0]!.action).toMatchObject({ type: 'solved', case: expectedCase });
  });

  it('typed "nee" to the first question points at the expired file', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('34513');
    const [answer] = await h.say('nee');
    expect(answer!.steps).toEqual(['Download een nieuw kluisreferentiebestand.', 'Registreer de server opnieuw.']);
  });

  it('asks the open question again when a short reply answers nothing', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('34513');
    const replies = await h.say('hmm');
    expect(replies.map((r) => r.kind)).toEqual(['notice', 'question']);
    expect(replies[1]!.prompt).toBe('Heb je het bestand vandaag gedownload?');
  });
});

describe('"did this solve it?"', () => {
  it('closes warmly on yes and records it', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('registration fails, we are behind a proxy');
    const [close] = await h.press('Yes, solved');
    expect(close).toMatchObject({ kind: 'notice' });
    expect(textOf([close!])).toMatch(/glad it's working again/);
    expect((await h.store.listInteractions()).map((e) => e.type)).toContain('solved');
    expect((await h.state()).awaiting).toBeNull();
  });

  it('after "no", says the answers left no other cause and offers escalation with what was checked', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('scheduled backup does not run');
    const [first] = await h.press('Yes, about the execution policy');
    expect(first!.steps).toEqual(['Set the execution policy to Unrestricted.']);

    // "Yes, about the execution policy" ruled the missing module out: it is never the next fix.
    const [offer] = await h.press('No, still not working');
    expect(offer).toMatchObject({ kind: 'escalate', prompt: "Shall I hand it over to our support team, together with everything we've tried?" });
    expect(offer!.text).toEqual(["We've been through all the checks I know for this problem.", 'What we checked:', '• PowerShell execution policy is Restricted']);
    expect(offer!.choices).toEqual([expect.objectContaining({ label: 'Escalate to support', action: { type: 'escalate' } })]);
    const types = (await h.store.listInteractions()).map((e) => e.type);
    expect(types.filter((t) => t === 'not-solved')).toHaveLength(1);
  });

  it('moves on to a cause neither shown nor ruled out, then offers escalation', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' } });
    await h.say('34513');
    await h.press('Yes, just downloaded');
    // No proxy: the antivirus case, never the proxy case the answer ruled out.
    const [antivirus] = await h.press('No, direct');
    expect(antivirus!.title).toBe('Antivirus blocks the registration');
    const [offer] = await h.press('No, still not working');
    expect(offer!.kind).toBe('escalate');
    expect(textOf([offer!])).not.toContain('A proxy or firewall blocks the registration');
  });

  it('never offers the first answer again, nor a cause the answers ruled out; one they only led away from comes last', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' } });
    await h.say('34513');
    await h.press('Yes, just downloaded');
    await h.press('Yes, through a proxy or firewall');
    // "Through a proxy" led away from antivirus without ruling it out: it is the next fix.
    const [next] = await h.press('No, still not working');
    expect(next!.title).toBe('Antivirus blocks the registration');
    const [offer] = await h.press('No, still not working');
    expect(offer!.kind).toBe('escalate');
    expect(textOf([offer!])).toContain('• The vault credentials file has expired');
    expect(textOf([offer!])).toContain('• Antivirus blocks the registration');
    expect((await h.state()).casesShown).toEqual(['expired-file', 'proxy-or-firewall', 'antivirus']);
  });

  it('reads typed yes and no', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('34513');
    await h.say('ja');
    await h.say('ja, via een proxy');
    const [next] = await h.say('nee, werkt nog steeds niet');
    expect(next!.kind).toBe('answer');
    const [offer] = await h.say('nee, nog steeds niet');
    expect(offer!.kind).toBe('escalate');
    await h.say('geplande back-up draait niet');
    await h.say('1');
    const [close] = await h.say('ja, opgelost!');
    expect(close!.kind).toBe('notice');
    expect(textOf([close!])).toMatch(/fijn dat het weer werkt/);
  });

  it('reads "1" and "2" as the buttons of "did this solve it?"', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' } });
    await h.say('registration fails, we are behind a proxy');
    const [next] = await h.say('2');
    expect(next).toMatchObject({ kind: 'answer', title: 'The vault credentials file has expired' });
    const [close] = await h.say('1');
    expect(textOf([close!])).toMatch(/glad it's working again/);
  });
});

describe('questions in the context of the open topic', () => {
  it('"what if I don\'t have a proxy?" rules out the proxy case and the one on screen', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' } });
    await h.say('34513');
    const replies = await h.say("what if I don't have a proxy?");
    expect(replies[0]).toMatchObject({ kind: 'notice' });
    expect(textOf(replies)).toContain("Okay, then it's probably not this: A proxy or firewall blocks the registration.");
    const answer = replies.find((r) => r.kind === 'answer')!;
    expect(answer.text![0]).toBe("Then let's check: Antivirus blocks the registration.");
    expect(answer.steps).toEqual(['Exclude the agent folders in the antivirus.']);
    expect((await h.state()).casesTried.sort()).toEqual(['expired-file', 'proxy-or-firewall']);
  });

  it('"wat als het bestand nieuw is?" rules out the expired file', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('34513');
    const replies = await h.say('wat als het bestand nieuw is?');
    const answer = replies.find((r) => r.kind === 'answer')!;
    expect(answer.title).toBe('Een proxy of firewall blokkeert de registratie');
  });

  it('"en als dat niet werkt?" moves to the next case', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('34513');
    const replies = await h.say('en als dat niet werkt?');
    expect(replies[0]!.text![0]).toBe('Dan kijken we nu naar: Een proxy of firewall blokkeert de registratie.');
  });

  it('a question naming a case shows that case', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('34513');
    const [answer] = await h.say('en als er een virusscanner op staat?');
    expect(answer!.text![0]).toBe('Controleer in dat geval: Antivirus blokkeert de registratie.');
  });

  it('switches topic for a confident match or a question elsewhere; asks which one for a loose statement', async () => {
    const m = matcher()
      .on('backups skip the nightly run', { kind: 'answer', topic: SCHEDULE, confidence: 0.55, lang: 'en' })
      .on('why do backups skip the nightly run?', { kind: 'answer', topic: SCHEDULE, confidence: 0.55, lang: 'en' })
      .on('the schedule is broken', { kind: 'answer', topic: SCHEDULE, confidence: 0.95, lang: 'en' });
    const h = createHarness({ matcher: m });
    await h.say('error 34513 again');
    const [unsure] = await h.say('backups skip the nightly run');
    expect(unsure).toMatchObject({ kind: 'clarify', prompt: 'Which of these do you mean?' });
    expect(unsure!.choices!.map((c) => c.action)).toEqual([
      { type: 'choose-topic', topic: SCHEDULE },
      { type: 'choose-topic', topic: IVC },
      { type: 'something-else' },
    ]);
    const [sure] = await h.say('the schedule is broken');
    expect(sure).toMatchObject({ kind: 'answer', title: "Scheduled backups don't run" });
    await h.say('error 34513 again');
    const [asked] = await h.say('why do backups skip the nightly run?');
    expect(asked).toMatchObject({ kind: 'answer', title: "Scheduled backups don't run" });
  });

  it('switches topic for an error id of another topic', async () => {
    const m = matcher().on('nu weer 34513', { kind: 'answer', topic: IVC, confidence: 0.6, errorIds: ['34513'], lang: 'nl' });
    const h = createHarness({ matcher: m });
    await h.say('geplande back-up draait niet');
    const [answer] = await h.say('nu weer 34513');
    expect(answer).toMatchObject({ kind: 'answer', title: 'Ongeldige kluisreferenties' });
    expect((await h.state()).errorIds).toEqual(['34513']);
  });
});

describe('clarify, fallback and small talk', () => {
  it('offers the candidates as buttons and answers the one chosen', async () => {
    const h = createHarness({ matcher: matcher() });
    const [clarify] = await h.say('vault or schedule');
    expect(clarify).toMatchObject({ kind: 'clarify', prompt: 'Which of these do you mean?' });
    expect(clarify!.choices!.map((c) => c.label)).toEqual(['Invalid vault credentials', "Scheduled backups don't run", 'Something else']);
    const [answer] = await h.press("Scheduled backups don't run");
    expect(answer).toMatchObject({ kind: 'answer', title: "Scheduled backups don't run" });
  });

  it('takes a typed number as the choice', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('vault or schedule');
    const [answer] = await h.say('1');
    expect(answer).toMatchObject({ kind: 'answer', title: 'Invalid vault credentials' });
  });

  it('falls back with what it can help with and an escalate button', async () => {
    const h = createHarness({ matcher: matcher() });
    const [reply] = await h.say('how do I back up an Azure VM');
    expect(reply!.kind).toBe('fallback');
    expect(reply!.text).toEqual(expect.arrayContaining(['• Invalid vault credentials', "• Scheduled backups don't run"]));
    expect(buttonsOf([reply!]).map((b) => b.action)).toEqual([{ type: 'escalate' }]);
    expect((await h.store.listInteractions()).map((e) => e.type)).toEqual(['question', 'fallback']);
  });

  it('greets back by name with an invitation, without repeating the topic list', async () => {
    const h = createHarness({ matcher: matcher() });
    const [reply] = await h.say('hello', { userName: 'Sanne de Vries' });
    expect(reply!.kind).toBe('smalltalk');
    expect(reply!.text).toEqual(["Hi Sanne! What's going on with the backup agent? Paste the error message or describe what goes wrong."]);
  });

  it('opens a new conversation with a short welcome: what marsbot does, two examples, how to reach a person', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' } });
    const [reply] = await h.install({ userName: 'Sanne de Vries' });
    expect(reply!.text).toEqual([
      'Hi Sanne!',
      "I'm marsbot, and I help with problems with the Azure Backup MARS agent. Paste the error message or describe what goes wrong, and you'll get the steps to fix it. For example:",
      '• Error 34513 when registering the server',
      '• My scheduled backup does not run',
      'Still stuck? Type "escalate" or choose **Escalate to support**, and I\'ll pass the conversation on to our support team. Type "help" for everything I can help with.',
    ]);
  });

  it('lists every topic, with the CC BY 4.0 attribution, on "help"', async () => {
    const h = createHarness({ matcher: new FakeMatcher({ help: { kind: 'smalltalk', smalltalk: 'help', lang: 'en' } }) });
    const [reply] = await h.say('help');
    expect(reply!.text).toContain('• Contact Microsoft support');
    expect(reply!.text!.filter((line) => line.startsWith('• '))).toHaveLength(h.knowledge.topics.length);
    expect(reply!.footer).toMatch(/© Microsoft, licensed under CC BY 4\.0 \(https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/\)\. The text has been modified\./);
  });

  it('answers thanks and goodbye briefly', async () => {
    const h = createHarness({ matcher: matcher() });
    expect(textOf(await h.say('thanks'))).toBe("You're welcome! Good luck with the backups.");
    expect(textOf(await h.say('bye'))).toMatch(/^Bye!/);
  });

  it('shows the help with the attribution for a typed "help" command, in Dutch by default', async () => {
    const h = createHarness({ matcher: matcher() });
    const [reply] = await h.say('help');
    expect(reply!.text![0]).toMatch(/^Ik help je/);
    expect(reply!.footer).toMatch(/CC BY 4\.0/);
  });
});

describe('feedback', () => {
  it('takes "did this solve it?" as the outcome and the feedback: a changed mind is recorded as it comes', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' } });
    const [, question] = await h.say('registration fails, we are behind a proxy');
    const [yes, no] = question!.choices!.map((c) => c.action);
    await h.act(no!);
    expect((await h.state()).feedback).toEqual([{ helpful: false, at: 1_700_000_000_000 }]);
    await h.act(yes!);
    expect((await h.state()).feedback.map((f) => f.helpful)).toEqual([false, true]);
    const events = (await h.store.listInteractions()).filter((e) => e.type !== 'question' && e.type !== 'answer');
    expect(events.map((e) => [e.type, e.topic, e.helpful])).toEqual([
      ['not-solved', IVC, undefined],
      ['feedback', IVC, false],
      ['solved', IVC, undefined],
      ['feedback', IVC, true],
    ]);
  });

  it('hands over from "did this solve it?": not solved, 👎, and the escalation form, in one press', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' }, supportDesk: new FakeSupportDesk() });
    const [, question] = await h.say('registration fails, we are behind a proxy');
    const [form] = await h.act(question!.choices![2]!.action);
    expect(form).toMatchObject({ kind: 'escalate' });
    expect(form!.form).toBeDefined();
    expect((await h.state()).awaiting).toBe('escalation-description');
    expect((await h.store.listInteractions()).map((e) => e.type)).toEqual(['question', 'answer', 'not-solved', 'feedback']);
  });

  it('records a 👎 from a card posted before answers stopped asking for it, and offers escalation', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('34513');
    const [reply] = await h.act({ type: 'feedback', topic: IVC, helpful: false });
    expect(reply!.kind).toBe('notice');
    expect(buttonsOf([reply!]).map((b) => b.action.type)).toEqual(['escalate']);
    expect((await h.state()).feedback).toEqual([{ helpful: false, at: 1_700_000_000_000 }]);
    expect(await h.store.listInteractions()).toContainEqual(expect.objectContaining({ type: 'feedback', topic: IVC, helpful: false }));
  });
});

describe('commands', () => {
  it('starts over on "opnieuw": the open question is gone, the thread and its ticket count stay', async () => {
    const h = createHarness({ matcher: matcher() });
    await h.say('34513');
    const [done] = await h.say('opnieuw');
    expect(textOf([done!])).toBe('We beginnen opnieuw. Wat is er aan de hand met de back-upagent?');
    const state = await h.state();
    expect(state).toMatchObject({ topic: null, pendingQuestion: null, stepsShown: [] });
    // "ja" no longer answers the old question.
    const [reply] = await h.say('ja');
    expect(reply!.kind).toBe('fallback');
  });

  it('lists every topic, alphabetically, on "help"', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' } });
    const [reply] = await h.say('what can you do');
    expect(reply!.text!.filter((line) => line.startsWith('• '))).toEqual([
      '• Contact Microsoft support',
      '• Invalid vault credentials',
      "• Scheduled backups don't run",
    ]);
  });
});
