import type { OutboxWorker } from '../../../src/support/outbox-worker';
import { createMemoryStore } from '../../../src/storage/memory-store';
import type { Store } from '../../../src/storage/store';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api';
import { eventCallback, postCommand, postEvent, postInteraction } from '../../helpers/slack-signing';
import { blockKitViolations } from './block-kit-rules';
import { buttonsOf, repliesIn, settle, startSlackHarness, visibleText, type SlackHarness } from './slack-harness';
import { clickOn, dmMessage, slashCommand, viewSubmission, type PostedMessage } from './slack-payloads';

/**
 * From "this did not help" to a ticket that support claims: the escalate button, the modal, the
 * ticket, the post in the support channel, Claim, and the user hearing about it in their DM.
 */

const SUPPORT = 'CSUPPORT';

function posted(api: FakeSlackApi): PostedMessage[] {
  return api.callsTo('chat.postMessage').map((c) => ({
    channel: c.args['channel'],
    ts: c.response?.['ts'],
    ...(c.args['thread_ts'] ? { threadTs: c.args['thread_ts'] } : {}),
    blocks: c.args['blocks'] ?? [],
  }));
}

describe('escalating from Slack to the support channel', () => {
  let api: FakeSlackApi;
  let store: Store;
  let h: SlackHarness;
  let outbox: OutboxWorker;

  beforeEach(async () => {
    api = await startFakeSlackApi();
    api.setUser('U1', { name: 'jan', locale: 'en-US' });
    api.setUser('USUP', { name: 'sanne', locale: 'nl-NL' });
    store = createMemoryStore();
    // The production wiring: support desk, outbox and Slack channel as the composition root joins them.
    h = await startSlackHarness({ api, store, supportChannel: SUPPORT });
    outbox = h.marsbot.outbox;
  });

  afterEach(async () => {
    await h.close();
    await api.close();
  });

  async function askInDm(text: string): Promise<PostedMessage> {
    await postEvent(h.url, eventCallback(dmMessage(text)));
    await api.waitFor((a) => a.callsTo('chat.postMessage').some((c) => (c.args['blocks'] ?? []).some((b: any) => b.type === 'header')));
    return posted(api).find((m) => m.blocks.some((b: any) => b.type === 'header'))!;
  }

  it('opens the form in a modal from the escalate button, files the ticket and lets support claim it', async () => {
    const answer = await askInDm('Error 34506. The encryption passphrase stored on this computer is not correctly configured.');
    const escalate = buttonsOf(answer).find((b) => b.value?.includes('"escalate"'))!;
    expect(escalate.label).toBe('Escalate to support');

    await postInteraction(h.url, clickOn(answer, escalate, { triggerId: 'trigger-escalate' }));
    await api.waitFor((a) => a.callsTo('views.open').length === 1);
    const open = api.callsTo('views.open')[0]!.args;
    expect(open['trigger_id']).toBe('trigger-escalate');
    const modal = open['view'];
    expect(modal.type).toBe('modal');
    expect(modal.title.text).toBe('Escalate to support');
    expect(blockKitViolations(modal.blocks, 'modal')).toEqual([]);
    expect(visibleText(modal)).toContain('Urgency');
    // Each turn so far is one message in the DM: the answer, then the escalation prompt with its form button.
    await settle(api);
    const dmPosts = () => posted(api).filter((m) => m.channel === 'D100');
    expect(dmPosts()).toHaveLength(2);
    expect(buttonsOf(dmPosts()[1]!).some((b) => b.actionId.startsWith('marsbot-form:'))).toBe(true);

    const submitted = await postInteraction(h.url, viewSubmission(modal, { description: 'Backups on FS01 fail since Monday', urgency: 'high' }));
    expect(submitted.status).toBe(200);
    expect(submitted.text).toBe('');
    await api.waitFor(() => api.callsTo('chat.postMessage').some((c) => visibleText(c.args).includes('MARS-')));

    const [ticket] = await store.listTickets();
    expect(ticket).toMatchObject({ channel: 'slack', conversationId: 'D100', userId: 'U1', userName: 'jan', description: 'Backups on FS01 fail since Monday', urgency: 'high' });
    expect(ticket!.threadLink).toMatch(/^https:\/\/test\.slack\.com\/archives\/D100\//);
    const confirmation = posted(api).find((m) => visibleText(m).includes(ticket!.id))!;
    expect(confirmation.channel).toBe('D100');
    await settle(api);
    expect(dmPosts()).toHaveLength(3);

    // The outbox posts the ticket to the support channel, with Claim and Resolve.
    await outbox.runOnce();
    const summary = posted(api).find((m) => m.channel === SUPPORT)!;
    expect(visibleText(summary)).toContain(ticket!.id);
    expect(blockKitViolations(summary.blocks)).toEqual([]);
    const claim = buttonsOf(summary).find((b) => b.value.includes('ticket-claim'))!;
    expect(buttonsOf(summary).some((b) => b.value.includes('ticket-resolve'))).toBe(true);

    // Support claims it: a note in the ticket's thread, and the user hears about it in the DM.
    await postInteraction(h.url, clickOn(summary, claim, { user: 'USUP' }));
    await api.waitFor(() => posted(api).some((m) => m.channel === SUPPORT && m.threadTs === summary.ts));
    expect((await store.getTicket(ticket!.id))!.status).toBe('claimed');
    expect(visibleText(posted(api).find((m) => m.threadTs === summary.ts)!)).toContain('sanne');
    await outbox.runOnce();
    const notice = posted(api).filter((m) => m.channel === 'D100').pop()!;
    expect(visibleText(notice)).toContain(ticket!.id);
    expect(visibleText(notice)).toContain('sanne');
  });

  it('asks again for a description when the modal is sent empty, and files nothing', async () => {
    const answer = await askInDm('Error 34506. The encryption passphrase stored on this computer is not correctly configured.');
    const escalate = buttonsOf(answer).find((b) => b.value?.includes('"escalate"'))!;
    await postInteraction(h.url, clickOn(answer, escalate));
    await api.waitFor((a) => a.callsTo('views.open').length === 1);
    const modal = api.callsTo('views.open')[0]!.args['view'];
    const response = await postInteraction(h.url, viewSubmission(modal, { description: '   ' }));
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ response_action: 'errors', errors: { description: 'Please describe the problem in a few words.' } });
    expect(await store.listTickets()).toEqual([]);
  });

  it('escalates with /mars escaleer: the modal opens on the command, the answer stays private', async () => {
    api.setUser('U3', { name: 'piet', locale: 'nl-NL' });
    await postCommand(h.url, slashCommand('escaleer', { user: 'U3', responseUrl: api.responseUrl('cmd-esc'), triggerId: 'trigger-cmd' }));
    await api.waitFor((a) => a.callsTo('views.open').length === 1);
    const open = api.callsTo('views.open')[0]!.args;
    expect(open['trigger_id']).toBe('trigger-cmd');
    expect(open['view'].title.text).toBe('Escaleren naar support');

    await postInteraction(h.url, viewSubmission(open['view'], { description: 'Back-ups mislukken', urgency: 'normal' }, 'U3'));
    await api.waitFor((a) => a.responsePosts.some((p) => visibleText(p.body).includes('MARS-')));
    const [ticket] = await store.listTickets();
    expect(ticket).toMatchObject({ conversationId: 'C300@U3', description: 'Back-ups mislukken', urgency: 'normal', lang: 'nl' });
    expect(api.callsTo('chat.postMessage').filter((c) => c.args['channel'] !== SUPPORT)).toHaveLength(0);
    // One private message per turn: the escalation prompt for the command, the confirmation for the form.
    await settle(api);
    const privately = api.responsePosts.filter((p) => p.id === 'cmd-esc').map((p) => visibleText(p.body));
    expect(privately).toHaveLength(2);
    expect(privately[1]).toContain(ticket!.id);
  });

  it('asks one feedback question: "no, hand it to support" records not solved and 👎, and opens the hand-over', async () => {
    const answer = await askInDm('Error 34506. The encryption passphrase stored on this computer is not correctly configured.');
    expect(answer.blocks.some((b: any) => b.type === 'context_actions')).toBe(false);
    // The first option shows that cause's steps and "did this solve it?".
    await postInteraction(h.url, clickOn(answer, buttonsOf(answer).find((b) => b.value.includes('"follow-up"'))!));
    await api.waitFor(() => posted(api).some((m) => buttonsOf(m).some((b) => b.value.includes('"escalate":true'))));
    const fix = posted(api).find((m) => buttonsOf(m).some((b) => b.value.includes('"escalate":true')))!;
    expect(buttonsOf(fix).filter((b) => b.value.includes('"solved"')).map((b) => b.label)).toEqual(['Yes, solved', 'No, still not working', 'No, hand it to support']);
    // No second "was this helpful?" and no second escalate button on the same turn.
    expect(visibleText(fix)).not.toContain('helpful');
    expect(buttonsOf(fix).filter((b) => b.value === '{"type":"escalate"}')).toEqual([]);

    await postInteraction(h.url, clickOn(fix, buttonsOf(fix).find((b) => b.value.includes('"escalate":true'))!));
    await api.waitFor(() => posted(api).some((m) => buttonsOf(m).some((b) => b.actionId.startsWith('marsbot-form:'))));
    const events = await store.listInteractions();
    expect(events.filter((e) => e.type === 'feedback')).toEqual([expect.objectContaining({ helpful: false, conversationId: 'D100', topic: 'passphrase-not-configured' })]);
    expect(events.filter((e) => e.type === 'not-solved')).toEqual([expect.objectContaining({ conversationId: 'D100', topic: 'passphrase-not-configured' })]);
  });
});

describe('posting when Slack is busy', () => {
  it('waits out a 429 with Retry-After and then posts the answer once', async () => {
    const h = await startSlackHarness({ store: createMemoryStore() });
    try {
      h.api.setUser('U1', { locale: 'en-US' });
      h.api.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
      await postEvent(h.url, eventCallback(dmMessage('Error 34506. The encryption passphrase stored on this computer is not correctly configured.')));
      await h.api.waitFor((a) => a.callsTo('chat.postMessage').length >= 2, 10_000);
      await settle(h.api);
      const calls = h.api.callsTo('chat.postMessage');
      // The rate-limited attempt and its retry carry the same message; Slack only accepted the second.
      expect(calls).toHaveLength(2);
      expect(calls[0]!.response).toBeUndefined();
      expect(calls[1]!.args['blocks']).toEqual(calls[0]!.args['blocks']);
      // That one message is the whole turn: the answer, then the follow-up question.
      const [answer, question, ...more] = repliesIn(calls[1]!.args);
      expect(more).toEqual([]);
      expect(answer!.blocks.find((b: any) => b.type === 'header')?.text.text).toMatch(/34506/);
      expect(buttonsOf(question!).some((b) => b.value.includes('"follow-up"'))).toBe(true);
    } finally {
      await h.close();
    }
  });
});
