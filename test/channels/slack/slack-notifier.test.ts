import type { Reply } from '../../../src/replies/reply';
import type { Ticket } from '../../../src/storage/store';
import { buildSupportSummary } from '../../../src/support/ticket-replies';
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
    h = await startSlackHarness({ supportChannel: 'CSUPPORT' });
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

  it('posts the ticket summary as a new post in a channel, with Claim and Resolve, escaping what the user wrote', async () => {
    await h.channel.notifier.postToChannel({ channel: 'CSUPPORT' }, buildSupportSummary(ticket, 'nl'));
    const [post] = h.api.callsTo('chat.postMessage');
    expect(post!.args['channel']).toBe('CSUPPORT');
    expect(post!.args['thread_ts']).toBeUndefined();
    const labels = buttonsOf(post!.args).map((b) => (JSON.parse(b.value) as { type: string }).type);
    expect(labels).toEqual(['ticket-claim', 'ticket-resolve']);
    expect(visibleText(post!.args)).toContain('MARS-1001');
    expect(visibleText(post!.args)).not.toContain('<!channel>');
  });

  it('repeats a post whose first attempt went unconfirmed only when the support channel does not have it', async () => {
    const summary = buildSupportSummary(ticket, 'nl');
    const since = Date.now();
    const first = await h.channel.notifier.postToChannel({ channel: 'CSUPPORT' }, summary, { key: 'outbox:7' });
    expect(h.api.callsTo('chat.postMessage')[0]!.args['metadata']).toEqual({ event_type: 'marsbot_delivery', event_payload: { key: 'outbox:7#0' } });
    // The outbox never heard back (a crash): the next attempt finds the post and returns its ts.
    const again = await h.channel.notifier.postToChannel({ channel: 'CSUPPORT' }, summary, { key: 'outbox:7', unconfirmedSince: since });
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.api.callsTo('conversations.history')[0]!.args).toMatchObject({ channel: 'CSUPPORT', include_all_metadata: 'true' });
    expect(again).toBeUndefined();
    expect(first).toBe(h.api.callsTo('chat.postMessage')[0]!.response!['ts']);
    // An unconfirmed attempt that never reached Slack: posted now.
    await h.channel.notifier.postToChannel({ channel: 'CSUPPORT' }, summary, { key: 'outbox:8', unconfirmedSince: since });
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('posts anyway, and says so, when the channel cannot be read back (a history scope not granted)', async () => {
    const summary = buildSupportSummary(ticket, 'nl');
    await h.channel.notifier.postToChannel({ channel: 'CSUPPORT' }, summary, { key: 'outbox:9' });
    h.api.failNext('conversations.history', { error: 'missing_scope' });
    await h.channel.notifier.postToChannel({ channel: 'CSUPPORT' }, summary, { key: 'outbox:9', unconfirmedSince: Date.now() - 1000 });
    // At least once: a support post is never dropped because Slack would not show the channel.
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('names the channel of an address the way clicks from it name it, and refuses anything else', async () => {
    expect(h.channel.notifier.placeOf({ channel: 'CSUPPORT' })).toBe('CSUPPORT');
    expect(h.channel.notifier.placeOf({ channel: '<!channel>' })).toBeUndefined();
    expect(h.channel.notifier.placeOf('CSUPPORT')).toBeUndefined();
    await expect(h.channel.notifier.postToChannel({ conversation: { id: '19:x' } }, buildSupportSummary(ticket, 'nl'))).rejects.toThrow();
    expect(h.api.calls).toEqual([]);
  });

  it('knows the configured support channel (SUPPORT_SLACK_CHANNEL)', async () => {
    expect(await h.marsbot.supportChannels.get('slack')).toMatchObject({ channel: 'slack', place: 'CSUPPORT', address: { channel: 'CSUPPORT' } });
    const quiet = await startSlackHarness();
    try {
      expect(await quiet.marsbot.supportChannels.get('slack')).toBeUndefined();
    } finally {
      await quiet.close();
    }
  });
});
