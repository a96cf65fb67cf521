import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api';
import { eventCallback } from '../../helpers/slack-signing';
import { startFakeSocketModeServer, type FakeSocketModeServer } from './fake-socket-mode-server';
import { settle, startSlackHarness, visibleText } from './slack-harness';
import { dmMessage, slashCommand } from './slack-payloads';

/** Socket Mode: the app dials out (apps.connections.open, then a websocket) and gets the same events. */
describe('Slack over Socket Mode', () => {
  let api: FakeSlackApi;
  let socket: FakeSocketModeServer;

  beforeEach(async () => {
    api = await startFakeSlackApi();
    socket = await startFakeSocketModeServer();
    api.setSocketUrl(socket.url);
    api.setUser('U1', { locale: 'en-US' });
  });
  afterEach(async () => {
    await settle(api);
    await socket.close();
    await api.close();
  });

  it('connects with the app token and answers a DM that arrives over the socket, acking the envelope', async () => {
    const h = await startSlackHarness({ api, env: { SLACK_APP_TOKEN: 'xapp-test-token' } });
    try {
      // What index.ts starts after listening: the outbox, and Socket Mode because an app token is set.
      await h.marsbot.startBackground();
      await socket.connected();
      expect(api.callsTo('apps.connections.open')[0]!.token).toBe('xapp-test-token');

      socket.send({
        envelope_id: 'env-1',
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: '',
        payload: eventCallback(dmMessage('Error 34506. The encryption passphrase stored on this computer is not correctly configured.')),
      });
      await socket.waitForAck('env-1');
      await api.waitFor((a) => a.callsTo('chat.postMessage').length >= 1);
      const post = api.callsTo('chat.postMessage')[0]!;
      expect(post.args['channel']).toBe('D100');
      expect(visibleText(post.args)).toMatch(/34506/);

      socket.send({ envelope_id: 'env-2', type: 'slash_commands', accepts_response_payload: true, payload: slashCommand('0x80070005', { user: 'U1', responseUrl: api.responseUrl('sm-cmd') }) });
      await socket.waitForAck('env-2');
      await api.waitFor((a) => a.responsePosts.some((p) => p.id === 'sm-cmd'));
    } finally {
      await h.close();
    }
  });

  it('refuses to start Socket Mode without an app token', async () => {
    const h = await startSlackHarness({ api });
    try {
      await expect(h.channel.startSocketMode()).rejects.toThrow(/SLACK_APP_TOKEN/);
      expect(api.calls).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
