import { FakeMatcher } from '../helpers/fake-matcher';
import { FakeSupportDesk } from '../helpers/fake-support-desk';
import { createHarness, textOf } from './harness';

const IVC = 'invalid-vault-credentials';

function matcher(): FakeMatcher {
  return new FakeMatcher({
    'registration fails with 34513': { kind: 'answer', topic: IVC, lang: 'en', errorIds: ['34513'] },
    'open a case with Microsoft support': { kind: 'answer', topic: 'contact-support', lang: 'en' },
  });
}

describe('escalation to our support team', () => {
  it('shows the form and a typed alternative, then files a ticket with the whole context', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk, inbound: { userName: 'Sanne', threadLink: 'https://chat/thread/1' } });
    await h.say('registration fails with 34513');
    await h.press('Yes, just downloaded');
    await h.press('Yes, through a proxy or firewall');
    await h.press('No, still not working');

    // Typed, not the offered button: the words count wherever they stand.
    const [prompt] = await h.say('ok, then I want to talk to a human');
    expect(prompt).toMatchObject({ kind: 'escalate', title: 'Escalate to our support team' });
    expect(prompt!.text).toContain('No form? Then type a short description here, or "skip".');
    expect(prompt!.form).toMatchObject({
      id: 'escalation',
      descriptionLabel: "What's going on?",
      urgencyOptions: [
        { value: 'low', label: 'Low: it can wait' },
        { value: 'normal', label: 'Normal' },
        { value: 'high', label: 'High: backups are failing now' },
      ],
      submitLabel: 'Send to support',
    });

    const [confirm] = await h.say('Server FS01 still cannot register, urgent');
    expect(confirm).toMatchObject({ kind: 'escalate' });
    expect(textOf([confirm!])).toContain('MARS-1042');

    expect(desk.calls).toHaveLength(1);
    const input = desk.calls[0]!;
    expect(input).toMatchObject({
      idempotencyKey: 'web:conv-1:1',
      channel: 'web',
      conversationId: 'conv-1',
      userId: 'user-1',
      userName: 'Sanne',
      threadLink: 'https://chat/thread/1',
      lang: 'en',
      topic: IVC,
      // The cause the conversation reached: after the proxy did not help, antivirus (which the answers
      // never ruled out) was the next fix on screen; never the expired file the answers ruled out.
      case: 'antivirus',
      errorIds: ['34513'],
      description: 'Server FS01 still cannot register, urgent',
      urgency: 'high',
      followUpAnswers: [
        { question: 'Did you download the file today?', answer: 'Yes, just downloaded' },
        { question: 'Does the server reach the internet through a proxy or firewall?', answer: 'Yes, through a proxy or firewall' },
      ],
    });
    expect(input.stepsShown).toEqual([
      'Download a new vault credentials file.',
      'Register the server again.',
      'Allow the Azure Backup addresses in the proxy.',
      'Try the registration again.',
      'Exclude the agent folders in the antivirus.',
    ]);
    const transcript = input.transcript.map((e) => `${e.from}: ${e.text.split('\n')[0]}`);
    expect(transcript[0]).toBe('user: registration fails with 34513');
    expect(transcript[1]).toBe('bot: Invalid vault credentials');
    expect(transcript).toContain('user: Yes, just downloaded');
    expect(transcript).toContain('user: ok, then I want to talk to a human');
    expect(transcript.at(-1)).toBe('user: Server FS01 still cannot register, urgent');

    const state = await h.state();
    expect(state.lastTicket).toBe('MARS-1042');
    expect(state.awaiting).toBeNull();
    expect(await h.store.listInteractions()).toContainEqual(expect.objectContaining({ type: 'escalated', topic: IVC }));
  });

  it('finds a request for a person after a pasted log, and not one that is negated', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk, inbound: { locale: 'nl-NL' } });
    const log = Array.from({ length: 60 }, (_, i) => `03/14 01:${String(i).padStart(2, '0')} CBEngine INFO chunk ${i} uploaded`).join('\n');
    const [prompt] = await h.say(`${log}\nDit is de log van vannacht. Ik wil graag iemand van jullie spreken.`);
    expect(prompt).toMatchObject({ kind: 'escalate', form: expect.objectContaining({ id: 'escalation' }) });

    const other = createHarness({ matcher: matcher(), supportDesk: desk, inbound: { locale: 'nl-NL', conversationId: 'conv-2' } });
    const replies = await other.say('ik hoef niemand te spreken en wil geen medewerker, alleen de stappen');
    expect(replies.some((r) => r.form)).toBe(false);
  });

  it('maps a double submit to the same ticket', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk });
    await h.act({ type: 'escalate' });
    const submit = { type: 'escalate-submit' as const, description: 'Backups fail', urgency: 'normal' as const };
    const [first] = await h.act(submit);
    const [second] = await h.act(submit);
    expect(desk.tickets).toHaveLength(1);
    expect(desk.calls.map((c) => c.idempotencyKey)).toEqual(['web:conv-1:1', 'web:conv-1:1']);
    expect(textOf([first!])).toMatch(/ticket MARS-1042 aangemaakt/);
    expect(textOf([second!])).toMatch(/al bij ons supportteam als ticket MARS-1042/);
    const escalated = (await h.store.listInteractions()).filter((e) => e.type === 'escalated');
    expect(escalated).toHaveLength(1);
  });

  it('a later escalation in the same conversation gets a new ticket', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk });
    await h.say('escaleer');
    await h.say('overslaan');
    await h.say('ik wil een medewerker spreken');
    await h.say('Nog een server met hetzelfde probleem');
    expect(desk.calls.map((c) => c.idempotencyKey)).toEqual(['web:conv-1:1', 'web:conv-1:2']);
    expect(desk.calls[0]!.description).toBe('(geen omschrijving opgegeven)');
    expect(desk.tickets.map((t) => t.id)).toEqual(['MARS-1042', 'MARS-1043']);
  });

  it('cancels without a ticket', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk });
    await h.say('escalate');
    const [reply] = await h.say('cancel');
    expect(textOf([reply!])).toMatch(/Oké, geen ticket|no ticket/i);
    expect(desk.calls).toHaveLength(0);
  });

  it('says clearly when no support desk is configured', async () => {
    const h = createHarness({ matcher: matcher(), inbound: { locale: 'en-US' } });
    const [reply] = await h.act({ type: 'escalate' });
    expect(reply).toMatchObject({ kind: 'escalate', text: ["Handing over to a support team isn't set up for this bot yet. Please contact your IT support desk directly."] });
    expect(reply!.form).toBeUndefined();
  });

  it('asks to try again when the support desk fails, and the retry files the same ticket', async () => {
    const desk = new FakeSupportDesk();
    desk.failNext();
    const h = createHarness({ matcher: matcher(), supportDesk: desk, inbound: { locale: 'en-US' } });
    await h.say('escalate');
    const [failed] = await h.say('Backups fail on FS01');
    expect(textOf([failed!])).toMatch(/couldn't create the ticket/);
    const [ok] = await h.say('Backups fail on FS01');
    expect(textOf([ok!])).toContain('MARS-1042');
    expect(desk.calls.map((c) => c.idempotencyKey)).toEqual(['web:conv-1:1', 'web:conv-1:1']);
  });

  it('leaves "open a case with Microsoft support" to the knowledge topic', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk });
    const [answer] = await h.say('open a case with Microsoft support');
    expect(answer).toMatchObject({ kind: 'answer', title: 'Contact Microsoft support' });
    expect(desk.calls).toHaveLength(0);
  });
});
