import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api';
import { eventCallback, postEvent, TEST_SIGNING_SECRET } from '../helpers/slack-signing';
import { startMarsbotProcess, type MarsbotProcess } from './support/marsbot-process';
import { waitFor } from './support/wait-for';

/**
 * marsbot is SIGKILLed while Slack events are being answered, and started again on the same SQLite
 * file. Slack redelivers every event it did not get a 200 for (X-Slack-Retry-Num), as it does for
 * real: afterwards every event has been answered exactly once — none lost, none twice.
 *
 * Slack's Web API answers slowly here (the post is made at once, the answer comes later), so the
 * crash cuts off turns at every stage: running, saved but not yet posted, posted but not confirmed.
 */

const ROUNDS = 3;
const EVENTS_PER_ROUND = 40;
const MAX_REDELIVERIES = 5;

let api: FakeSlackApi;
let dir: string;
let bot: MarsbotProcess | undefined;

beforeAll(async () => {
  api = await startFakeSlackApi();
  api.setUser('U1', { name: 'jan', realName: 'Jan de Boer', locale: 'en-US' });
});
afterAll(async () => {
  await api.close();
});
beforeEach(() => {
  api.reset();
  dir = mkdtempSync(join(tmpdir(), 'marsbot-slack-crash-'));
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<MarsbotProcess> {
  bot = await startMarsbotProcess(
    { SQLITE_PATH: join(dir, 'marsbot.db'), SLACK_BOT_TOKEN: 'xoxb-crash', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: api.apiUrl },
    dir,
  );
  return bot;
}

interface SlackEvent {
  channel: string;
  body: Record<string, unknown>;
  acked: boolean;
  deliveries: number;
}

/** One DM per event, so the answers to each can be counted in its own channel. */
function makeEvents(round: number): SlackEvent[] {
  return Array.from({ length: EVENTS_PER_ROUND }, (_, i) => {
    const channel = `D${round}${String(i).padStart(3, '0')}`;
    const ts = `17000${round}${String(i).padStart(4, '0')}.000100`;
    const body = eventCallback({ type: 'message', channel, channel_type: 'im', user: 'U1', text: 'Error 230006', ts, event_ts: ts }, `Ev${channel}`);
    return { channel, body, acked: false, deliveries: 0 };
  });
}

/** What Slack does: deliver, and count as delivered only a 200 (a cut connection is no answer). */
async function deliver(event: SlackEvent): Promise<void> {
  const retry = event.deliveries > 0 ? { headers: { 'x-slack-retry-num': String(event.deliveries), 'x-slack-retry-reason': 'http_error' } } : {};
  event.deliveries += 1;
  try {
    event.acked = (await postEvent(`${bot!.url}/slack/events`, event.body, retry)).status === 200;
  } catch {
    event.acked = false;
  }
}

const answersIn = (channel: string): number => api.callsTo('chat.postMessage').filter((c) => c.args['channel'] === channel).length;

describe('Slack events survive a crash (SIGKILL) and Slack’s redelivery', () => {
  it('answers every event exactly once', async () => {
    api.slowDown('chat.postMessage', 150);
    const all: SlackEvent[] = [];
    await start();
    for (let round = 0; round < ROUNDS; round++) {
      const events = makeEvents(round);
      all.push(...events);
      const inFlight = events.map((event) => deliver(event));
      // Crash once some events of this round are acknowledged and most are not: a later moment each round.
      await waitFor('some events to be acknowledged', () => events.filter((e) => e.acked).length >= 3 + round * 8);
      await bot!.crash();
      await Promise.all(inFlight);
      await start();
      for (let redelivery = 0; redelivery < MAX_REDELIVERIES && events.some((e) => !e.acked); redelivery++) {
        await Promise.all(events.filter((e) => !e.acked).map((event) => deliver(event)));
      }
    }

    const counts = all.map((event) => answersIn(event.channel));
    const summary = {
      events: all.length,
      redelivered: all.filter((e) => e.deliveries > 1).length,
      answeredOnce: counts.filter((n) => n === 1).length,
      answeredTwiceOrMore: counts.filter((n) => n > 1).length,
      neverAnswered: counts.filter((n) => n === 0).length,
    };
    console.info(`slack crash test: ${JSON.stringify(summary)}`);
    expect(all.every((e) => e.acked)).toBe(true);
    // Redeliveries happened (the crashes cut events off), and none of them cost or doubled an answer.
    expect(summary.redelivered).toBeGreaterThan(0);
    expect(summary).toEqual({ ...summary, answeredOnce: all.length, answeredTwiceOrMore: 0, neverAnswered: 0 });
  });
});
