import { eventCallback, postCommand, postEvent, postInteraction } from '../../helpers/slack-signing';
import { blockKitViolations } from './block-kit-rules';
import { buttonsOf, startSlackHarness, visibleText, type SlackHarness } from './slack-harness';
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

function header(message: { blocks: any[] }): string | undefined {
  return message.blocks.find((b: any) => b.type === 'header')?.text.text;
}

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

  it('answers an English error pasted in a DM with the numbered steps, in the DM itself', async () => {
    await postEvent(h.url, eventCallback(dmMessage('Error 34506. The encryption passphrase stored on this computer is not correctly configured.')));
    const [answer] = await waitForPosts(h, 1);
    expect(answer!.channel).toBe('D100');
    expect(answer!.threadTs).toBeUndefined();
    expect(header(answer!)).toMatch(/passphrase/i);
    expect(visibleText(answer!)).toMatch(/^1\. /m);
    expect(visibleText(answer!)).toMatch(/^2\. /m);
    for (const message of postedMessages(h)) expect(blockKitViolations(message.blocks)).toEqual([]);
  });

  it('answers a Dutch question in Dutch', async () => {
    h.api.setUser('U1', { name: 'jan', locale: 'nl-NL' });
    await postEvent(h.url, eventCallback(dmMessage('De MARS-agent kan geen verbinding maken met Microsoft Azure Backup')));
    const [answer] = await waitForPosts(h, 1);
    expect(header(answer!)).toBe('MARS-agent kan geen verbinding maken met Azure Backup (100050 / 407)');
    expect(visibleText(answer!)).toContain('1. ');
  });

  it('answers a mention in a channel in the thread of that message, without the mention in the question', async () => {
    await postEvent(h.url, eventCallback(appMention('<@UBOT> The MARS agent was unable to connect to Microsoft Azure Backup', { ts: '1700000500.000100' })));
    const posts = await waitForPosts(h, 1);
    expect(posts[0]).toMatchObject({ channel: 'C200', threadTs: '1700000500.000100' });
    expect(header(posts[0]!)).toBe("MARS agent can't connect to Azure Backup (100050 / 407)");

    // A mention inside an existing thread stays in that thread.
    await postEvent(h.url, eventCallback(appMention('<@UBOT> still failing', { ts: '1700000600.000100', threadTs: '1700000500.000100' })));
    await h.api.waitFor((api) => api.callsTo('chat.postMessage').some((c) => c.args['thread_ts'] === '1700000500.000100' && visibleText(c.args) !== visibleText(posts[0]!)));
    expect(postedMessages(h).every((m) => m.threadTs === '1700000500.000100')).toBe(true);
  });

  it('takes a button click to the next step of the conversation, in the same thread', async () => {
    await postEvent(h.url, eventCallback(appMention('<@UBOT> The MARS agent was unable to connect to Microsoft Azure Backup', { ts: '1700000700.000100' })));
    const posts = await waitForPosts(h, 2);
    const question = posts.find((p) => buttonsOf(p).length > 1 && !header(p))!;
    const buttons = buttonsOf(question);
    expect(buttons.length).toBeGreaterThan(1);
    const before = posts.length;

    const status = await postInteraction(h.url, clickOn(question, buttons[0]!, { user: 'U2' }));
    expect(status.status).toBe(200);
    const after = await waitForPosts(h, before + 1);
    const next = after[before]!;
    expect(next).toMatchObject({ channel: 'C200', threadTs: '1700000700.000100' });
    expect(visibleText(next)).not.toBe(visibleText(question));
    expect(blockKitViolations(next.blocks)).toEqual([]);
  });

  it('answers /mars privately to the user who typed it, through the response url', async () => {
    const response = await postCommand(h.url, slashCommand('Ongeldige kluisreferenties opgegeven', { responseUrl: h.api.responseUrl('cmd-1') }));
    expect(response.status).toBe(200);
    await h.api.waitFor((api) => api.responsePosts.some((p) => p.id === 'cmd-1'));
    const reply = h.api.responsePosts.find((p) => p.id === 'cmd-1')!.body;
    expect(reply['response_type']).toBe('ephemeral');
    expect(reply['replace_original']).toBe(false);
    expect(header(reply as any)).toBe('Ongeldige kluisreferenties bij registratie (34513)');
    expect(blockKitViolations(reply['blocks'])).toEqual([]);
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
    const [answer] = await waitForPosts(h, 1);
    expect(answer).toMatchObject({ channel: 'C400', threadTs: '1700000800.000100' });
    expect(header(answer!)).toMatch(/passphrase/i);
  });

  it('answers the shortcut privately where the bot is not a member of the channel', async () => {
    h.api.failNext('chat.postMessage', { error: 'not_in_channel' });
    const original = { channel: 'C401', ts: '1700000900.000100', text: 'Invalid vault credentials provided' };
    await postInteraction(h.url, messageShortcut(original, { responseUrl: h.api.responseUrl('sc-2') }));
    await h.api.waitFor((api) => api.responsePosts.filter((p) => p.id === 'sc-2').length >= 2);
    const [notice, answer] = h.api.responsePosts.filter((p) => p.id === 'sc-2').map((p) => p.body);
    expect(visibleText(notice!)).toContain('/invite @marsbot');
    expect(header(answer as any)).toMatch(/vault credentials/i);
    expect(answer!['response_type']).toBe('ephemeral');
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
    const [answer] = await waitForPosts(h, 1);
    expect(header(answer!)).toBe('Backup completed with warnings (files skipped)');

    // Opening the Home tab again keeps the chosen language.
    await postEvent(h.url, eventCallback(homeOpened('U5')));
    await h.api.waitFor((api) => api.callsTo('views.publish').length === 2);
    expect(visibleText(h.api.callsTo('views.publish')[1]!.args['view'])).toContain('help with the Azure Backup MARS agent');
  });

  it('keeps answering in Slack when users.info is rate limited', async () => {
    h.api.failNext('users.info', { status: 429, retryAfterSeconds: 30 });
    await postEvent(h.url, eventCallback(dmMessage('Error 34506. The encryption passphrase stored on this computer is not correctly configured.')));
    const [answer] = await waitForPosts(h, 1);
    expect(header(answer!)).toMatch(/34506/);
  });
});
