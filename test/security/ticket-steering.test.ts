import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { visibleTexts } from '../helpers/adaptive-card-validator';
import { FakeBotConnector, OTHER_USER, teamsMessage, USER, type TeamsUser } from '../helpers/fake-bot-connector';
import { postEvent, postInteraction, eventCallback } from '../helpers/slack-signing';
import { startMarsbot, type RunningMarsbot } from '../helpers/start-marsbot';
import { settle, startSlackHarness, visibleText, type SlackHarness } from '../channels/slack/slack-harness';
import { appMention, clickOn, type PostedMessage } from '../channels/slack/slack-payloads';
import { ticketInput } from '../support/ticket-fixtures';
import { FakeClock } from '../helpers/fake-clock';
import { webMessage, webReplies } from './hardened-marsbot';

/**
 * Who may steer tickets (issue 9, holes 1 and 2), attacked over the real HTTP paths: a second
 * person tries to take the support channel over, or to claim and resolve a ticket from somewhere
 * else. Each attack is refused with a clear answer and changes nothing; the right person in the
 * right place still can.
 */

const SUPPORT_THREAD = '19:support@thread.tacv2;messageid=100';
const SUPPORT_ROOT = '19:support@thread.tacv2';
const OTHER_CHANNEL = '19:mallory@thread.tacv2;messageid=200';
// Sent to a dead port: webhook events stay in the outbox, where the test can count them.
const WEBHOOK = { ESCALATION_WEBHOOK_URL: 'http://127.0.0.1:9/hook', ESCALATION_WEBHOOK_SECRET: 'hook-secret' };

/** What each card the bot posted reads, one string per card (its text runs joined as shown). */
function cardTexts(connector: FakeBotConnector, conversationId?: string): string[] {
  return connector.messages(conversationId).flatMap((m) => (m.activity.attachments ?? []).map((a) => visibleTexts(a.content).join('')));
}

describe('Teams: only support admins move the support channel', () => {
  let connector: FakeBotConnector;
  let bot: RunningMarsbot | undefined;
  beforeAll(async () => {
    connector = await new FakeBotConnector().start();
  });
  afterAll(() => connector.stop());
  beforeEach(() => connector.clear());
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  const configured = () => JSON.stringify({ serviceUrl: connector.url, channelId: 'msteams', conversation: { id: SUPPORT_ROOT } });
  const command = (from: TeamsUser, conversationId: string, conversationType: 'channel' | 'groupChat' | 'personal' = 'channel') =>
    teamsMessage({ serviceUrl: connector.url, conversationType, conversationId, mentionBot: conversationType !== 'personal', text: 'set support channel', from, locale: 'en-US' });

  it('without SUPPORT_ADMINS nobody can: the command is refused and tickets keep going to the configured channel', async () => {
    bot = await startMarsbot({ env: { SUPPORT_TEAMS_CONVERSATION: configured() } });
    await bot.postActivity(command(OTHER_USER, OTHER_CHANNEL));
    expect(cardTexts(connector, OTHER_CHANNEL)).toEqual([
      "The support channel can't be changed from the chat: no support admins are configured (SUPPORT_ADMINS). Ask whoever runs marsbot to set it in the configuration.",
    ]);
    expect((await bot.marsbot.supportChannels.get('teams'))?.place).toBe(SUPPORT_ROOT);

    connector.clear();
    const { ticket } = await bot.marsbot.support.escalate(ticketInput());
    await bot.marsbot.outbox.runOnce();
    expect(connector.messages().map((m) => m.conversationId)).toEqual([SUPPORT_ROOT]);
    expect(cardTexts(connector, SUPPORT_ROOT)[0]).toContain(ticket.id);
  });

  it('a second user who is not an admin is refused, in a channel or a group chat, and nothing moves', async () => {
    const lines: Record<string, unknown>[] = [];
    bot = await startMarsbot({ env: { SUPPORT_ADMINS: USER.aadObjectId, SUPPORT_TEAMS_CONVERSATION: configured() }, logger: capture(lines) });
    await bot.postActivity(command(OTHER_USER, OTHER_CHANNEL));
    await bot.postActivity(command(OTHER_USER, '19:group-chat@thread.v2', 'groupChat'));
    expect(cardTexts(connector)).toEqual([
      "Only marsbot's support admins can change where tickets go. Nothing was changed.",
      "Only marsbot's support admins can change where tickets go. Nothing was changed.",
    ]);
    expect((await bot.marsbot.supportChannels.get('teams'))?.place).toBe(SUPPORT_ROOT);
    expect(lines.filter((l) => l['msg'] === 'set support channel refused: not a support admin')).toHaveLength(2);
    expect(lines.find((l) => l['msg'] === 'set support channel refused: not a support admin')).toMatchObject({ userId: OTHER_USER.aadObjectId });
  });

  it('an admin moves it: logged, answered in the new channel, announced in the old one, and the next ticket goes to the new one', async () => {
    const lines: Record<string, unknown>[] = [];
    bot = await startMarsbot({ env: { SUPPORT_ADMINS: `${USER.aadObjectId}, U0ADMIN`, SUPPORT_TEAMS_CONVERSATION: configured() }, logger: capture(lines) });
    const newChannel = '19:new-support@thread.tacv2;messageid=300';
    await bot.postActivity(command(USER, newChannel));
    expect(cardTexts(connector, newChannel)).toEqual([
      `This channel now receives marsbot's support tickets instead of the previous one (moved by ${USER.name}).`,
    ]);
    expect(lines.find((l) => l['msg'] === 'support channel changed')).toMatchObject({
      userId: USER.aadObjectId,
      place: '19:new-support@thread.tacv2',
      previous: SUPPORT_ROOT,
    });

    await bot.marsbot.outbox.runOnce();
    expect(cardTexts(connector, SUPPORT_ROOT)).toEqual([
      `${USER.name} moved marsbot's support tickets to another channel: new tickets no longer arrive here.`,
    ]);

    connector.clear();
    const { ticket } = await bot.marsbot.support.escalate(ticketInput());
    await bot.marsbot.outbox.runOnce();
    expect(connector.messages().map((m) => m.conversationId)).toEqual(['19:new-support@thread.tacv2']);
    expect(cardTexts(connector)[0]).toContain(ticket.id);
  });

  it('not even an admin can make a personal chat the support channel', async () => {
    bot = await startMarsbot({ env: { SUPPORT_ADMINS: USER.aadObjectId } });
    await bot.postActivity(command(USER, 'a:personal-admin', 'personal'));
    expect(cardTexts(connector)).toEqual(['Run this command in the channel or group chat where your support team should receive the tickets.']);
    expect(await bot.marsbot.supportChannels.get('teams')).toBeUndefined();
  });
});

describe('Teams: Claim and Resolve count only in the support channel the ticket was posted in', () => {
  let connector: FakeBotConnector;
  let bot: RunningMarsbot;
  let ticketId: string;
  beforeAll(async () => {
    connector = await new FakeBotConnector().start();
  });
  afterAll(() => connector.stop());
  beforeEach(async () => {
    connector.clear();
    const support = JSON.stringify({ serviceUrl: connector.url, channelId: 'msteams', conversation: { id: SUPPORT_ROOT } });
    bot = await startMarsbot({ env: { SUPPORT_TEAMS_CONVERSATION: support, ...WEBHOOK } });
    ticketId = (await bot.marsbot.support.escalate(ticketInput())).ticket.id;
    await bot.marsbot.outbox.runOnce();
    expect(cardTexts(connector, SUPPORT_ROOT)[0]).toContain(ticketId);
    connector.clear();
  });
  afterEach(() => bot.stop());

  const click = (from: TeamsUser, conversationId: string, type: 'ticket-claim' | 'ticket-resolve', ticket: string, conversationType: 'channel' | 'personal' = 'channel') =>
    teamsMessage({ serviceUrl: connector.url, conversationType, conversationId, from, value: { marsbot: { type, ticket } }, locale: 'en-US' });

  const REFUSED = 'Tickets can only be claimed or resolved in the support channel they were posted in, or with marsbot tickets on the server. Nothing was changed.';

  it('a forged Resolve from a personal chat changes nothing and sends no webhook event', async () => {
    const pendingBefore = await bot.store.countOutboxPending();
    await bot.postActivity(click(OTHER_USER, 'a:mallory-personal', 'ticket-resolve', ticketId, 'personal'));
    expect(cardTexts(connector, 'a:mallory-personal')).toEqual([REFUSED]);
    expect(await bot.store.getTicket(ticketId)).toMatchObject({ status: 'open' });
    expect(await bot.store.countOutboxPending()).toBe(pendingBefore);
  });

  it('a Claim from another channel is refused too, and an unknown id gets the same answer (ids cannot be probed)', async () => {
    await bot.postActivity(click(OTHER_USER, OTHER_CHANNEL, 'ticket-claim', ticketId));
    await bot.postActivity(click(OTHER_USER, OTHER_CHANNEL, 'ticket-claim', 'MARS-9999'));
    expect(cardTexts(connector, OTHER_CHANNEL)).toEqual([REFUSED, REFUSED]);
    expect(await bot.store.getTicket(ticketId)).toMatchObject({ status: 'open' });
  });

  it('from the support channel it works, for whoever is there', async () => {
    const pendingBefore = await bot.store.countOutboxPending();
    await bot.postActivity(click(OTHER_USER, SUPPORT_THREAD, 'ticket-claim', ticketId));
    expect(cardTexts(connector, SUPPORT_THREAD)).toEqual([`${OTHER_USER.name} is handling ${ticketId} now.`]);
    expect(await bot.store.getTicket(ticketId)).toMatchObject({ status: 'claimed', claimedBy: OTHER_USER.name });
    // The user's notice and ticket.claimed.
    expect(await bot.store.countOutboxPending()).toBe(pendingBefore + 2);
  });
});

describe('Slack: who may steer tickets', () => {
  let h: SlackHarness;
  afterEach(() => h.close());

  async function postedTicket(): Promise<{ ticketId: string; post: PostedMessage }> {
    const { ticket } = await h.marsbot.support.escalate(ticketInput({ channel: 'slack', conversationId: 'D100', idempotencyKey: 'slack:D100:1' }));
    await h.marsbot.outbox.runOnce();
    const call = h.api.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'CSUPPORT')!;
    return { ticketId: ticket.id, post: { channel: 'CSUPPORT', ts: call.response!['ts'], blocks: call.args['blocks'] } };
  }

  function claimButton(post: PostedMessage): { actionId: string; blockId?: string; value: string } {
    const actions = post.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements.map((e: any) => ({ ...e, blockId: b.block_id })));
    const claim = actions.find((e: any) => e.value.includes('ticket-claim'));
    return { actionId: claim.action_id, blockId: claim.blockId, value: claim.value };
  }

  it('a Claim button replayed in a DM is refused and changes nothing; in the support channel it claims', async () => {
    h = await startSlackHarness({ supportChannel: 'CSUPPORT', env: WEBHOOK });
    h.api.setUser('UMAL', { name: 'mallory', locale: 'en-US' });
    h.api.setUser('USUP', { name: 'sanne', locale: 'en-GB' });
    const { ticketId, post } = await postedTicket();
    const pendingBefore = await h.store.countOutboxPending();

    // The same button, but the click comes from Mallory's DM with the bot.
    await postInteraction(h.url, clickOn({ ...post, channel: 'DMAL' }, claimButton(post), { user: 'UMAL' }));
    await h.api.waitFor((api) => api.callsTo('chat.postMessage').some((c) => c.args['channel'] === 'DMAL'));
    const refusal = h.api.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'DMAL')!;
    expect(visibleText(refusal.args)).toContain('Tickets can only be claimed or resolved in the support channel they were posted in');
    expect(await h.store.getTicket(ticketId)).toMatchObject({ status: 'open' });
    expect(await h.store.countOutboxPending()).toBe(pendingBefore);

    await postInteraction(h.url, clickOn(post, claimButton(post), { user: 'USUP' }));
    await h.api.waitFor((api) => api.callsTo('chat.postMessage').some((c) => c.args['thread_ts'] === post.ts));
    const note = h.api.callsTo('chat.postMessage').find((c) => c.args['thread_ts'] === post.ts)!;
    expect(visibleText(note.args)).toContain(`sanne is handling ${ticketId} now.`);
    expect(await h.store.getTicket(ticketId)).toMatchObject({ status: 'claimed', claimedBy: 'sanne' });
  });

  it('"@marsbot set support channel" is refused for a non-admin and works for an admin, announced in the old channel', async () => {
    h = await startSlackHarness({ supportChannel: 'CSUPPORT', env: { SUPPORT_ADMINS: 'UADMIN' } });
    h.api.setUser('UMAL', { name: 'mallory', locale: 'en-US' });
    h.api.setUser('UADMIN', { name: 'ada', locale: 'en-US' });

    await postEvent(h.url, eventCallback(appMention('<@UBOT> set support channel', { user: 'UMAL', channel: 'CMAL' })));
    await h.api.waitFor((api) => api.callsTo('chat.postMessage').some((c) => c.args['channel'] === 'CMAL'));
    expect(visibleText(h.api.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'CMAL')!.args)).toContain(
      "Only marsbot's support admins can change where tickets go.",
    );
    expect((await h.marsbot.supportChannels.get('slack'))?.place).toBe('CSUPPORT');

    await postEvent(h.url, eventCallback(appMention('<@UBOT> set support channel', { user: 'UADMIN', channel: 'CNEW' })));
    await h.api.waitFor((api) => api.callsTo('chat.postMessage').some((c) => c.args['channel'] === 'CNEW'));
    expect(visibleText(h.api.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'CNEW')!.args)).toContain('moved by ada');
    expect((await h.marsbot.supportChannels.get('slack'))?.place).toBe('CNEW');
    await h.marsbot.outbox.runOnce();
    await settle(h.api);
    const announced = h.api.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'CSUPPORT');
    expect(announced.map((c) => visibleText(c.args))).toEqual([expect.stringContaining('ada moved marsbot')]);
  });
});

describe('web chat: a ticket button sent from the page is refused', () => {
  it('a hand-made Claim in a web chat request changes nothing', async () => {
    const bot = await startMarsbot();
    try {
      const { ticket } = await bot.marsbot.support.escalate(ticketInput());
      const replies = await webReplies(await bot.postWeb(webMessage('', { text: undefined, value: { marsbot: { type: 'ticket-claim', ticket: ticket.id } } })));
      expect(replies.map((r) => visibleTexts(r.card).join(''))).toEqual([
        'Tickets can only be claimed or resolved in the support channel they were posted in, or with marsbot tickets on the server. Nothing was changed.',
      ]);
      expect(await bot.store.getTicket(ticket.id)).toMatchObject({ status: 'open' });
    } finally {
      await bot.stop();
    }
  });
});

/** A pino logger that keeps every line, parsed. */
function capture(lines: Record<string, unknown>[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

describe('web chat tickets reach the support channels there are (issue 9, hole 6)', () => {
  const escalateFromWeb = async (post: (body: unknown) => Promise<Response>): Promise<void> => {
    await webReplies(await post(webMessage('Error 230006')));
    // Nobody signs in to the web chat: the form carries a name and an e-mail address.
    const submit = { marsbot: { type: 'escalate-submit' }, escalationDescription: 'Backups fail every night', escalationUrgency: 'high', escalationName: 'Anna', escalationEmail: 'anna@contoso.com' };
    await webReplies(await post(webMessage('', { text: undefined, value: submit })));
  };

  it('with only a Slack support channel, a web chat ticket is posted there (it used to go to Teams, which had none, and count as delivered)', async () => {
    const h = await startSlackHarness({ supportChannel: 'CSUPPORT' });
    try {
      await escalateFromWeb(h.postWeb);
      const [ticket] = await h.store.listTickets();
      expect(ticket).toMatchObject({ channel: 'web' });
      await h.marsbot.outbox.runOnce();
      await settle(h.api);
      const posts = h.api.callsTo('chat.postMessage').filter((c) => c.args['channel'] === 'CSUPPORT');
      expect(posts.map((c) => visibleText(c.args))).toEqual([expect.stringContaining(ticket!.id)]);
      expect(await h.store.countOutboxPending()).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('with no support channel anywhere, the post stays in the outbox (not "delivered") until one is set', async () => {
    const connector = await new FakeBotConnector().start();
    const clock = new FakeClock(Date.now());
    const bot = await startMarsbot({ env: { SUPPORT_ADMINS: USER.aadObjectId }, clock });
    try {
      await escalateFromWeb(bot.postWeb);
      const [ticket] = await bot.store.listTickets();
      await bot.marsbot.outbox.runOnce();
      expect(await bot.store.countOutboxPending()).toBe(1);

      await bot.postActivity(teamsMessage({ serviceUrl: connector.url, conversationType: 'channel', conversationId: SUPPORT_THREAD, mentionBot: true, text: 'set support channel' }));
      clock.advance(60 * 60_000);
      await bot.marsbot.outbox.runOnce();
      expect(cardTexts(connector, SUPPORT_ROOT).some((text) => text.includes(ticket!.id))).toBe(true);
      expect(await bot.store.countOutboxPending()).toBe(0);
    } finally {
      await bot.stop();
      await connector.stop();
    }
  });
});
