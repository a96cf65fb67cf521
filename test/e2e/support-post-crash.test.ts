import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORM_INPUT_IDS } from '../../src/replies/render-adaptive-card';
import { createPostgresStore } from '../../src/storage/postgres-store';
import { createSqliteStore } from '../../src/storage/sqlite-store';
import type { Store } from '../../src/storage/store';
import { FakeBotConnector } from '../helpers/fake-bot-connector';
import { startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api';
import { createTestSchema, postgresTestsAvailable, startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { TEST_SIGNING_SECRET } from '../helpers/slack-signing';
import { startMarsbotProcess, type MarsbotProcess } from './support/marsbot-process';
import { waitFor } from './support/wait-for';

/**
 * Tickets are posted to the Teams and the Slack support channel by the outbox. Both platforms
 * answer slowly here (a post is made at once, its answer comes 300 ms later), and marsbot is
 * SIGKILLed twice while posts are in flight, then started again on the same database. Every ticket
 * must reach both channels; how many were posted twice is counted and bounded: none in Slack
 * (marsbot reads the channel back before repeating a post), at most one per crash in Teams (whose
 * Connector cannot be asked, and which gets one post at a time).
 */

const TICKETS = 40;
const CRASHES = 2;
const TEAMS_SUPPORT = '19:support-team@thread.tacv2';
const SLACK_SUPPORT = 'CSUPPORT1';

let connector: FakeBotConnector;
let api: FakeSlackApi;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  api = await startFakeSlackApi();
});
afterAll(async () => {
  await connector.stop();
  await api.close();
});

interface Backend {
  env: Record<string, string>;
  /** The same database the server uses, opened from the test (after the server created its tables). */
  openStore(): Store | Promise<Store>;
}

const TICKET_ID = /MARS-\d+/;

/** Support posts per ticket, as each platform received them. */
function postsPerTicket(): { teams: Map<string, number>; slack: Map<string, number> } {
  const count = (texts: string[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const text of texts) {
      const id = TICKET_ID.exec(text)?.[0];
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };
  return {
    teams: count(connector.messages(TEAMS_SUPPORT).map((m) => JSON.stringify(m.activity))),
    slack: count(api.callsTo('chat.postMessage').filter((c) => c.args['channel'] === SLACK_SUPPORT).map((c) => JSON.stringify(c.args))),
  };
}

const duplicates = (counts: Map<string, number>): number => [...counts.values()].reduce((sum, n) => sum + n - 1, 0);

async function runCrashScenario(backend: Backend, dir: string): Promise<void> {
  connector.clear();
  api.reset();
  const env = {
    ...backend.env,
    SUPPORT_TEAMS_CONVERSATION: JSON.stringify({ serviceUrl: connector.url, channelId: 'msteams', conversation: { id: TEAMS_SUPPORT } }),
    SLACK_BOT_TOKEN: 'xoxb-crash',
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: api.apiUrl,
    SUPPORT_SLACK_CHANNEL: SLACK_SUPPORT,
    // Many tickets from one test client: the caps that stop a flood are not what this test is about.
    TICKETS_PER_ADDRESS_PER_HOUR: '0',
    OUTBOX_POLL_MS: '50',
    OUTBOX_RETRY_BASE_MS: '100',
    OUTBOX_LEASE_MS: '2000',
  };
  let bot: MarsbotProcess = await startMarsbotProcess(env, dir);
  const store = await backend.openStore();
  try {
    // Posts are made at once and confirmed 300 ms later: a crash always finds some unconfirmed.
    connector.answerDelayMs = 300;
    api.slowDown('chat.postMessage', 300);
    const post = (body: Record<string, unknown>) => fetch(`${bot.url}/api/web/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    await Promise.all(
      Array.from({ length: TICKETS }, async (_, n) => {
        const ids = { conversationId: `crash-conversation-${n}`, userId: `crash-user-${n}`, locale: 'en-US' };
        await post({ ...ids, text: 'Error 230006' });
        // The form as the page sends it, with the name and e-mail address a web chat ticket needs.
        const form = { [FORM_INPUT_IDS.description]: `ticket ${n}`, [FORM_INPUT_IDS.urgency]: 'high', [FORM_INPUT_IDS.name]: `Crash ${n}`, [FORM_INPUT_IDS.email]: `crash${n}@example.org` };
        const res = await post({ ...ids, value: { marsbot: { type: 'escalate-submit' }, ...form } });
        expect(res.status).toBe(200);
      }),
    );
    expect((await store.listTickets({ limit: 1000 })).length).toBe(TICKETS);

    for (let crash = 1; crash <= CRASHES; crash++) {
      const before = connector.messages(TEAMS_SUPPORT).length;
      await waitFor('support posts to be going out', () => connector.messages(TEAMS_SUPPORT).length >= before + 3, { details: () => bot.output() });
      await bot.crash();
      bot = await startMarsbotProcess(env, dir);
    }
    await waitFor('the outbox to deliver everything', async () => (await store.countOutboxPending()) === 0, { timeoutMs: 60_000, details: () => bot.output() });

    const { teams, slack } = postsPerTicket();
    const summary = { tickets: TICKETS, crashes: CRASHES, teamsPosted: teams.size, teamsDuplicates: duplicates(teams), slackPosted: slack.size, slackDuplicates: duplicates(slack) };
    console.info(`support post crash test (${backend.env['DATABASE_URL'] ? 'postgresql' : 'sqlite'}): ${JSON.stringify(summary)}`);
    // Nothing lost: every ticket in both support channels.
    expect([teams.size, slack.size]).toEqual([TICKETS, TICKETS]);
    expect(summary.slackDuplicates).toBe(0);
    expect(summary.teamsDuplicates).toBeLessThanOrEqual(CRASHES);
  } finally {
    await bot.stop();
    await store.close();
  }
}

describe('support posts across crashes (SIGKILL) under a slow Bot Connector and Slack', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marsbot-post-crash-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('on SQLite: every ticket posted, none twice in Slack, at most one per crash in Teams', async () => {
    const path = join(dir, 'marsbot.db');
    await runCrashScenario({ env: { SQLITE_PATH: path }, openStore: () => createSqliteStore(path) }, dir);
  });

  const itIfPostgres = postgresTestsAvailable('the support post crash test on PostgreSQL') ? it : it.skip;
  itIfPostgres('on PostgreSQL: the same', async () => {
    const postgres: TestPostgres = await startTestPostgres();
    try {
      const schema = await createTestSchema(postgres.url);
      await runCrashScenario({ env: { DATABASE_URL: schema.url }, openStore: () => createPostgresStore(schema.url) }, dir);
    } finally {
      await postgres.stop();
    }
  });
});
