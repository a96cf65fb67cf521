import { createMemoryStore } from '../../src/storage/memory-store';
import { FakeEngine } from '../helpers/fake-engine';
import { realKnowledge, startMarsbot, type RunningMarsbot } from '../helpers/start-marsbot';

describe('HTTP server', () => {
  let bot: RunningMarsbot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('reports alive on /healthz and ready on /readyz when the store answers and topics are loaded', async () => {
    bot = await startMarsbot({ engine: () => new FakeEngine() });
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { store: 'ok', knowledge: 'ok' },
      // Tickets are still registered without a support channel: said in the details, not a reason for 503.
      details: { supportChannel: expect.stringMatching(/^none set: tickets are stored \(marsbot tickets list\) but nobody is notified; set SUPPORT_TEAMS_CONVERSATION or SUPPORT_SLACK_CHANNEL/) },
    });
  });

  it('names the support channels in /readyz once there are', async () => {
    bot = await startMarsbot({
      engine: () => new FakeEngine(),
      env: { SUPPORT_TEAMS_CONVERSATION: JSON.stringify({ serviceUrl: 'https://smba.trafficmanager.net/emea/', channelId: 'msteams', conversation: { id: '19:support@thread.tacv2' } }) },
    });
    expect(await (await fetch(`${bot.url}/readyz`)).json()).toMatchObject({ status: 'ready', details: { supportChannel: 'teams' } });
  });

  it('serves /favicon.ico', async () => {
    bot = await startMarsbot({ engine: () => new FakeEngine() });
    const icon = await fetch(`${bot.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/x-icon');
    const bytes = Buffer.from(await icon.arrayBuffer());
    // An ICO directory with one image.
    expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 1, 0, 1, 0]);
  });

  it('reports not ready (503) when the store does not answer or no knowledge is loaded', async () => {
    const store = createMemoryStore();
    store.ping = async () => {
      throw new Error('connection refused');
    };
    bot = await startMarsbot({ engine: () => new FakeEngine(), store, knowledge: { ...realKnowledge(), topics: [] } });
    const res = await fetch(`${bot.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not ready', checks: { store: 'unavailable: connection refused', knowledge: 'no topics loaded' } });
  });

  it('refuses request bodies over 1 MB with 413, before any channel sees them', async () => {
    const engine = new FakeEngine();
    bot = await startMarsbot({ engine: () => engine });
    const huge = JSON.stringify({ conversationId: 'conversation-1', userId: 'user-0001', text: 'x'.repeat(1024 * 1024 + 10) });
    for (const path of ['/api/web/messages', '/api/messages']) {
      const res = await fetch(`${bot.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: huge });
      expect(res.status).toBe(413);
    }
    expect(engine.calls).toHaveLength(0);
  });

  it('serves the web chat page with a strict content security policy, and the card renderer from node_modules', async () => {
    bot = await startMarsbot({ engine: () => new FakeEngine() });
    const page = await fetch(`${bot.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('Plak een foutmelding');
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);

    const script = await fetch(`${bot.url}/static/adaptivecards.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${bot.url}/static/web-chat.js`)).status).toBe(200);
    expect((await fetch(`${bot.url}/static/..%2Fcreate-web-chat.ts`)).status).toBe(404);
  });

  it('answers web chat messages with rendered cards, and rejects malformed requests with 400', async () => {
    const engine = new FakeEngine([{ kind: 'answer', lang: 'en', title: 'Proxy', steps: ['Open settings'] }]);
    bot = await startMarsbot({ engine: () => engine });
    const post = (body: unknown) =>
      fetch(`${bot!.url}/api/web/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    const ok = await post({ conversationId: 'conversation-1', userId: 'user-0001', text: 'proxy?', locale: 'en-US' });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { replies: { kind: string; card: { type: string } }[] };
    expect(body.replies.map((r) => [r.kind, r.card.type])).toEqual([['answer', 'AdaptiveCard']]);
    expect(engine.calls).toEqual([expect.objectContaining({ channel: 'web', conversationId: 'conversation-1', userId: 'user-0001', text: 'proxy?' })]);

    expect((await post({ conversationId: '../../etc', userId: 'user-0001', text: 'x' })).status).toBe(400);
    expect((await post({ conversationId: 'conversation-1', userId: 'user-0001', value: { marsbot: { type: 'rm -rf' } } })).status).toBe(400);
    expect(engine.calls).toHaveLength(1);
  });

  it('mounts the Slack endpoints only when Slack is configured', async () => {
    bot = await startMarsbot({ engine: () => new FakeEngine() });
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    await bot.stop();

    // Configured for HTTP: every path is there, and the receiver turns an unsigned request away.
    bot = await startMarsbot({ engine: () => new FakeEngine(), env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-signing-secret' } });
    for (const path of ['/slack/events', '/slack/interactions', '/slack/commands']) {
      expect((await fetch(`${bot.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    }
  });
});
