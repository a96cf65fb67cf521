import type { Reply } from '../../../src/replies/reply';
import { FakeEngine } from '../../helpers/fake-engine';
import { eventCallback, postCommand, postEvent, postInteraction, slackSignature, TEST_SIGNING_SECRET } from '../../helpers/slack-signing';
import { startSlackHarness, visibleText, type SlackHarness } from './slack-harness';

/** A recording engine that answers every event with what it heard. */
const echoEngine = () =>
  new FakeEngine((inbound) => [{ kind: 'notice', lang: 'en', text: [`heard: ${inbound.kind === 'message' ? inbound.text : inbound.kind}`] } satisfies Reply]);

const dm = (text: string) => ({ type: 'message', channel: 'D100', channel_type: 'im', user: 'U1', text, ts: '1700000100.000100', event_ts: '1700000100.000100' });

describe('Slack request verification and acknowledgement', () => {
  let h: SlackHarness;
  let engine: FakeEngine;

  beforeEach(async () => {
    engine = echoEngine();
    h = await startSlackHarness({ engine: () => engine });
  });
  afterEach(() => h.close());

  it('answers a challenge when Slack verifies the request url', async () => {
    const response = await postEvent(h.url, { type: 'url_verification', token: 'x', challenge: 'c-123' });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ challenge: 'c-123' });
  });

  it('refuses a request with a wrong signature with 401 and does nothing else', async () => {
    const response = await postEvent(h.url, eventCallback(dm('hello')), { signature: 'v0=' + '0'.repeat(64) });
    expect(response.status).toBe(401);
    const signedByOther = await postEvent(h.url, eventCallback(dm('hello')), { secret: 'someone-elses-secret' });
    expect(signedByOther.status).toBe(401);
    const unsigned = await postCommand(h.url, { command: '/mars', text: 'hi', user_id: 'U1', channel_id: 'C1' }, { signature: null });
    expect(unsigned.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.api.calls).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  it('refuses a correctly signed request whose timestamp is more than five minutes off', async () => {
    const now = Math.floor(Date.now() / 1000);
    const stale = await postEvent(h.url, eventCallback(dm('hello')), { timestamp: now - 6 * 60 });
    const future = await postEvent(h.url, eventCallback(dm('hello')), { timestamp: now + 6 * 60 });
    expect(stale.status).toBe(401);
    expect(future.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.api.calls).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  it('refuses a body that was changed after signing', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = slackSignature(TEST_SIGNING_SECRET, timestamp, JSON.stringify(eventCallback(dm('hello'))));
    const response = await postEvent(h.url, eventCallback(dm('tampered')), { timestamp, signature });
    expect(response.status).toBe(401);
  });

  it('answers a retried event once, and still says 200 to the retry', async () => {
    // The real engine: it keeps "handled" with the turn, and the retry finds the answer already in the DM.
    const real = await startSlackHarness();
    try {
      const body = eventCallback(dm('0x80070005'), 'EvRETRY1');
      expect((await postEvent(real.url, body)).status).toBe(200);
      expect(real.api.callsTo('chat.postMessage')).toHaveLength(1);
      const retry = await postEvent(real.url, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
      expect(retry.status).toBe(200);
      const again = await postEvent(real.url, body, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } });
      expect(again.status).toBe(200);
      expect(real.api.callsTo('chat.postMessage')).toHaveLength(1);
      // Each retry looked the answer up in the DM rather than posting it blindly.
      expect(real.api.callsTo('conversations.history').map((c) => c.args['channel'])).toEqual(['D100', 'D100']);
    } finally {
      await real.close();
    }
  });

  it('acknowledges an event only once its answer is posted, so a crash before that gets it back from Slack', async () => {
    h.api.slowDown('chat.postMessage', 300);
    const response = await postEvent(h.url, eventCallback(dm('0x80070005')));
    expect(response.status).toBe(200);
    expect(h.api.callsTo('chat.postMessage')).toHaveLength(1);
    expect(engine.calls).toHaveLength(1);
  });

  it("acknowledges within Slack's 3 seconds when the answer takes longer, then posts it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new FakeEngine(async () => {
      await gate;
      return [{ kind: 'notice', lang: 'en', text: ['done thinking'] } satisfies Reply];
    });
    const slowHarness = await startSlackHarness({ engine: () => slow });
    try {
      const response = await postEvent(slowHarness.url, eventCallback(dm('slow question')));
      expect(response.status).toBe(200);
      expect(slowHarness.api.callsTo('chat.postMessage')).toHaveLength(0);
      release();
      await slowHarness.api.waitFor((api) => api.callsTo('chat.postMessage').length === 1);
      expect(visibleText(slowHarness.api.callsTo('chat.postMessage')[0]!.args)).toContain('done thinking');
    } finally {
      release();
      await slowHarness.close();
    }
  });

  it('apologises in the thread when the engine fails', async () => {
    const broken = new FakeEngine(() => {
      throw new Error('knowledge base exploded');
    });
    const brokenHarness = await startSlackHarness({ engine: () => broken });
    try {
      brokenHarness.api.setUser('U1', { locale: 'en-US' });
      await postEvent(brokenHarness.url, eventCallback(dm('help')));
      await brokenHarness.api.waitFor((api) => api.callsTo('chat.postMessage').length === 1);
      const post = brokenHarness.api.callsTo('chat.postMessage')[0]!;
      expect(post.args['channel']).toBe('D100');
      expect(visibleText(post.args)).toContain('Sorry, something went wrong on my side');
      expect(visibleText(post.args)).not.toContain('exploded');
    } finally {
      await brokenHarness.close();
    }
  });

  it('accepts requests on a server without a body parser in front', async () => {
    const bare = await startSlackHarness({ engine: () => echoEngine(), bareServer: true });
    try {
      expect((await postEvent(bare.url, eventCallback(dm('hi')))).status).toBe(200);
      expect((await postEvent(bare.url, eventCallback(dm('hi')), { secret: 'wrong' })).status).toBe(401);
      await bare.api.waitFor((api) => api.callsTo('chat.postMessage').length === 1);
    } finally {
      await bare.close();
    }
  });

  it('posts with the bot token and ignores messages from bots, edits and its own messages', async () => {
    await postEvent(h.url, eventCallback({ ...dm('from a bot'), bot_id: 'B9', subtype: 'bot_message' }));
    await postEvent(h.url, eventCallback({ ...dm('edited'), subtype: 'message_changed' }));
    await postEvent(h.url, eventCallback({ ...dm('real question'), ts: '1700000200.000100' }));
    await h.api.waitFor((api) => api.callsTo('chat.postMessage').length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(engine.calls.map((i) => (i.kind === 'message' ? i.text : i.kind))).toEqual(['real question']);
    expect(h.api.callsTo('chat.postMessage')[0]!.token).toBe('xoxb-test-token');
  });

  it('hands the engine what the user wrote, without the mention, with who and where, and a way to look up their name and locale', async () => {
    h.api.setUser('U2', { name: 'anna', realName: 'Anna de Vries', locale: 'nl-NL' });
    await postEvent(
      h.url,
      eventCallback({ type: 'app_mention', channel: 'C200', user: 'U2', text: '<@UBOT> backup faalt <@UBOT|marsbot> met 0x1FC07', ts: '1700000400.000100' }, 'EvMENTION'),
    );
    await h.api.waitFor((api) => api.callsTo('chat.postMessage').length === 1);
    expect(engine.calls).toEqual([
      {
        channel: 'slack',
        conversationId: 'C200/1700000400.000100',
        userId: 'U2',
        kind: 'message',
        text: 'backup faalt met 0x1FC07',
        lookupUser: expect.any(Function),
        eventId: 'EvMENTION',
        repliesOnReplay: true,
      },
    ]);
    // Who the user is costs a users.info call: made only when the engine asks for it.
    expect(h.api.callsTo('users.info')).toHaveLength(0);
    expect(await engine.calls[0]!.lookupUser!()).toEqual({ name: 'Anna de Vries', locale: 'nl-NL' });
    expect(h.api.callsTo('users.info')).toHaveLength(1);
    expect(h.api.callsTo('chat.postMessage')[0]!.args).toMatchObject({ channel: 'C200', thread_ts: '1700000400.000100' });
  });

  it('ignores clicks whose value is not a marsbot payload', async () => {
    const response = await postInteraction(h.url, {
      type: 'block_actions',
      user: { id: 'U1', name: 'jan' },
      team: { id: 'T1' },
      api_app_id: 'A1',
      container: { type: 'message', channel_id: 'D100', message_ts: '1700000300.000100' },
      channel: { id: 'D100' },
      message: { ts: '1700000300.000100', text: '' },
      trigger_id: 't1',
      actions: [{ type: 'button', action_id: 'marsbot:0', block_id: 'b', value: '{"type":"rm -rf"}', action_ts: '1' }],
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(engine.calls).toEqual([]);
  });
});
