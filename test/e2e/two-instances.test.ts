import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore } from '../../src/storage/postgres-store';
import type { Store, Ticket } from '../../src/storage/store';
import { FakeBotConnector, USER } from '../helpers/fake-bot-connector';
import { startFakeSlackApi, type FakeSlackApi } from '../helpers/fake-slack-api';
import { createTestSchema, postgresTestsAvailable, startTestPostgres, type TestPostgres, type TestSchema } from '../helpers/postgres';
import { runCli, startMarsbotProcess, type MarsbotProcess } from './support/marsbot-process';
import { findButton, postedMessages, SlackWorkspace, TEST_SIGNING_SECRET } from './support/slack-workspace';
import { ESCALATION_FORM, ERROR_WITH_STEPS, reachEscalationForm, ticketIdIn } from './support/teams-escalation';
import { TeamsConversation } from './support/teams-conversation';
import { waitFor } from './support/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

/**
 * Two marsbot processes behind one load balancer, on one PostgreSQL database. Platforms retry and
 * load balancers spread retries, so the same escalation submit reaches both instances at the same
 * moment: there must be one ticket, one confirmation, one support post and one ticket.created.
 */

const describeIfPostgres = postgresTestsAvailable('the two-instance end-to-end tests') ? describe : describe.skip;

const SECRET = 'e2e-webhook-secret-two-instances';
const SLACK_SUPPORT = 'CSUPPORT';
const TEAMS_SUPPORT = '19:support-team@thread.tacv2';

describeIfPostgres('two instances on one PostgreSQL database', () => {
  let postgres: TestPostgres;
  let schema: TestSchema;
  let connector: FakeBotConnector;
  let api: FakeSlackApi;
  let receiver: WebhookReceiver;
  let dir: string;
  let env: Record<string, string>;
  let a: MarsbotProcess;
  let b: MarsbotProcess;
  let store: Store;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    schema = await createTestSchema(postgres.url);
    connector = await new FakeBotConnector().start();
    api = await startFakeSlackApi();
    api.setUser('U1', { name: 'jan', realName: 'Jan de Boer', locale: 'en-US' });
    receiver = await startWebhookReceiver(SECRET);
    dir = mkdtempSync(join(tmpdir(), 'marsbot-two-e2e-'));
    env = {
      DATABASE_URL: schema.url,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-e2e-token',
      SLACK_API_URL: api.apiUrl,
      SUPPORT_SLACK_CHANNEL: SLACK_SUPPORT,
      SUPPORT_ADMINS: USER.aadObjectId,
      ESCALATION_WEBHOOK_URL: receiver.url,
      ESCALATION_WEBHOOK_SECRET: SECRET,
      OUTBOX_POLL_MS: '50',
      OUTBOX_RETRY_BASE_MS: '100',
      // A delivery that takes long on a loaded machine is not tried again: what is counted here is
      // whether two instances both send, not how a receiver's slowness is retried.
      ESCALATION_WEBHOOK_TIMEOUT_MS: '60000',
      OUTBOX_LEASE_MS: '180000',
      // The instance that sees a replay says so at debug level; the Slack test waits for that line.
      LOG_LEVEL: 'debug',
    };
    // Both boot at once, as a deployment would start them: the schema migration must not race.
    [a, b] = await Promise.all([startMarsbotProcess(env, dir), startMarsbotProcess(env, dir)]);
    store = await createPostgresStore(schema.url);
    // Set through instance B; instance A reads it from the shared database.
    await new TeamsConversation(connector, () => b.url, { conversationId: `${TEAMS_SUPPORT};messageid=1700000000700`, conversationType: 'channel' }).send({
      text: 'set support channel',
      mentionBot: true,
    });
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await receiver?.close();
    await api?.close();
    await connector?.stop();
    await schema?.drop();
    await postgres?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function tickets(): Ticket[] {
    return JSON.parse(runCli(['tickets', 'export', '--format', 'json'], env, dir)) as Ticket[];
  }

  /** Nothing left to deliver on either instance: every count below is final. */
  async function outboxDrained(): Promise<void> {
    await waitFor('both instances to have delivered everything', async () => (await store.countOutboxPending()) === 0, {
      details: () => `instance A:\n${a.output().slice(-3000)}\ninstance B:\n${b.output().slice(-3000)}`,
    });
  }

  function ticketCreatedAccepted(ticketId: string): number[] {
    const ids = new Set(receiver.received.filter((r) => r.event === 'ticket.created' && r.body.ticket.id === ticketId).map((r) => r.deliveryId));
    return [...receiver.acceptedPerDelivery('ticket.created')].filter(([id]) => ids.has(id)).map(([, count]) => count);
  }

  /** New posts about a ticket in the Teams support channel (the ticket card carries its id in the Claim button). */
  function teamsSupportPosts(ticketId: string): unknown[] {
    return connector.messages(TEAMS_SUPPORT).filter((m) => JSON.stringify(m.activity).includes(`"ticket":"${ticketId}"`));
  }

  it('Teams: the same card submit (same activity id) at both instances at once makes one ticket', async () => {
    const user = new TeamsConversation(connector, () => a.url, { conversationId: 'a:two-instances-same-activity' });
    const submit = await reachEscalationForm(user);
    const activity = user.activity({ value: { ...(submit.data as object), ...ESCALATION_FORM } });
    const before = user.messages().length;

    const post = (url: string) =>
      fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) }).then((r) => r.status);
    // Each answers once its turn is done, so both turns are over when both have answered.
    expect(await Promise.all([post(a.url), post(b.url)])).toEqual([200, 200]);

    const answers = user.messages().slice(before);
    expect(answers).toHaveLength(1);
    const ticketId = ticketIdIn(answers.map((m) => JSON.stringify(m.activity)));
    expect(tickets().filter((t) => t.conversationId === user.id).map((t) => t.id)).toEqual([ticketId]);

    await outboxDrained();
    expect(ticketCreatedAccepted(ticketId)).toEqual([1]);
    expect(teamsSupportPosts(ticketId)).toHaveLength(1);
  });

  it('Teams: a double-clicked Submit (two activities) reaching both instances at once still makes one ticket', async () => {
    const user = new TeamsConversation(connector, () => a.url, { conversationId: 'a:two-instances-double-click' });
    const submit = await reachEscalationForm(user);
    const before = user.messages().length;
    const first = user.activity({ value: { ...(submit.data as object), ...ESCALATION_FORM } });
    const second = user.activity({ value: { ...(submit.data as object), ...ESCALATION_FORM } });
    const post = (url: string, activity: object) =>
      fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) }).then((r) => r.status);
    expect(await Promise.all([post(a.url, first), post(b.url, second)])).toEqual([200, 200]);

    // Both turns ran (different activities); both confirmations name the one ticket.
    const answers = user.messages().slice(before).map((m) => JSON.stringify(m.activity));
    expect(answers).toHaveLength(2);
    const ticketId = ticketIdIn(answers);
    expect(answers.every((text) => text.includes(ticketId))).toBe(true);
    expect(tickets().filter((t) => t.conversationId === user.id).map((t) => t.id)).toEqual([ticketId]);

    await outboxDrained();
    expect(ticketCreatedAccepted(ticketId)).toEqual([1]);
    expect(teamsSupportPosts(ticketId)).toHaveLength(1);
  });

  it('Slack: the same view_submission at both instances at once makes one ticket', async () => {
    const slack = new SlackWorkspace(api, () => `${a.url}/slack/events`);
    const dm = 'D200';
    await slack.dm('U1', dm, ERROR_WITH_STEPS);
    const escalate = await waitFor('the answer with "no, hand it to support"', () => {
      try {
        return findButton(postedMessages(api, dm), (v) => v['type'] === 'solved' && v['escalate'] === true);
      } catch {
        return undefined;
      }
    });
    await slack.click('U1', escalate.message, escalate.button, 'trigger-two-instances');
    const modal = await waitFor('the escalation modal', () => api.callsTo('views.open').find((c) => c.args['trigger_id'] === 'trigger-two-instances')?.args['view']);

    const submission = slack.submissionPayload('U1', modal, { description: ESCALATION_FORM.escalationDescription, urgency: 'high' });
    const viewId = (submission['view'] as { id: string }).id;
    const results = await Promise.all([slack.submit(submission, `${a.url}/slack/events`), slack.submit(submission, `${b.url}/slack/events`)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);

    // Slack acknowledges first and works after: wait for the winner's confirmation and the loser's "seen it".
    const confirmation = await waitFor('the confirmation in the DM', () => postedMessages(api, dm).find((m) => /MARS-\d+/.test(m.text)));
    await waitFor('one instance to recognise the submission as a replay', () =>
      [a, b].some((p) => p.output().split('\n').some((line) => line.includes('replayed event ignored') && line.includes(viewId))),
    );
    const ticketId = ticketIdIn([confirmation.text]);
    expect(tickets().filter((t) => t.channel === 'slack').map((t) => t.id)).toEqual([ticketId]);
    expect(postedMessages(api, dm).filter((m) => m.text.includes(ticketId))).toHaveLength(1);
    // One message per turn in the DM: the answer, the escalation prompt, the one confirmation.
    expect(postedMessages(api, dm)).toHaveLength(3);

    await outboxDrained();
    expect(ticketCreatedAccepted(ticketId)).toEqual([1]);
    expect(postedMessages(api, SLACK_SUPPORT).filter((m) => !m.threadTs && m.text.includes(ticketId))).toHaveLength(1);
  });
});
