import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { createReplyDelivery, type ReplyDelivery } from '../../../src/channels/slack/reply-delivery';
import type { Reply } from '../../../src/replies/reply';
import { conversationFromBlockId, decodeActionValue } from '../../../src/channels/slack/read-slack-payload';
import { createLogger } from '../../../src/shared/logger';
import { startFakeSlackApi, type FakeSlackApi } from '../../helpers/fake-slack-api';
import { sampleAnswer, sampleQuestion } from '../../helpers/sample-replies';
import { allElements, blockKitViolations } from './block-kit-rules';
import { visibleText } from './slack-harness';

/** A turn's replies reach the user as one Slack message, whichever way the user is reached. */

const answer = sampleAnswer();
const question = sampleQuestion();
/** 30 paragraphs too long to share a section: 30 blocks, so two of these cannot share one message. */
const wide = (name: string): Reply => ({ kind: 'notice', lang: 'en', text: Array.from({ length: 30 }, (_, i) => `${name} part ${i} ${'x'.repeat(2000)}`) });

/** The answer's steps come before the question, and the question keeps its buttons. */
function expectAnswerThenQuestion(message: { blocks?: any[] }): void {
  const text = visibleText(message);
  expect(text).toContain('1. Download a new vault credentials file.\n2. Run the registration again.');
  expect(text.indexOf('2. Run the registration again.')).toBeLessThan(text.indexOf('Did you download the vault credentials file today?'));
  expect(blockKitViolations(message.blocks ?? [])).toEqual([]);
  const choices = allElements(message.blocks ?? []).filter((e) => decodeActionValue(e.value)?.type === 'follow-up');
  expect(choices.map((e) => e.text.text)).toEqual(['Yes, today', 'No, earlier']);
}

/** A response_url that has expired: Slack answers 404 to every post. */
async function startExpiredResponseUrl(): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits += 1;
    req.resume();
    // Not chained: restify (loaded by other suites in this worker) patches writeHead to return nothing.
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('expired_url');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/expired`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The client may keep its connection open for reuse; don't wait for it to time out.
        server.closeAllConnections();
      }),
  };
}

describe('Slack reply delivery', () => {
  let api: FakeSlackApi;
  let delivery: ReplyDelivery;

  beforeEach(async () => {
    api = await startFakeSlackApi();
    const client = new webApi.WebClient('xoxb-test-token', { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
    delivery = createReplyDelivery(client, createLogger('slack-delivery-test'));
  });
  afterEach(() => api.close());

  it('posts the answer and its follow-up question as one message in the thread', async () => {
    await delivery.deliver({ channel: 'C200', threadTs: '1700000500.000100' }, [answer, question]);
    const posts = api.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({ channel: 'C200', thread_ts: '1700000500.000100' });
    expectAnswerThenQuestion(posts[0]!.args);
    expect(posts[0]!.args['text']).toContain('Invalid vault credentials provided');
    expect(posts[0]!.args['text']).toContain('Did you download the vault credentials file today?');
    // Every button says which conversation it belongs to.
    for (const block of posts[0]!.args['blocks'].filter((b: any) => b.type === 'actions' || b.type === 'context_actions')) {
      expect(conversationFromBlockId(block.block_id)).toBe('C200/1700000500.000100');
    }
  });

  it('answers privately through the response_url with one message', async () => {
    await delivery.deliver({ channel: 'C300', ephemeralUser: 'U3', responseUrl: api.responseUrl('cmd') }, [answer, question]);
    expect(api.responsePosts).toHaveLength(1);
    const body = api.responsePosts[0]!.body;
    expect(body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expectAnswerThenQuestion(body);
    expect(api.calls).toEqual([]);
  });

  it('falls back to one chat.postEphemeral when the response_url has expired', async () => {
    const expired = await startExpiredResponseUrl();
    try {
      await delivery.deliver({ channel: 'C300', ephemeralUser: 'U3', responseUrl: expired.url }, [answer, question]);
      expect(expired.hits()).toBe(1);
      const posts = api.callsTo('chat.postEphemeral');
      expect(posts).toHaveLength(1);
      expect(posts[0]!.args).toMatchObject({ channel: 'C300', user: 'U3' });
      expectAnswerThenQuestion(posts[0]!.args);
    } finally {
      await expired.close();
    }
  });

  it('posts ephemerally without a response_url, one message for the turn', async () => {
    await delivery.deliver({ channel: 'C300', ephemeralUser: 'U3' }, [answer, question]);
    expect(api.callsTo('chat.postEphemeral')).toHaveLength(1);
    expectAnswerThenQuestion(api.callsTo('chat.postEphemeral')[0]!.args);
  });

  it('splits a turn too big for one message between replies, in order', async () => {
    await delivery.deliver({ channel: 'D100' }, [wide('first'), question, wide('second')]);
    const posts = api.callsTo('chat.postMessage').map((c) => c.args);
    expect(posts).toHaveLength(2);
    expect(visibleText(posts[0]!)).toMatch(/^first part 0 [\s\S]*first part 29 [\s\S]*Did you download/);
    expect(visibleText(posts[1]!)).toMatch(/^second part 0 [\s\S]*second part 29 /);
    for (const post of posts) expect(blockKitViolations(post['blocks'])).toEqual([]);
  });

  it('stops trying an expired response_url after its first refusal when a turn needs two messages', async () => {
    const expired = await startExpiredResponseUrl();
    try {
      await delivery.deliver({ channel: 'C300', ephemeralUser: 'U3', responseUrl: expired.url }, [wide('first'), wide('second')]);
      expect(expired.hits()).toBe(1);
      expect(api.callsTo('chat.postEphemeral').map((c) => visibleText(c.args).split(' ')[0])).toEqual(['first', 'second']);
    } finally {
      await expired.close();
    }
  });

  it('posts nothing for a turn without replies', async () => {
    await delivery.deliver({ channel: 'D100' }, []);
    expect(api.calls).toEqual([]);
  });
});
