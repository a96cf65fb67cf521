import type { Reply } from '../../../src/replies/reply';
import type { Ticket } from '../../../src/storage/store';
import { buildSupportSummary } from '../../../src/support/ticket-replies';
import { FakeSlackEngine } from '../../helpers/fake-slack-engine';
import { buttonsOf, startSlackHarness, visibleText, type SlackHarness } from './slack-harness';

/** The support desk's way into Slack, outside any user turn. */

const ticket: Ticket = {
  id: 'MARS-1001',
  number: 1001,
  status: 'open',
  createdAt: Date.UTC(2025, 0, 6),
  updatedAt: Date.UTC(2025, 0, 6),
  idempotencyKey: 'slack:D100:1',
  channel: 'slack',
  conversationId: 'D100',
  userId: 'U1',
  userName: 'jan',
  lang: 'nl',
  topic: 'invalid-vault-credentials',
  case: null,
  errorIds: ['34513'],
  stepsShown: [],
  followUpAnswers: [],
  feedback: [],
  description: 'Registratie mislukt <!channel>',
  urgency: 'high',
  transcript: [],
};

const update: Reply[] = [{ kind: 'notice', lang: 'nl', text: ['Je ticket MARS-1001 is opgepakt door sanne.'] }];

describe('Slack notifier', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness({ engine: new FakeSlackEngine(), supportChannel: 'CSUPPORT' });
  });
  afterEach(() => h.close());

  it('posts a ticket update into the thread the ticket came from', async () => {
    await h.channel.notifier.notifyThread('C200/1700000500.000100', update);
    const [post] = h.api.callsTo('chat.postMessage');
    expect(post!.args).toMatchObject({ channel: 'C200', thread_ts: '1700000500.000100' });
    expect(visibleText(post!.args)).toContain('opgepakt door sanne');
  });

  it('tells a /mars user privately, as their conversation was private', async () => {
    await h.channel.notifier.notifyThread('C300@U3', update);
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.api.callsTo('chat.postEphemeral')[0]!.args).toMatchObject({ channel: 'C300', user: 'U3' });
  });

  it('fails loudly on what it cannot deliver, so the outbox tries again', async () => {
    await expect(h.channel.notifier.notifyThread('not a slack id', update)).rejects.toThrow();
    h.api.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(h.channel.notifier.notifyThread('C999', update)).rejects.toThrow(/channel_not_found/);
  });

  it('posts the ticket summary to the support channel with Claim and Resolve, escaping what the user wrote', async () => {
    await h.channel.notifier.postToSupport(ticket, buildSupportSummary(ticket));
    const [post] = h.api.callsTo('chat.postMessage');
    expect(post!.args['channel']).toBe('CSUPPORT');
    const labels = buttonsOf(post!.args).map((b) => JSON.parse(b.value).type);
    expect(labels).toEqual(['ticket-claim', 'ticket-resolve']);
    expect(visibleText(post!.args)).toContain('MARS-1001');
    expect(visibleText(post!.args)).not.toContain('<!channel>');
  });

  it('adds Claim and Resolve when the summary it is given has none', async () => {
    await h.channel.notifier.postToSupport(ticket, []);
    const [post] = h.api.callsTo('chat.postMessage');
    expect(buttonsOf(post!.args).map((b) => b.label)).toEqual(['Oppakken', 'Opgelost']);
    expect(visibleText(post!.args)).toContain('Nieuw supportticket MARS-1001');
  });

  it('posts nothing to support when no support channel is configured', async () => {
    const quiet = await startSlackHarness({ engine: new FakeSlackEngine() });
    try {
      await quiet.channel.notifier.postToSupport(ticket, buildSupportSummary(ticket));
      expect(quiet.api.calls).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
