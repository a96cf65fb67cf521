import { FORM_INPUT_IDS } from '../../src/replies/render-adaptive-card';
import { createPostgresStore } from '../../src/storage/postgres-store';
import { visibleTexts } from '../helpers/adaptive-card-validator';
import { createTestSchema, postgresTestsAvailable, startTestPostgres, type TestPostgres, type TestSchema } from '../helpers/postgres';
import { startMarsbot, type RunningMarsbot } from '../helpers/start-marsbot';

/**
 * Two marsbot instances on one PostgreSQL database, behind a load balancer that spreads one
 * user's messages over both: the rate limits and the hourly ticket caps hold for the pair, not for
 * each instance (which would let N instances allow N times the limit).
 */

const describeIfPostgres = postgresTestsAvailable('the shared rate limit tests') ? describe : describe.skip;

const RATE_LIMITED = ["You're sending messages faster", 'Still too fast'];

describeIfPostgres('rate limits and ticket caps shared by two instances on one PostgreSQL database', () => {
  let postgres: TestPostgres;
  let schema: TestSchema;
  let instances: RunningMarsbot[] = [];

  beforeAll(async () => {
    postgres = await startTestPostgres();
  }, 60_000);
  afterAll(async () => {
    await postgres.stop();
  });
  beforeEach(async () => {
    schema = await createTestSchema(postgres.url);
  });
  afterEach(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    instances = [];
    await schema.drop();
  });

  /** Two instances, each with its own connection pool to the one database, configured alike. */
  async function startPair(env: Record<string, string>): Promise<[RunningMarsbot, RunningMarsbot]> {
    const start = async () => startMarsbot({ store: await createPostgresStore(schema.url), env });
    instances = await Promise.all([start(), start()]);
    return [instances[0]!, instances[1]!];
  }

  /** One web chat request; the ids get a prefix that makes them as long as the web chat wants them. */
  async function say(instance: RunningMarsbot, body: { conversationId: string; userId: string } & Record<string, unknown>): Promise<string[]> {
    const response = await instance.postWeb({ locale: 'en-US', ...body, conversationId: `limits-${body.conversationId}`, userId: `limits-${body.userId}` });
    expect(response.status).toBe(200);
    const json = (await response.json()) as { replies?: { card: unknown }[] };
    return (json.replies ?? []).map((reply) => visibleTexts(reply.card).join(' '));
  }

  const limited = (texts: string[]) => texts.some((text) => RATE_LIMITED.some((start) => text.startsWith(start)));

  it("one user's burst is spent once across both instances, also when the messages arrive at the same moment", async () => {
    // A burst of 4 and one token back per minute: nothing refills during the test.
    const pair = await startPair({ RATE_LIMIT_USER_PER_MINUTE: '1', RATE_LIMIT_USER_BURST: '4' });
    const sequential: boolean[] = [];
    for (let n = 0; n < 6; n++) {
      sequential.push(limited(await say(pair[n % 2]!, { conversationId: `c-seq-${n}`, userId: 'anna', text: 'Error 230006' })));
    }
    expect(sequential).toEqual([false, false, false, false, true, true]);

    // Another user, 12 messages at once, six through each instance: still exactly 4 answered.
    const concurrent = await Promise.all(
      Array.from({ length: 12 }, (_, n) => say(pair[n % 2]!, { conversationId: `c-par-${n}`, userId: 'piet', text: 'Error 230006' })),
    );
    expect(concurrent.filter((texts) => !limited(texts))).toHaveLength(4);
  });

  it('a turn refused for its conversation costs the user nothing on the other instance', async () => {
    const pair = await startPair({ RATE_LIMIT_USER_PER_MINUTE: '1', RATE_LIMIT_USER_BURST: '3', RATE_LIMIT_CONVERSATION_PER_MINUTE: '1', RATE_LIMIT_CONVERSATION_BURST: '1' });
    expect(limited(await say(pair[0], { conversationId: 'busy', userId: 'anna', text: 'hello' }))).toBe(false);
    // Refused for the conversation on B: the user's bucket is untouched.
    expect(limited(await say(pair[1], { conversationId: 'busy', userId: 'anna', text: 'hello again' }))).toBe(true);
    expect(limited(await say(pair[1], { conversationId: 'quiet-1', userId: 'anna', text: 'hello' }))).toBe(false);
    expect(limited(await say(pair[0], { conversationId: 'quiet-2', userId: 'anna', text: 'hello' }))).toBe(false);
    // Three spent (busy, quiet-1, quiet-2): the fourth is refused, on either instance.
    expect(limited(await say(pair[1], { conversationId: 'quiet-3', userId: 'anna', text: 'hello' }))).toBe(true);
  });

  it('one client address opens at most TICKETS_PER_ADDRESS_PER_HOUR tickets across both instances', async () => {
    const pair = await startPair({ TICKETS_PER_ADDRESS_PER_HOUR: '3', TICKETS_PER_CONVERSATION_PER_HOUR: '0' });
    const confirmations: boolean[] = [];
    for (let n = 0; n < 6; n++) {
      const instance = pair[n % 2]!;
      const ids = { conversationId: `ticket-${n}`, userId: `user-${n}` };
      await say(instance, { ...ids, text: 'Error 230006' });
      const answer = await say(pair[(n + 1) % 2]!, {
        ...ids,
        value: {
          marsbot: { type: 'escalate-submit' },
          [FORM_INPUT_IDS.description]: `backup fails ${n}`,
          [FORM_INPUT_IDS.urgency]: 'normal',
          [FORM_INPUT_IDS.name]: `User ${n}`,
          [FORM_INPUT_IDS.email]: `user-${n}@contoso.com`,
        },
      });
      confirmations.push(answer.some((text) => /ticket MARS-\d+/.test(text)));
    }
    expect(confirmations).toEqual([true, true, true, false, false, false]);
    expect(await pair[0].store.listTickets()).toHaveLength(3);
  });
});
