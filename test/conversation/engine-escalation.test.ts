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

describe('escalating where the platform does not say who the user is (web chat, terminal)', () => {
  const anonymous = { anonymous: true as const, locale: 'en-US' };

  it('asks for a name and e-mail address on the form; a form without them comes back filled in as sent', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk, inbound: anonymous });
    await h.say('registration fails with 34513');
    const [prompt] = await h.act({ type: 'escalate' });
    expect(prompt!.form!.contact).toMatchObject({ nameLabel: 'Your name', emailLabel: 'Your e-mail address' });
    expect(prompt!.text).toContain("This chat doesn't know who you are, so please add your name and e-mail address: that's how support gets back to you.");

    const [again] = await h.act({ type: 'escalate-submit', description: 'FS01 cannot register', urgency: 'high', name: 'Anna de Vries', email: 'anna@contoso' });
    expect(desk.calls).toHaveLength(0);
    expect(again!.text).toEqual(['Please fill in your name and a valid e-mail address, so support can reach you.']);
    expect(again!.form!.values).toEqual({ description: 'FS01 cannot register', name: 'Anna de Vries', email: 'anna@contoso' });

    const [confirm] = await h.act({ type: 'escalate-submit', description: 'FS01 cannot register', urgency: 'high', name: 'Anna de Vries', email: 'anna@contoso.com' });
    expect(desk.calls[0]).toMatchObject({ userName: 'Anna de Vries', contact: 'anna@contoso.com', description: 'FS01 cannot register', urgency: 'high' });
    expect(textOf([confirm!])).toContain('MARS-1042');
    // Asked once per conversation: the next form comes filled in.
    const [second] = await h.act({ type: 'escalate' });
    expect(second!.form!.values).toEqual({ name: 'Anna de Vries', email: 'anna@contoso.com' });
  });

  it('asks for them in words after a typed description, until there is an address; the ticket has both', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk, inbound: anonymous });
    await h.act({ type: 'escalate' });
    const [ask] = await h.say('FS01 has not backed up since Monday');
    expect(ask!.text).toEqual(['How can our support team reach you? Type your name and e-mail address, for example: Anna de Vries, anna@contoso.com']);
    expect(desk.calls).toHaveLength(0);
    const [retry] = await h.say('Piet Jansen');
    expect(retry!.text![0]).toMatch(/^I couldn't find an e-mail address in that/);
    const [confirm] = await h.say('Piet Jansen, piet.jansen@contoso.nl');
    expect(desk.calls[0]).toMatchObject({ userName: 'Piet Jansen', contact: 'piet.jansen@contoso.nl', description: 'FS01 has not backed up since Monday' });
    expect(textOf([confirm!])).toContain('MARS-1042');
  });

  it('lets "cancel" stop while it waits for the address', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk, inbound: anonymous });
    await h.act({ type: 'escalate' });
    await h.say('FS01 has not backed up since Monday');
    const [cancelled] = await h.say('cancel');
    expect(textOf([cancelled!])).toMatch(/no ticket/i);
    expect(desk.calls).toHaveLength(0);
    expect((await h.state()).pendingEscalation).toBeNull();
  });

  it('never asks on a platform that knows the user (Teams, Slack)', async () => {
    const desk = new FakeSupportDesk();
    const h = createHarness({ matcher: matcher(), supportDesk: desk, inbound: { userName: 'Sanne', locale: 'en-US' } });
    const [prompt] = await h.act({ type: 'escalate' });
    expect(prompt!.form!.contact).toBeUndefined();
    await h.say('FS01 has not backed up since Monday');
    expect(desk.calls[0]).toMatchObject({ userName: 'Sanne' });
    expect(desk.calls[0]!.contact).toBeUndefined();
  });
});

describe('what the confirmation promises', () => {
  async function confirmation(reach: FakeSupportDesk['reach'], inbound: Record<string, unknown> = {}): Promise<string[]> {
    const desk = new FakeSupportDesk();
    desk.reach = reach;
    const h = createHarness({ matcher: matcher(), supportDesk: desk, inbound: { locale: 'en-US', ...inbound } });
    await h.act({ type: 'escalate' });
    const replies = await h.act({ type: 'escalate-submit', description: 'FS01 fails', urgency: 'normal', ...(inbound['anonymous'] ? { name: 'Anna', email: 'anna@contoso.com' } : {}) });
    return replies.at(-1)!.text!;
  }

  it('says they will answer in this conversation when claims reach it', async () => {
    expect(await confirmation({ supportChannel: true, userThread: true })).toEqual([
      "Done: I've created ticket MARS-1042 for our support team. They'll get back to you in this conversation.",
    ]);
  });

  it('says where else they will answer when nothing can reach the conversation (the terminal)', async () => {
    expect(await confirmation({ supportChannel: true, userThread: false }, { anonymous: true })).toEqual([
      "Done: I've created ticket MARS-1042 for our support team. They'll get back to you by e-mail at anna@contoso.com.",
    ]);
  });

  it('says honestly that nobody was notified while no support channel is set', async () => {
    expect(await confirmation({ supportChannel: false, userThread: true })).toEqual([
      "Done: I've created ticket MARS-1042 for our support team. They'll get back to you in this conversation.",
      'No support channel is connected to marsbot yet, so nobody has been notified: the ticket is registered for the support team and waits in their ticket list.',
    ]);
  });
});
