import { teamsDeepLink, messageText } from '../../../src/channels/teams/teams-activity';
import type { Reply } from '../../../src/replies/reply';
import { cardButtons, cardSteps, expectValidCard, visibleTexts } from '../../helpers/adaptive-card-validator';
import { BOT, FakeBotConnector, teamsInstall, teamsMessage, USER } from '../../helpers/fake-bot-connector';
import { FakeEngine } from '../../helpers/fake-engine';
import { realKnowledge, startMarsbot, type RunningMarsbot } from '../../helpers/start-marsbot';
import { ticketInput } from '../../support/ticket-fixtures';

/**
 * Teams end to end: activities go to the real restify server and the real botbuilder CloudAdapter,
 * the real engine answers, and the replies arrive at a local stand-in for the Bot Connector.
 */

let connector: FakeBotConnector;
let bot: RunningMarsbot;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
});
afterAll(async () => {
  await connector.stop();
});
beforeEach(async () => {
  connector.clear();
  bot = await startMarsbot();
});
afterEach(async () => {
  await bot.stop();
});

function topicStepSets(topicId: string, lang: 'nl' | 'en'): string[][] {
  const topic = realKnowledge().byId.get(topicId);
  if (!topic) throw new Error(`unknown topic ${topicId}`);
  return topic.cases.map((c) => c.steps[lang].map((step, i) => `${i + 1}. ${step.replace(/\*\*|`/g, '')}`));
}

async function say(activity: Record<string, unknown>): Promise<unknown[]> {
  const before = connector.cards().length;
  const res = await bot.postActivity(activity);
  expect(res.status).toBeLessThan(300);
  const cards = connector.cards().slice(before);
  cards.forEach(expectValidCard);
  return cards;
}

function submitData(cards: unknown[], predicate: (data: { marsbot: { type: string } }) => boolean): { title: string; data?: unknown } {
  const button = cards.flatMap(cardButtons).find((b) => b.type === 'Action.Submit' && predicate(b.data as { marsbot: { type: string } }));
  if (!button) throw new Error(`no such button on the cards: ${JSON.stringify(cards.flatMap(cardButtons).map((b) => b.title))}`);
  return button;
}

describe('Teams personal chat', () => {
  it('answers a pasted English error with a card of numbered steps, in reply to the message', async () => {
    const activity = teamsMessage({
      serviceUrl: connector.url,
      text: 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.',
      locale: 'en-US',
    });
    const cards = await say(activity);
    expect(cards.length).toBeGreaterThan(0);
    const answer = cards[0]!;
    expect(visibleTexts(answer)[0]).toMatch(/34506/);
    expect(topicStepSets('passphrase-not-configured', 'en')).toContainEqual(cardSteps(answer));
    const posted = connector.messages()[0]!;
    expect(posted.conversationId).toBe('a:personal-conversation-1');
    expect(posted.replyToId).toBe(activity['id']);
  });

  it('shows every choice of a question whole, each one tappable, with no choice on a button title Teams would cut off', async () => {
    const cards = await say(teamsMessage({ serviceUrl: connector.url, text: 'mijn geplande back-up draait niet', locale: 'nl-NL' }));
    const question = realKnowledge().byId.get('scheduled-backup-not-running')!.followUps[0]!;
    const card = cards[cards.length - 1] as { body: { type: string; selectAction?: { data: unknown }; items?: unknown[] }[] };
    const rows = card.body.filter((element) => element.type === 'Container' && element.selectAction);
    // Each option's whole text is in the card body, in a row that sends that option when tapped.
    expect(rows.map((row) => visibleTexts({ body: row.items }).join(''))).toEqual(question.options.map((o) => o.label.nl));
    expect(rows.map((row) => (row.selectAction!.data as { marsbot: { option: string } }).marsbot.option)).toEqual(question.options.map((o) => o.id));
    expect(question.options.some((o) => o.label.nl.startsWith('De taak draait onder een ander account dan SYSTEM'))).toBe(true);
    // Pressing the long one goes on with that option.
    const next = await say(teamsMessage({ serviceUrl: connector.url, value: rows[1]!.selectAction!.data, locale: 'nl-NL' }));
    expect(next.length).toBeGreaterThan(0);
  });

  it('answers a pasted Dutch error in Dutch', async () => {
    const cards = await say(
      teamsMessage({
        serviceUrl: connector.url,
        text: 'Fout 34506. De wachtwoordzin voor versleuteling die zijn opgeslagen op deze computer is niet juist geconfigureerd.',
        locale: 'en-US',
      }),
    );
    const answer = cards[0]!;
    expect(topicStepSets('passphrase-not-configured', 'nl')).toContainEqual(cardSteps(answer));
    expect(cardButtons(answer).map((b) => b.title)).toContain('Doorzetten naar support');
    // One feedback question per answer ("is het hiermee opgelost?"), never a 👍/👎 of its own.
    expect(cards.flatMap(cardButtons).some((b) => /👍|👎/.test(b.title))).toBe(false);
  });

  it('goes on when a card button is pressed: the choice comes back as a submit and the next card follows', async () => {
    const conversationId = 'a:personal-button-test';
    const first = await say(teamsMessage({ serviceUrl: connector.url, conversationId, text: 'Error 34513', locale: 'en-US' }));
    const button = submitData(first, (d) => d.marsbot.type === 'follow-up');
    const { topic, question, option } = (button.data as { marsbot: { topic: string; question: string; option: string } }).marsbot;
    const chosen = realKnowledge().byId.get(topic)!.followUps.find((q) => q.id === question)!.options.find((o) => o.id === option)!;

    // Teams sends an Action.Submit as a message without text, carrying the button's data as value.
    const next = await say(teamsMessage({ serviceUrl: connector.url, conversationId, value: button.data, locale: 'en-US' }));
    const topicCases = realKnowledge().byId.get(topic)!.cases;
    if (chosen.case) {
      const steps = topicCases.find((c) => c.id === chosen.case)!.steps.en.map((step, i) => `${i + 1}. ${step.replace(/\*\*|`/g, '')}`);
      expect(next.map(cardSteps)).toContainEqual(steps);
    } else {
      const nextQuestion = realKnowledge().byId.get(topic)!.followUps.find((q) => q.id === chosen.next)!;
      expect(next.flatMap(visibleTexts)).toContain(nextQuestion.question.en);
    }
  });

  it('asks which topic is meant when the message is ambiguous, and answers the one picked', async () => {
    const conversationId = 'a:personal-clarify';
    const first = await say(teamsMessage({ serviceUrl: connector.url, conversationId, text: 'vault credentials', locale: 'en-US' }));
    const choices = first.flatMap(cardButtons).filter((b) => (b.data as { marsbot?: { type?: string } })?.marsbot?.type === 'choose-topic');
    expect(choices.length).toBeGreaterThanOrEqual(2);

    const picked = (choices[0]!.data as { marsbot: { topic: string } }).marsbot.topic;
    const next = await say(teamsMessage({ serviceUrl: connector.url, conversationId, value: choices[0]!.data, locale: 'en-US' }));
    expect(visibleTexts(next[0])[0]).toBe(realKnowledge().byId.get(picked)!.title.en);
    expect(topicStepSets(picked, 'en')).toContainEqual(cardSteps(next[0]));
  });

  it('falls back politely for a question outside its scope, offering escalation', async () => {
    const cards = await say(teamsMessage({ serviceUrl: connector.url, text: 'What will the weather be in Amsterdam tomorrow?', locale: 'en-US' }));
    expect(cards).toHaveLength(1);
    expect(cardSteps(cards[0])).toEqual([]);
    expect(cardButtons(cards[0]).map((b) => b.data)).toContainEqual({ marsbot: { type: 'escalate' } });
  });

  it('welcomes people when the app is installed, in their Teams language', async () => {
    const cards = await say(teamsInstall(connector.url, 'nl-NL'));
    expect(cards).toHaveLength(1);
    const texts = visibleTexts(cards[0]).join('\n');
    // A short welcome: what marsbot does, two examples, how to reach a person; "help" has the full list.
    expect(texts).toContain('Ik ben marsbot');
    expect(texts).toContain('Fout 34513 bij het registreren van de server');
    expect(texts).toContain('escaleer');
    for (const topic of realKnowledge().topics.slice(0, 3)) expect(texts).not.toContain(topic.title.nl);
  });

  it('does not welcome every new team member, only its own install', async () => {
    const update = { ...teamsInstall(connector.url), membersAdded: [{ id: '29:someone-else' }] };
    await say(update);
    expect(connector.messages()).toHaveLength(0);
  });
});

describe('Teams channels', () => {
  const thread = '19:abc@thread.tacv2;messageid=1700000000001';

  it('answers an @mention in the same thread, with the mention removed from what it reads', async () => {
    const cards = await say(
      teamsMessage({ serviceUrl: connector.url, conversationType: 'channel', conversationId: thread, mentionBot: true, text: 'SalLowDiskSpace op de back-upserver', locale: 'nl-NL' }),
    );
    expect(cards.length).toBeGreaterThan(0);
    expect(topicStepSets('sal-low-disk-space', 'nl')).toContainEqual(cardSteps(cards[0]));
    expect(connector.messages().every((m) => m.conversationId === thread)).toBe(true);
  });

  it('stays silent in a channel when nobody mentions it', async () => {
    const res = await bot.postActivity(teamsMessage({ serviceUrl: connector.url, conversationType: 'channel', conversationId: thread, text: 'error 34513 again…' }));
    expect(res.status).toBe(200);
    expect(connector.posted).toHaveLength(0);
  });

  it('reads the words after the mention', () => {
    const activity = teamsMessage({ serviceUrl: connector.url, conversationType: 'channel', mentionBot: true, text: 'help\u00a0please' });
    expect(messageText(activity)).toBe('help please');
    expect(teamsDeepLink({ ...activity, conversation: { id: thread, conversationType: 'channel' } as never, id: '1700000000999' })).toBe(
      'https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/1700000000999?tenantId=tenant-1&groupId=group-1&parentMessageId=1700000000001',
    );
  });

  it('"set support channel" from a support admin makes the channel receive tickets, and users get updates in their own thread', async () => {
    await bot.stop();
    bot = await startMarsbot({ env: { SUPPORT_ADMINS: USER.aadObjectId } });
    await bot.postActivity(
      teamsMessage({ serviceUrl: connector.url, conversationType: 'channel', conversationId: '19:support@thread.tacv2;messageid=42', mentionBot: true, text: 'set support channel' }),
    );
    expect(connector.messages().flatMap((m) => visibleTexts(m.activity.attachments![0]!.content))).toEqual([
      `This channel now receives marsbot's support tickets (set by ${USER.name}).`,
    ]);

    // A user talks to the bot once, so the bot knows how to reach that thread later.
    await bot.postActivity(teamsMessage({ serviceUrl: connector.url, conversationId: 'a:user-thread', text: 'hello' }));
    connector.clear();

    const support = (await bot.marsbot.supportChannels.get('teams'))!;
    expect(support.place).toBe('19:support@thread.tacv2');
    const notice: Reply = { kind: 'notice', lang: 'en', title: 'MARS-1001 was picked up by Piet' };
    await bot.teams.notifier.postToChannel(support.address, [{ kind: 'escalate', lang: 'en', title: 'New ticket MARS-1001' }]);
    await bot.teams.notifier.notifyThread('a:user-thread', [notice]);

    const [ticket, update] = connector.messages();
    // A new post in the support channel (not a reply in the thread where the command was typed) …
    expect(ticket!.conversationId).toBe('19:support@thread.tacv2');
    expect(visibleTexts(ticket!.activity.attachments![0]!.content)).toEqual(['New ticket MARS-1001']);
    // … and the update in the user's own conversation.
    expect(update!.conversationId).toBe('a:user-thread');
    expect(visibleTexts(update!.activity.attachments![0]!.content)).toEqual(['MARS-1001 was picked up by Piet']);
  });
});

describe('Teams support channel buttons', () => {
  it('Claim on a ticket card in the support channel it was posted in hands the ticket to the person who clicked, and says so', async () => {
    await bot.stop();
    const supportChannel = { serviceUrl: connector.url, channelId: 'msteams', conversation: { id: '19:support@thread.tacv2' } };
    bot = await startMarsbot({ env: { SUPPORT_TEAMS_CONVERSATION: JSON.stringify(supportChannel) } });
    const { ticket } = await bot.marsbot.support.escalate(ticketInput({ lang: 'nl' }));
    await bot.marsbot.outbox.runOnce();
    const [post] = connector.messages('19:support@thread.tacv2');
    expect(post).toBeDefined();
    connector.clear();

    const thread = '19:support@thread.tacv2;messageid=77';
    const click = (value: unknown) => teamsMessage({ serviceUrl: connector.url, conversationType: 'channel', conversationId: thread, value, locale: 'en-US' });
    await bot.postActivity(click({ marsbot: { type: 'ticket-claim', ticket: ticket.id } }));
    await bot.postActivity(click({ marsbot: { type: 'ticket-claim', ticket: ticket.id } }));
    expect((await bot.store.getTicket(ticket.id))).toMatchObject({ status: 'claimed', claimedBy: USER.name });
    // One wording for every platform, in the clicker's language.
    expect(connector.messages(thread).flatMap((m) => visibleTexts(m.activity.attachments![0]!.content))).toEqual([
      `${USER.name} is handling ${ticket.id} now.`,
      `${ticket.id} is already claimed, so nothing changed.`,
    ]);
  });
});

describe('Teams regional service URLs', () => {
  it('answers every conversation at its own service URL, however turns of different regions interleave', async () => {
    const europe = connector;
    const americas = await new FakeBotConnector().start();
    try {
      const conversations = [
        { serviceUrl: europe.url, conversationId: 'a:emea-user' },
        { serviceUrl: americas.url, conversationId: 'a:amer-user' },
      ];
      for (const round of [1, 2]) {
        for (const { serviceUrl, conversationId } of conversations) {
          const res = await bot.postActivity(teamsMessage({ serviceUrl, conversationId, text: round === 1 ? 'fout 34506' : 'help' }));
          expect(res.status).toBeLessThan(300);
        }
      }
      expect(europe.messages().map((m) => m.conversationId)).toEqual(['a:emea-user', 'a:emea-user']);
      expect(americas.messages().map((m) => m.conversationId)).toEqual(['a:amer-user', 'a:amer-user']);
      expect(visibleTexts(americas.cards()[0])[0]).toMatch(/34506/);
    } finally {
      await americas.stop();
    }
  });
});

describe('Teams failures and security', () => {
  it('tells the user something went wrong when a turn fails, without leaking details', async () => {
    await bot.stop();
    const broken = new FakeEngine(() => {
      throw new Error('database exploded: password=hunter2');
    });
    bot = await startMarsbot({ engine: () => broken });
    await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'help', locale: 'nl-NL' }));
    // The guard in front of the engine apologises, in the user's Teams language, as one card.
    const texts = connector.messages().flatMap((m) => m.activity.attachments!.flatMap((a) => visibleTexts(a.content)));
    expect(texts).toEqual(['Sorry, er ging bij mij iets mis. Probeer het zo nog eens; blijft het gebeuren, laat het dan je IT-support weten.']);
    expect(JSON.stringify(connector.posted)).not.toMatch(/exploded|hunter2/);
  });

  it('with app credentials, rejects a request without a valid Bot Framework token (401) and never runs the engine', async () => {
    await bot.stop();
    const engine = new FakeEngine([{ kind: 'notice', lang: 'en', title: 'should not be sent' }]);
    bot = await startMarsbot({ engine: () => engine, credentials: { appId: '11111111-2222-3333-4444-555555555555', appPassword: 'secret', appType: 'MultiTenant' } });
    // botbuilder prints every rejected request to stderr; that is expected here.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    const unsigned = await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'help' }));
    expect(unsigned.status).toBe(401);
    const garbage = await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'help' }), { Authorization: 'Bearer not-a-jwt' });
    expect(garbage.status).toBe(401);

    expect(engine.calls).toHaveLength(0);
    expect(connector.posted).toHaveLength(0);
    quiet.mockRestore();
  });

  it('ignores a submit from a card that is not its own', async () => {
    const engine = new FakeEngine([]);
    await bot.stop();
    bot = await startMarsbot({ engine: () => engine });
    await bot.postActivity(teamsMessage({ serviceUrl: connector.url, value: { somethingElse: true } }));
    expect(engine.calls).toHaveLength(0);
  });

  it('hands the engine who is talking, in which language, and a link to the thread', async () => {
    const engine = new FakeEngine([]);
    await bot.stop();
    bot = await startMarsbot({ engine: () => engine });
    await bot.postActivity(teamsMessage({ serviceUrl: connector.url, conversationType: 'channel', mentionBot: true, text: 'hulp', locale: 'nl-NL', id: '1700000000555' }));
    expect(engine.calls).toEqual([
      expect.objectContaining({
        channel: 'teams',
        conversationId: '19:abc@thread.tacv2;messageid=1700000000001',
        userId: USER.aadObjectId,
        userName: USER.name,
        kind: 'message',
        text: 'hulp',
        locale: 'nl-NL',
        threadLink: expect.stringContaining('https://teams.microsoft.com/l/message/'),
      }),
    ]);
    expect(BOT.id).not.toBe(USER.id);
  });
});
