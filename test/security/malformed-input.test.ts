import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { configureLogging } from '../../src/shared/logger';
import { FakeBotConnector, teamsMessage } from '../helpers/fake-bot-connector';
import { FakeEngine } from '../helpers/fake-engine';
import { startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api';
import { eventCallback, TEST_SIGNING_SECRET } from '../helpers/slack-signing';
import { startMarsbot, type RunningMarsbot } from '../helpers/start-marsbot';

/**
 * Bodies an attacker (or a broken client) sends to each endpoint over real HTTP: every one gets a
 * 400 with a short reason — never a 500, never a turn, never a false "store unavailable".
 */

class LogCapture extends Writable {
  readonly records: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.records.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
  messages(): string[] {
    return this.records.map((r) => String(r['msg']));
  }
}

const DEEP = 100_000;
const deepArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** "Fout" with a lone continuation byte and a truncated two-byte sequence: not UTF-8. */
const NOT_UTF8 = Buffer.concat([Buffer.from('{"text":"Fout '), Buffer.from([0x80, 0xc3]), Buffer.from('"}')]);

let connector: FakeBotConnector;
let slackApi: FakeSlackApi;
let engine: FakeEngine;
let bot: RunningMarsbot;
let logs: LogCapture;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  slackApi = await startFakeSlackApi();
});
afterAll(async () => {
  await connector.stop();
  await slackApi.close();
  configureLogging({ level: 'silent' });
});
beforeEach(async () => {
  logs = new LogCapture();
  configureLogging({ level: 'info', destination: logs });
  bot = await startMarsbot({
    // The real engine and store behind a recorder: a turn that ran would show here and in the store's health.
    engine: (real) => (engine = new FakeEngine((inbound) => real.handle(inbound))),
    env: { LOG_LEVEL: 'info', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: slackApi.apiUrl },
  });
});
afterEach(async () => {
  await bot.stop();
});

async function postRaw(path: string, body: string | Buffer, contentType = 'application/json', headers: Record<string, string> = {}): Promise<{ status: number; error: string }> {
  const res = await fetch(`${bot.url}${path}`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await res.text();
  let error = '';
  try {
    const body = JSON.parse(text) as { error?: unknown };
    error = typeof body.error === 'string' ? body.error : '';
  } catch {
    error = text;
  }
  return { status: res.status, error };
}

/** Signed with the app's signing secret over the exact bytes: Slack's signature is valid, the body is not. */
function signedSlack(body: string | Buffer, contentType = 'application/json'): Promise<{ status: number; error: string }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const signature = `v0=${createHmac('sha256', TEST_SIGNING_SECRET).update(Buffer.concat([Buffer.from(`v0:${timestamp}:`), bytes])).digest('hex')}`;
  return postRaw('/slack/events', bytes, contentType, { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) });
}

function expectNothingHappened(): void {
  expect(engine.calls).toHaveLength(0);
  expect(connector.posted).toHaveLength(0);
  expect(slackApi.callsTo('chat.postMessage')).toHaveLength(0);
  const errors = logs.records.filter((r) => Number(r['level']) >= 50);
  expect(errors.map((r) => r['msg'])).toEqual([]);
}

describe('malformed bodies get 400 with a reason, on every endpoint', () => {
  it('a Teams activity whose type is missing, not a string or empty', async () => {
    const activity = teamsMessage({ serviceUrl: connector.url, text: 'fout 34513' });
    for (const type of [undefined, 42, '', null, ['message']]) {
      const res = await postRaw('/api/messages', JSON.stringify({ ...activity, type }));
      expect(res).toEqual({ status: 400, error: expect.stringMatching(/^not a Bot Framework activity \(type: /) });
    }
    expectNothingHappened();
  });

  it('a Teams activity whose from, conversation or serviceUrl is not what an activity has', async () => {
    const activity = teamsMessage({ serviceUrl: connector.url, text: 'fout 34513' });
    const broken = [
      { ...activity, from: 'Mallory' },
      { ...activity, from: { name: 'no id' } },
      { ...activity, conversation: null },
      { ...activity, serviceUrl: 7 },
      { ...activity, entities: { type: 'mention' } },
    ];
    for (const body of broken) expect((await postRaw('/api/messages', JSON.stringify(body))).status).toBe(400);
    expectNothingHappened();
  });

  it('a body that is not valid UTF-8 (Teams, web chat, signed Slack)', async () => {
    expect(await postRaw('/api/messages', NOT_UTF8)).toEqual({ status: 400, error: 'body is not valid UTF-8' });
    expect(await postRaw('/api/web/messages', NOT_UTF8)).toEqual({ status: 400, error: 'body is not valid UTF-8' });
    expect(await signedSlack(NOT_UTF8)).toEqual({ status: 400, error: 'body is not valid UTF-8' });
    expectNothingHappened();
  });

  it('JSON nested 100,000 deep, as arrays and as objects (Teams, web chat, signed Slack)', async () => {
    for (const body of [deepArray(DEEP), deepObject(DEEP)]) {
      expect(await postRaw('/api/messages', body)).toEqual({ status: 400, error: 'JSON nested deeper than 64 levels' });
      expect(await postRaw('/api/web/messages', body)).toEqual({ status: 400, error: 'JSON nested deeper than 64 levels' });
      expect(await signedSlack(body)).toEqual({ status: 400, error: 'JSON nested deeper than 64 levels' });
    }
    // Inside a Slack interactivity form, where the JSON is a form field (20,000 deep: 100,000 would pass 1 MB once URL-encoded).
    expect(await signedSlack(`payload=${encodeURIComponent(deepObject(20_000))}`, 'application/x-www-form-urlencoded')).toEqual({ status: 400, error: 'JSON nested deeper than 64 levels' });
    expectNothingHappened();
  });

  it('a Teams activity with a 20,000-deep from: refused at the door, so the store is never blamed', async () => {
    const activity = teamsMessage({ serviceUrl: connector.url, text: 'fout 34513' });
    const body = JSON.stringify({ ...activity, from: 'FROM' }).replace('"FROM"', deepObject(20_000));
    expect(await postRaw('/api/messages', body)).toEqual({ status: 400, error: 'JSON nested deeper than 64 levels' });
    expectNothingHappened();
    expect(logs.messages()).not.toContain('store unavailable');
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
  });

  it('a signed Slack body that is null, a list, or an event without a type', async () => {
    expect(await signedSlack('null')).toEqual({ status: 400, error: 'not a Slack request body' });
    expect(await signedSlack('[1,2]')).toEqual({ status: 400, error: 'not a Slack request body' });
    expect(await signedSlack('payload=null', 'application/x-www-form-urlencoded')).toEqual({ status: 400, error: 'not a Slack request body' });
    const noType = eventCallback({ channel: 'D100', channel_type: 'im', user: 'U1', text: 'fout 34513', ts: '1700000100.000100' });
    expect(await signedSlack(JSON.stringify(noType))).toEqual({ status: 400, error: expect.stringMatching(/^event\.type: /) });
    expect(await signedSlack(JSON.stringify({ ...noType, event: null }))).toEqual({ status: 400, error: expect.stringMatching(/^event: /) });
    const click = { type: 'block_actions', user: null, actions: [{ action_id: 'marsbot:x' }] };
    expect(await signedSlack(`payload=${encodeURIComponent(JSON.stringify(click))}`, 'application/x-www-form-urlencoded')).toEqual({ status: 400, error: expect.stringMatching(/^user: /) });
    expectNothingHappened();
  });

  it('still takes what is well-formed: the same endpoints answer a real message', async () => {
    expect((await postRaw('/api/messages', JSON.stringify(teamsMessage({ serviceUrl: connector.url, text: 'fout 34513' })))).status).toBe(200);
    expect(connector.messages()).toHaveLength(1);
    const dm = eventCallback({ type: 'message', channel: 'D100', channel_type: 'im', user: 'U1', text: 'fout 34513', ts: '1700000100.000100' });
    expect((await signedSlack(JSON.stringify(dm))).status).toBe(200);
    await slackApi.waitFor((api) => api.callsTo('chat.postMessage').length === 1);
    expect(engine.calls).toHaveLength(2);
  });
});
