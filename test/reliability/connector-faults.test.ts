import { Writable } from 'node:stream';
import { configureLogging } from '../../src/shared/logger';
import { teamsMessage } from '../helpers/fake-bot-connector';
import { FakeEngine } from '../helpers/fake-engine';
import { startHardenedMarsbot, type HardenedMarsbot } from '../security/hardened-marsbot';
import { FlakyConnector } from './flaky-connector';

/**
 * The Bot Connector is a remote service: it answers 503 now and then, and sometimes not at all.
 * Replies still arrive once, failures are logged in words an operator understands, and the
 * process keeps serving.
 */

const answer = { kind: 'answer' as const, lang: 'en' as const, title: 'Check the proxy', steps: ['Open the proxy settings'] };

let connector: FlakyConnector;
let bot: HardenedMarsbot;
let engine: FakeEngine;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  connector = await new FlakyConnector().start();
  configureLogging({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  });
  engine = new FakeEngine([answer]);
  // Room for botbuilder's retries (about 1 + 2 + 4 s with jitter) inside one reply's deadline.
  bot = await startHardenedMarsbot({ engine: () => engine, replyTimeoutMs: 20_000 });
});
afterAll(async () => {
  await bot.stop();
  await connector.stop();
  configureLogging({ level: 'silent' });
});
beforeEach(() => {
  connector.reset();
  logLines.length = 0;
});

function cardsAccepted(): unknown[] {
  return connector.accepted().flatMap((a) => (a.attachments ?? []).map((x) => x.content));
}

describe('replies to a misbehaving Bot Connector', () => {
  it('503 twice, then 200: the reply is retried with backoff and arrives exactly once', async () => {
    connector.plan(503, 503, 200);
    const res = await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'proxy?' }));
    expect(res.status).toBe(200);
    expect(connector.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(cardsAccepted()).toHaveLength(1);
    expect(logLines.filter((l) => (l['level'] as number) >= 50)).toEqual([]);
  });

  it('503 every time: the turn gives up after the retries with a clear log line, and the next turn works again', async () => {
    connector.plan(...Array<number>(8).fill(503));
    const res = await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'proxy?' }));
    expect(res.status).toBeLessThan(500);
    // The answer (1 + 3 retries), then the apology (1 + 3 retries): nothing got through.
    expect(connector.attempts).toHaveLength(8);
    expect(cardsAccepted()).toHaveLength(0);
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'reply to Teams failed', err: expect.objectContaining({ statusCode: 503 }) }));

    connector.reset();
    expect((await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'proxy?' }))).status).toBe(200);
    expect(cardsAccepted()).toHaveLength(1);
  }, 40_000);

  it('no answer at all: the reply is given up after the timeout and not sent twice; the bot keeps serving', async () => {
    const impatient = await startHardenedMarsbot({ engine: () => engine, replyTimeoutMs: 1_000 });
    try {
      connector.plan('hang', 'hang');
      const res = await impatient.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'proxy?' }));
      expect(res.status).toBeLessThan(500);
      // The answer once (no retry: the Connector may have posted it), then the apology once.
      expect(connector.attempts.map((a) => a.status)).toEqual(['hang', 'hang']);
      expect(logLines).toContainEqual(
        expect.objectContaining({ msg: 'reply to Teams timed out; not retried', err: expect.objectContaining({ name: 'ReplyTimeoutError' }) }),
      );
      expect((await fetch(`${impatient.url}/healthz`)).status).toBe(200);

      connector.release();
      connector.reset();
      expect((await impatient.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'proxy?' }))).status).toBe(200);
      expect(cardsAccepted()).toHaveLength(1);
    } finally {
      await impatient.stop();
    }
  });
});
