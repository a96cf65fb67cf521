import { eventCallback, postCommand, postEvent, postInteraction } from '../../helpers/slack-signing';
import { blockKitViolations } from './block-kit-rules';
import { realKnowledge } from '../../helpers/start-marsbot';
import { decodeActionValue } from '../../../src/channels/slack/read-slack-payload';
import { buttonsOf, repliesIn, settle, startSlackHarness, visibleText, type SlackHarness } from './slack-harness';
import { appMention, clickOn, dmMessage, homeLanguagePicked, homeOpened, messageShortcut, slashCommand, type PostedMessage } from './slack-payloads';

/** Scripted exchanges against the real engine, matcher and knowledge base, through real HTTP. */

function postedMessages(h: SlackHarness): PostedMessage[] {
  return h.api.callsTo('chat.postMessage').map((call) => ({
    channel: call.args['channel'],
    ts: call.response?.['ts'],
    ...(call.args['thread_ts'] ? { threadTs: call.args['thread_ts'] } : {}),
    blocks: call.args['blocks'] ?? [],
  }));
}

async function waitForPosts(h: SlackHarness, count: number): Promise<PostedMessage[]> {
  await h.api.waitFor((api) => api.callsTo('chat.postMessage').length >= count);
  return postedMessages(h);
}

/** Everything the bot posted once it has gone quiet: what the user ends up seeing for the turns so far. */
async function allPostsSettled(h: SlackHarness): Promise<PostedMessage[]> {
  await settle(h.api);
  return postedMessages(h);
}

function header(message: { blocks: any[] }): string | undefined {
  return message.blocks.find((b: any) => b.type === 'header')?.text.text;
}

function followUpButtons(part: { blocks: any[] }) {
  return buttonsOf(part).filter((b) => decodeActionValue(b.value)?.type === 'follow-up');
}

/**
 * An answer with a follow-up question arrives as one message: first the answer (title, numbered
 * steps), then, below a divider, the question with its option buttons.
 */
function expectAnswerThenFollowUp(message: { blocks: any[] }): { answer: { blocks: any[] }; question: { blocks: any[] } } {
  const [answer, question, ...more] = repliesIn(message);
  expect(more).toEqual([]);
  expect(header(answer!)).toBeDefined();
  expect(visibleText(answer!)).toMatch(/^1\. /m);
  expect(visibleText(answer!)).toMatch(/^2\. /m);
  expect(followUpButtons(answer!)).toEqual([]);
  expect(visibleText(question!)).toMatch(/\?/);
  expect(followUpButtons(question!).length).toBeGreaterThan(1);
  expect(blockKitViolations(message.blocks)).toEqual([]);
  return { answer: answer!, question: question! };
}

describe('Slack: every choice readable and clickable', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness();
    h.api.setUser('U5', { name: 'els', locale: 'nl-NL' });
  });
  afterEach(() => h.close());

  it('shows choices longer than a Slack button (75 characters) whole, each with a button that picks it', async () => {
    await postEvent(h.url, eventCallback(dmMessage('mijn geplande back-up draait niet', { user: 'U5' })));
    const [message] = await waitForPosts(h, 1);
    const question = repliesIn(message!).at(-1)!;
    const labels = realKnowledge().byId.get('scheduled-backup-not-running')!.followUps[0]!.options.map((o) => o.label.nl);
    expect(Math.max(...labels.map((l) => l.length))).toBeGreaterThan(75);
    const choices = followUpButtons(question);
    // What the user reads for each choice is its whole text; its button sends that choice.
    expect(choices.map((c) => c.text)).toEqual(labels);
    expect(choices.map((c) => c.label)).toEqual(labels.map(() => 'Kies'));
    expect(blockKitViolations(message!.blocks)).toEqual([]);

    await postInteraction(h.url, clickOn(message!, choices[3]!, { user: 'U5' }));
    await waitForPosts(h, 2);
    expect(postedMessages(h)).toHaveLength(2);
  });
});

describe('Slack conversations with marsbot', () => {
  let h: SlackHarness;

  beforeEach(async () => {
    h = await startSlackHarness();
    h.api.setUser('U1', { name: 'jan', locale: 'en-US' });
    h.api.setUser('U2', { name: 'anna', locale: 'en-GB' });
    h.api.setUser('U3', { name: 'piet', locale: 'nl-NL' });
    h.api.setUser('U4', { name: 'kees', locale: 'en-US' });
    h.api.setUser('U5', { name: 'els', locale: 'nl-NL' });
  });
  afterEach(() => h.close());

  it('answers an English error pasted in a DM with one message, in the DM itself: the numbered steps, then the follow-up question', async () => {
    await postEvent(h.url, eventCallback(dmMessage('Error 34506. The encryption passphrase stored on this computer is not correctly configured.')));
    await waitForPosts(h, 1);
    // One message for the turn: the steps, then the follow-up question that narrows the cause down.
    const posts = await allPostsSettled(h);
    expect(posts).toHaveLength(1);
    const answer = posts[0]!;
    expect(answer.channel).toBe('D100');
    expect(answer.threadTs).toBeUndefined();
    expect(header(answer)).toMatch(/passphrase/i);
    const { question } = expectAnswerThenFollowUp(answer);
    expect(visibleText(question)).toContain('scratch folder');
  });

  it('answers a Dutch question in Dutch', async () => {
    h.api.setUser('U1', { name: 'jan', locale: 'nl-NL' });
    await postEvent(h.url, eventCallback(dmMessage('De MARS-agent kan geen verbinding maken met Microsoft Azure Backup')));
    await waitForPosts(h, 1);
    const posts = await allPostsSettled(h);
    expect(posts).toHaveLength(1);
    expect(header(posts[0]!)).toBe('MARS-agent kan geen verbinding maken met Azure Backup (100050 / 407)');
    expect(visibleText(posts[0]!)).toContain('1. ');
    expectAnswerThenFollowUp(posts[0]!);
  });

  it('answers a mention in a channel in the thread of that message, without the mention in the question', async () => {
    await postEvent(h.url, eventCallback(appMention('<@UBOT> The MARS agent was unable to connect to Microsoft Azure Backup', { ts: '1700000500.000100' })));
    await waitForPosts(h, 1);
    const posts = await allPostsSettled(h);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ channel: 'C200', threadTs: '1700000500.000100' });
    expect(header(posts[0]!)).toBe("MARS agent can't connect to Azure Backup (100050 / 407)");
    expectAnswerThenFollowUp(posts[0]!);

    // A mention inside an existing thread stays in that thread.
    await postEvent(h.url, eventCallback(appMention('<@UBOT> still failing', { ts: '1700000600.000100', threadTs: '1700000500.000100' })));
    await h.api.waitFor((api) => api.callsTo('chat.postMessage').some((c) => c.args['thread_ts'] === '1700000500.000100' && visibleText(c.args) !== visibleText(posts[0]!)));
    const all = await allPostsSettled(h);
    expect(all).toHaveLength(2);
    expect(all.every((m) => m.threadTs === '1700000500.000100')).toBe(true);
  });

  it('takes a click on the follow-up question below the answer to the next step, one new message in the same thread', async () => {
    await postEvent(h.url, eventCallback(appMention('<@UBOT> The MARS agent was unable to connect to Microsoft Azure Backup', { ts: '1700000700.000100' })));
    await waitForPosts(h, 1);
    const [turn, ...more] = await allPostsSettled(h);
    expect(more).toEqual([]);
    // The question's buttons sit in the same message as the answer, below it.
    const { question } = expectAnswerThenFollowUp(turn!);
    const option = followUpButtons(question)[0]!;

    const status = await postInteraction(h.url, clickOn(turn!, option, { user: 'U2' }));
    expect(status.status).toBe(200);
    await waitForPosts(h, 2);
    const after = await allPostsSettled(h);
    expect(after).toHaveLength(2);
    const next = after[1]!;
    expect(next).toMatchObject({ channel: 'C200', threadTs: '1700000700.000100' });
    expect(visibleText(next)).not.toBe(visibleText(turn!));
    expect(blockKitViolations(next.blocks)).toEqual([]);
  });

  it('answers /mars privately to the user who typed it, in one message through the response url', async () => {
    const response = await postCommand(h.url, slashCommand('Ongeldige kluisreferenties opgegeven', { responseUrl: h.api.responseUrl('cmd-1') }));
    expect(response.status).toBe(200);
    await h.api.waitFor((api) => api.responsePosts.some((p) => p.id === 'cmd-1'));
    await settle(h.api);
    // The whole turn is one private message: a response_url takes only a handful of posts.
    const replies = h.api.responsePosts.filter((p) => p.id === 'cmd-1');
    expect(replies).toHaveLength(1);
    const reply = replies[0]!.body;
    expect(reply['response_type']).toBe('ephemeral');
    expect(reply['replace_original']).toBe(false);
    expect(header(reply as any)).toBe('Ongeldige kluisreferenties bij registratie (34513)');
    expectAnswerThenFollowUp(reply as any);
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('explains /mars when it is typed without a question', async () => {
    await postCommand(h.url, slashCommand('', { responseUrl: h.api.responseUrl('cmd-empty'), user: 'U1' }));
    await h.api.waitFor((api) => api.responsePosts.some((p) => p.id === 'cmd-empty'));
    expect(visibleText(h.api.responsePosts[0]!.body)).toContain('/mars 0x80070005');
  });

  it('analyses a message through the shortcut and answers in its thread', async () => {
    const original = { channel: 'C400', ts: '1700000800.000100', text: 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.' };
    const response = await postInteraction(h.url, messageShortcut(original, { responseUrl: h.api.responseUrl('sc-1') }));
    expect(response.status).toBe(200);
    await waitForPosts(h, 1);
    const [answer, ...more] = await allPostsSettled(h);
    expect(more).toEqual([]);
    expect(answer).toMatchObject({ channel: 'C400', threadTs: '1700000800.000100' });
    expect(header(answer!)).toMatch(/passphrase/i);
    expectAnswerThenFollowUp(answer!);
  });

  it('answers the shortcut privately, in one message, where the bot is not a member of the channel', async () => {
    h.api.failNext('chat.postMessage', { error: 'not_in_channel' });
    const original = { channel: 'C401', ts: '1700000900.000100', text: 'Invalid vault credentials provided' };
    await postInteraction(h.url, messageShortcut(original, { responseUrl: h.api.responseUrl('sc-2') }));
    await h.api.waitFor((api) => api.responsePosts.some((p) => p.id === 'sc-2'));
    await settle(h.api);
    // One private message: why it is private first, then the answer and its follow-up question.
    const posts = h.api.responsePosts.filter((p) => p.id === 'sc-2').map((p) => p.body);
    expect(posts).toHaveLength(1);
    const message = posts[0]!;
    expect(message['response_type']).toBe('ephemeral');
    expect(blockKitViolations(message['blocks'])).toEqual([]);
    const [notice, answer, question, ...more] = repliesIn(message);
    expect(more).toEqual([]);
    expect(visibleText(notice!)).toContain('/invite @marsbot');
    expect(header(answer!)).toMatch(/vault credentials/i);
    expect(visibleText(answer!)).toMatch(/^1\. /m);
    expect(followUpButtons(question!).length).toBeGreaterThan(1);
  });

  it('publishes the Home tab in the user’s language, with the attribution and a language setting', async () => {
    await postEvent(h.url, eventCallback(homeOpened('U5')));
    await h.api.waitFor((api) => api.callsTo('views.publish').length === 1);
    const publish = h.api.callsTo('views.publish')[0]!.args;
    expect(publish['user_id']).toBe('U5');
    const view = publish['view'];
    expect(view.type).toBe('home');
    expect(blockKitViolations(view.blocks, 'home')).toEqual([]);
    const text = visibleText(view);
    expect(text).toContain('marsbot: hulp bij de Azure Backup MARS-agent');
    expect(text).toContain('CC BY 4.0');
    const select = view.blocks.find((b: any) => b.accessory?.type === 'static_select').accessory;
    expect(select.initial_option.value).toBe('nl');
    expect(select.options.map((o: any) => o.value)).toEqual(['nl', 'en']);
  });

  it('switches the reply language from the Home tab, and later answers follow it', async () => {
    await postInteraction(h.url, homeLanguagePicked('U5', 'en'));
    await h.api.waitFor((api) => api.callsTo('views.publish').length === 1);
    const view = h.api.callsTo('views.publish')[0]!.args['view'];
    expect(visibleText(view)).toContain('marsbot: help with the Azure Backup MARS agent');
    expect(view.blocks.find((b: any) => b.accessory?.type === 'static_select').accessory.initial_option.value).toBe('en');

    // A bare error id carries no language; the preference decides.
    await postEvent(h.url, eventCallback(dmMessage('0x80070005', { user: 'U5', channel: 'D500' })));
    await waitForPosts(h, 1);
    const [answer, ...more] = await allPostsSettled(h);
    expect(more).toEqual([]);
    expect(header(answer!)).toBe('Backup completed with warnings (files skipped)');

    // Opening the Home tab again keeps the chosen language.
    await postEvent(h.url, eventCallback(homeOpened('U5')));
    await h.api.waitFor((api) => api.callsTo('views.publish').length === 2);
    expect(visibleText(h.api.callsTo('views.publish')[1]!.args['view'])).toContain('help with the Azure Backup MARS agent');
  });

  it('keeps answering in Slack when users.info is rate limited', async () => {
    h.api.failNext('users.info', { status: 429, retryAfterSeconds: 30 });
    await postEvent(h.url, eventCallback(dmMessage('Error 34506. The encryption passphrase stored on this computer is not correctly configured.')));
    await waitForPosts(h, 1);
    const [answer, ...more] = await allPostsSettled(h);
    expect(more).toEqual([]);
    expect(header(answer!)).toMatch(/34506/);
    expectAnswerThenFollowUp(answer!);
  });
});
