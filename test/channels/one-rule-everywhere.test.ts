import { runTicketsCommand } from '../../src/cli/tickets-command';
import { localeLang } from '../../src/shared/lang';
import { visibleTexts } from '../helpers/adaptive-card-validator';
import { FakeBotConnector, teamsMessage, USER } from '../helpers/fake-bot-connector';
import { FakeEngine } from '../helpers/fake-engine';
import { eventCallback, postEvent, postInteraction } from '../helpers/slack-signing';
import { buildMarsbot, realKnowledge, startMarsbot, type RunningMarsbot } from '../helpers/start-marsbot';
import { webMessage, webReplies } from '../security/hardened-marsbot';
import { ticketInput } from '../support/ticket-fixtures';
import { settle, startSlackHarness, visibleText, type SlackHarness } from './slack/slack-harness';
import { clickOn, dmMessage } from './slack/slack-payloads';

/**
 * What issue 13 found written once per platform, now decided once: the configured DEFAULT_LANG, the
 * locale rule, and the words of Claim and Resolve. Each test runs the same situation through Teams,
 * Slack, the web chat (and tickets, the CLI) and expects one answer.
 */

const IVC_TITLE = realKnowledge().byId.get('invalid-vault-credentials')!.title;

let connector: FakeBotConnector;
beforeAll(async () => {
  connector = await new FakeBotConnector().start();
});
afterAll(() => connector.stop());
beforeEach(() => connector.clear());

async function teamsAnswerTitle(bot: RunningMarsbot, locale: string): Promise<string | undefined> {
  const before = connector.cards().length;
  await bot.postActivity(teamsMessage({ serviceUrl: connector.url, conversationId: `a:${locale || 'none'}-${before}`, text: '34513', locale }));
  return visibleTexts(connector.cards()[before])[0];
}

async function slackAnswer(h: SlackHarness, user: string): Promise<string> {
  const before = h.api.callsTo('chat.postMessage').length;
  await postEvent(h.url, eventCallback(dmMessage('34513', { user, channel: `D${user}` })));
  await h.api.waitFor((api) => api.callsTo('chat.postMessage').length > before);
  return visibleText(h.api.callsTo('chat.postMessage')[before]!.args);
}

describe('DEFAULT_LANG is the language when nothing else says (it was ignored: Dutch was hard-coded)', () => {
  it('the engine answers a bare error id in English with DEFAULT_LANG=en, in Dutch without it', async () => {
    for (const [env, title] of [[{ DEFAULT_LANG: 'en' }, IVC_TITLE.en], [{}, IVC_TITLE.nl]] as const) {
      const marsbot = await buildMarsbot({ env });
      try {
        const [answer] = await marsbot.engine.handle({ channel: 'cli', conversationId: 'c', userId: 'u', kind: 'message', text: '34513' });
        expect(answer?.title).toBe(title);
      } finally {
        await marsbot.close();
      }
    }
  });

  it('Slack: a DM "34513" from a user whose Slack profile has no locale is answered in English', async () => {
    const h = await startSlackHarness({ env: { DEFAULT_LANG: 'en' } });
    try {
      h.api.setUser('UNOLOC', { name: 'kim' });
      expect(await slackAnswer(h, 'UNOLOC')).toContain(IVC_TITLE.en);
    } finally {
      await h.close();
    }
  });

  it('Teams: a message without a locale is answered in English', async () => {
    const bot = await startMarsbot({ env: { DEFAULT_LANG: 'en' } });
    try {
      expect(await teamsAnswerTitle(bot, '')).toBe(IVC_TITLE.en);
    } finally {
      await bot.stop();
    }
  });

  it('the apology for a failed turn is in English (Slack, web chat)', async () => {
    const broken = new FakeEngine(() => {
      throw new Error('database down');
    });
    const h = await startSlackHarness({ env: { DEFAULT_LANG: 'en' }, engine: () => broken });
    try {
      h.api.setUser('UNOLOC', { name: 'kim' });
      expect(await slackAnswer(h, 'UNOLOC')).toContain('Sorry, something went wrong on my side');
    } finally {
      await h.close();
    }
    const bot = await startMarsbot({ env: { DEFAULT_LANG: 'en' }, engine: () => broken });
    try {
      const replies = await webReplies(await bot.postWeb(webMessage('34513', { locale: undefined })));
      expect(visibleTexts(replies[0]!.card).join(' ')).toContain('Sorry, something went wrong on my side');
    } finally {
      await bot.stop();
    }
  });

  it('tickets: a ticket in a language that is not ours is summarised in DEFAULT_LANG', async () => {
    const marsbot = await buildMarsbot({ env: { DEFAULT_LANG: 'en' } });
    try {
      const lines: string[] = [];
      const { ticket } = await marsbot.support.escalate(ticketInput({ lang: 'fr' }));
      await marsbot.outbox.runOnce();
      // No support channel here: the post waits; its summary is already in the outbox, in English.
      const [post] = await marsbot.store.leaseOutbox(Date.now() + 3_600_000, 10, 1);
      const summary = (post!.payload as { replies: { text: string[] }[] }).replies[0]!.text.join('\n');
      expect(summary).toContain('Language: fr');
      expect(summary).toContain('Urgency: High');
      await runTicketsCommand(marsbot, ['show', ticket.id], (line) => lines.push(line));
      expect(lines[0]).toBe(ticket.id);
    } finally {
      await marsbot.close();
    }
  });
});

describe('one locale rule in every channel (de-DE got English in Teams and a Dutch apology in Slack)', () => {
  it.each([
    ['de-DE', 'en'],
    ['nl-BE', 'nl'],
    ['en-GB', 'en'],
  ] as const)('a %s user gets %s in Teams, Slack, the web chat and on the ticket', async (locale, lang) => {
    expect(localeLang(locale, 'nl')).toBe(lang);
    const bot = await startMarsbot();
    try {
      expect(await teamsAnswerTitle(bot, locale)).toBe(IVC_TITLE[lang]);
      const web = await webReplies(await bot.postWeb(webMessage('34513', { locale })));
      expect(web[0]!.lang).toBe(lang);
      const submit = { marsbot: { type: 'escalate-submit' }, escalationDescription: '34513 again', escalationUrgency: 'normal', escalationName: 'Anna', escalationEmail: 'anna@contoso.com' };
      await bot.postWeb(webMessage('', { text: undefined, value: submit, locale }));
      const [ticket] = await bot.store.listTickets();
      expect(ticket?.lang).toBe(lang);
    } finally {
      await bot.stop();
    }

    const h = await startSlackHarness();
    try {
      h.api.setUser('ULOC', { name: 'kim', locale });
      expect(await slackAnswer(h, 'ULOC')).toContain(IVC_TITLE[lang]);
    } finally {
      await h.close();
    }
    const broken = new FakeEngine(() => {
      throw new Error('database down');
    });
    const failing = await startSlackHarness({ engine: () => broken });
    try {
      failing.api.setUser('ULOC', { name: 'kim', locale });
      expect(await slackAnswer(failing, 'ULOC')).toContain(lang === 'en' ? 'Sorry, something went wrong on my side' : 'Sorry, er ging bij mij iets mis');
    } finally {
      await failing.close();
    }
  });
});

describe('one wording for Claim and Resolve (Teams, Slack and the support desk each had their own)', () => {
  it('Teams, Slack and the command line say the same thing for the same claim', async () => {
    const said: string[] = [];

    const support = JSON.stringify({ serviceUrl: connector.url, channelId: 'msteams', conversation: { id: '19:support@thread.tacv2' } });
    const bot = await startMarsbot({ env: { SUPPORT_TEAMS_CONVERSATION: support } });
    try {
      const { ticket } = await bot.marsbot.support.escalate(ticketInput());
      await bot.marsbot.outbox.runOnce();
      const thread = '19:support@thread.tacv2;messageid=1';
      const click = teamsMessage({ serviceUrl: connector.url, conversationType: 'channel', conversationId: thread, value: { marsbot: { type: 'ticket-claim', ticket: ticket.id } } });
      await bot.postActivity({ ...click, from: { ...USER, name: 'Sam' } });
      said.push(visibleTexts(connector.cards(thread)[0]).join(' ').replace(ticket.id, 'TICKET'));
    } finally {
      await bot.stop();
    }

    const h = await startSlackHarness({ supportChannel: 'CSUPPORT' });
    try {
      h.api.setUser('USAM', { name: 'Sam', locale: 'en-US' });
      const { ticket } = await h.marsbot.support.escalate(ticketInput({ channel: 'slack', conversationId: 'D1' }));
      await h.marsbot.outbox.runOnce();
      const call = h.api.callsTo('chat.postMessage').find((c) => c.args['channel'] === 'CSUPPORT')!;
      const post = { channel: 'CSUPPORT', ts: call.response!['ts'] as string, blocks: call.args['blocks'] as any[] };
      const block = post.blocks.find((b: any) => b.type === 'actions');
      const button = block.elements.find((e: any) => e.value.includes('ticket-claim'));
      await postInteraction(h.url, clickOn(post, { actionId: button.action_id, blockId: block.block_id, value: button.value }, { user: 'USAM' }));
      await h.api.waitFor((api) => api.callsTo('chat.postMessage').some((c) => c.args['thread_ts'] === post.ts));
      await settle(h.api);
      said.push(visibleText(h.api.callsTo('chat.postMessage').find((c) => c.args['thread_ts'] === post.ts)!.args).replace(ticket.id, 'TICKET'));
    } finally {
      await h.close();
    }

    const marsbot = await buildMarsbot();
    try {
      const { ticket } = await marsbot.support.escalate(ticketInput());
      const lines: string[] = [];
      expect(await runTicketsCommand(marsbot, ['claim', ticket.id, '--by', 'Sam'], (line) => lines.push(line), 'en')).toBe(0);
      said.push(lines.join(' ').replace(ticket.id, 'TICKET'));
      expect(await marsbot.store.getTicket(ticket.id)).toMatchObject({ status: 'claimed', claimedBy: 'Sam' });
    } finally {
      await marsbot.close();
    }

    expect(said).toEqual(['Sam is handling TICKET now.', 'Sam is handling TICKET now.', 'Sam is handling TICKET now.']);
  });
});
