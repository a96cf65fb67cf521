import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ticket } from '../../src/storage/store';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api';
import { runCli, startMarsbotProcess, type MarsbotProcess } from './support/marsbot-process';
import { findButton, postedMessages, SlackWorkspace, TEST_SIGNING_SECRET, type SlackMessage } from './support/slack-workspace';
import { ERROR_WITH_STEPS, ESCALATION_FORM, reachEscalationForm, ticketIdIn } from './support/teams-escalation';
import { readableText, TeamsConversation } from './support/teams-conversation';
import { waitFor } from './support/wait-for';

/**
 * The whole escalation as people live it, in Teams and in Slack, against the real server process:
 * an answer that does not help → "No" → escalate → the ticket appears in the support channel →
 * someone presses Claim there → the user hears who picked it up → Resolve → the user hears it is done.
 */

const SLACK_SUPPORT = 'CSUPPORT';
const TEAMS_SUPPORT = '19:support-team@thread.tacv2';

let connector: FakeBotConnector;
let api: FakeSlackApi;
let dir: string;
let bot: MarsbotProcess;
let env: Record<string, string>;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  api = await startFakeSlackApi();
  api.setUser('U1', { name: 'jan', realName: 'Jan de Boer', locale: 'en-US' });
  api.setUser('USUP', { name: 'sanne', realName: 'Sanne Jansen', locale: 'en-US' });
  dir = mkdtempSync(join(tmpdir(), 'marsbot-flow-e2e-'));
  env = {
    SQLITE_PATH: join(dir, 'marsbot.db'),
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-e2e-token',
    SLACK_API_URL: api.apiUrl,
    SUPPORT_SLACK_CHANNEL: SLACK_SUPPORT,
    // The support lead may move the Teams support channel; nobody else can.
    SUPPORT_ADMINS: '29:sanne',
    OUTBOX_POLL_MS: '50',
    OUTBOX_RETRY_BASE_MS: '100',
  };
  bot = await startMarsbotProcess(env, dir);
});

afterAll(async () => {
  await bot?.stop();
  await api?.close();
  await connector?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function ticketFromCli(id: string): Ticket {
  const ticket = (JSON.parse(runCli(['tickets', 'export', '--format', 'json'], env, dir)) as Ticket[]).find((t) => t.id === id);
  if (!ticket) throw new Error(`${id} not in the store`);
  return ticket;
}

describe('escalation from Teams', () => {
  it('reaches the Teams support channel, and Claim and Resolve there are reported in the user’s chat', async () => {
    const lead = { id: '29:sanne', name: 'Sanne Jansen' };
    const setup = new TeamsConversation(connector, () => bot.url, { conversationId: `${TEAMS_SUPPORT};messageid=1700000000500`, conversationType: 'channel', from: lead });
    const saved = await setup.send({ text: 'set support channel', mentionBot: true });
    expect(saved.map(readableText)).toEqual(["This channel now receives marsbot's support tickets (set by Sanne Jansen)."]);

    const user = new TeamsConversation(connector, () => bot.url, { conversationId: 'a:anne-flow' });
    const submit = await reachEscalationForm(user);
    const confirmation = await user.press(submit, ESCALATION_FORM);
    const ticketId = ticketIdIn(confirmation.map((m) => JSON.stringify(m.activity)));

    // The ticket is posted as a new message in the support channel, with Claim and Resolve.
    const supportChannel = new TeamsConversation(connector, () => bot.url, { conversationId: TEAMS_SUPPORT, conversationType: 'channel', from: lead });
    await waitFor('the ticket in the Teams support channel', () =>
      connector.messages(TEAMS_SUPPORT).some((m) => JSON.stringify(m.activity).includes(`"ticket":"${ticketId}"`)),
    );
    const claim = supportChannel.button((a) => a['type'] === 'ticket-claim' && a['ticket'] === ticketId);
    const resolve = supportChannel.button((a) => a['type'] === 'ticket-resolve' && a['ticket'] === ticketId);
    // Buttons are pressed in the thread the post started.
    const ticketThread = new TeamsConversation(connector, () => bot.url, { conversationId: `${TEAMS_SUPPORT};messageid=1700000000600`, conversationType: 'channel', from: lead });

    const claimed = await ticketThread.press(claim);
    expect(claimed.map(readableText)).toEqual([`Sanne Jansen is handling ${ticketId} now.`]);
    await waitFor('the user to hear who picked the ticket up', () => user.texts().some((text) => text.includes(`${ticketId} was picked up by Sanne Jansen`)));

    await ticketThread.press(resolve);
    await waitFor('the user to hear the ticket was resolved', () => user.texts().some((text) => text.includes(`${ticketId} was resolved by Sanne Jansen`)));

    expect(ticketFromCli(ticketId)).toMatchObject({ status: 'resolved', claimedBy: 'Sanne Jansen', resolvedBy: 'Sanne Jansen', channel: 'teams', urgency: 'high' });
    // One notice per change in the user's chat, nothing twice.
    expect(user.texts().filter((text) => text.includes('Sanne Jansen'))).toHaveLength(2);
  });
});

describe('escalation from Slack', () => {
  const workspace = (): SlackWorkspace => new SlackWorkspace(api, () => `${bot.url}/slack/events`);

  async function newPostIn(channel: string, after: number, what: string, matches: (m: SlackMessage) => boolean): Promise<SlackMessage> {
    return waitFor(what, () => postedMessages(api, channel).slice(after).find(matches), {
      details: () => postedMessages(api).map((m) => `${m.channel}: ${m.text}`).join('\n'),
    });
  }

  function buttonIn(channel: string, what: string, matches: (value: Record<string, unknown>) => boolean): Promise<ReturnType<typeof findButton>> {
    return waitFor(what, () => {
      try {
        return findButton(postedMessages(api, channel), matches);
      } catch {
        return undefined;
      }
    });
  }

  it('reaches the Slack support channel, and Claim and Resolve there are reported in the user’s DM', async () => {
    const slack = workspace();
    const dm = 'D100';

    await slack.dm('U1', dm, ERROR_WITH_STEPS);
    const notSolved = await buttonIn(dm, 'the answer asking "did this solve it?"', (v) => v['type'] === 'solved' && v['solved'] === false);
    // The steps and the question under them arrive as the turn's one message.
    expect(notSolved.message.ts).toBe(postedMessages(api, dm)[0]!.ts);
    expect(notSolved.message.text).toMatch(/^1\. /m);

    let seen = postedMessages(api, dm).length;
    await slack.click('U1', notSolved.message, notSolved.button);
    await newPostIn(dm, seen, 'the next answer after "No"', (m) => m.blocks.some((b) => b.type === 'actions'));

    const escalate = await buttonIn(dm, 'the escalate button', (v) => v['type'] === 'escalate');
    await slack.click('U1', escalate.message, escalate.button, 'trigger-escalate-flow');
    const modal = await waitFor('the escalation modal', () => api.callsTo('views.open').find((c) => c.args['trigger_id'] === 'trigger-escalate-flow')?.args['view']);

    seen = postedMessages(api, dm).length;
    const submitted = await slack.submit(slack.submissionPayload('U1', modal, { description: ESCALATION_FORM.escalationDescription, urgency: 'high' }));
    expect(submitted.status).toBe(200);
    const confirmation = await newPostIn(dm, seen, 'the confirmation with the ticket id', (m) => /MARS-\d+/.test(m.text));
    const ticketId = ticketIdIn([confirmation.text]);

    const summary = await newPostIn(SLACK_SUPPORT, 0, 'the ticket in the Slack support channel', (m) => m.text.includes(ticketId));
    const claim = findButton([summary], (v) => v['type'] === 'ticket-claim' && v['ticket'] === ticketId);
    const resolve = findButton([summary], (v) => v['type'] === 'ticket-resolve' && v['ticket'] === ticketId);

    seen = postedMessages(api, dm).length;
    await slack.click('USUP', summary, claim.button);
    const pickedUp = await newPostIn(dm, seen, 'the user to hear who picked the ticket up', (m) => m.text.includes(ticketId));
    expect(pickedUp.text).toContain(`${ticketId} was picked up by Sanne Jansen`);

    seen = postedMessages(api, dm).length;
    await slack.click('USUP', summary, resolve.button);
    const resolved = await newPostIn(dm, seen, 'the user to hear the ticket was resolved', (m) => m.text.includes(ticketId));
    expect(resolved.text).toContain(`${ticketId} was resolved by Sanne Jansen`);

    expect(ticketFromCli(ticketId)).toMatchObject({ status: 'resolved', claimedBy: 'Sanne Jansen', resolvedBy: 'Sanne Jansen', channel: 'slack', conversationId: dm, urgency: 'high' });
    // One confirmation and one notice per change in the DM; the ticket posted once in the support channel.
    expect(postedMessages(api, dm).filter((m) => m.text.includes(ticketId))).toHaveLength(3);
    // One message per turn in the DM: answer, after "No", escalation prompt, confirmation, claimed, resolved.
    expect(postedMessages(api, dm)).toHaveLength(6);
    expect(postedMessages(api, SLACK_SUPPORT).filter((m) => !m.threadTs && m.text.includes(ticketId))).toHaveLength(1);
  });
});
