import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../src/config';
import type { Inbound } from '../../src/conversation/inbound';
import { createGuardedEngine } from '../../src/conversation/guarded-engine';
import { createLogger } from '../../src/shared/logger';
import { createRateLimiter } from '../../src/shared/rate-limiter';
import { visibleTexts } from '../helpers/adaptive-card-validator';
import { createInbound } from '../helpers/create-inbound';
import { FakeBotConnector, teamsMessage } from '../helpers/fake-bot-connector';
import { FakeClock } from '../helpers/fake-clock';
import { FakeEngine } from '../helpers/fake-engine';
import { startHardenedMarsbot, webMessage, webReplies, type HardenedMarsbot } from './hardened-marsbot';

/** What keeps one user, one conversation or one client from taking the bot down for everybody. */

/** The text the engine was handed (the calls here are all messages). */
const textOf = (inbound: Inbound | undefined): string | undefined => (inbound?.kind === 'message' ? inbound.text : undefined);

const answer = { kind: 'answer' as const, lang: 'en' as const, title: 'Check the proxy', steps: ['Open the proxy settings'] };

let bot: HardenedMarsbot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

function cardText(reply: { card: unknown }): string {
  return visibleTexts(reply.card).join(' ');
}

describe('request bodies', () => {
  it('refuses bodies over 1 MB with 413 on every POST route, before any engine call', async () => {
    const engine = new FakeEngine([answer]);
    bot = await startHardenedMarsbot({ engine: () => engine });
    const huge = webMessage('x'.repeat(1024 * 1024 + 1));
    expect((await bot.postWeb(huge)).status).toBe(413);
    expect((await bot.postActivity({ type: 'message', text: 'x'.repeat(1024 * 1024 + 1) })).status).toBe(413);
    expect(engine.calls).toHaveLength(0);
  });

  it('refuses uploads and other body types with 415: nothing is parsed, nothing lands on disk', async () => {
    const engine = new FakeEngine([answer]);
    bot = await startHardenedMarsbot({ engine: () => engine });
    const before = new Set(readdirSync(tmpdir()));
    for (const path of ['/api/web/messages', '/api/messages']) {
      const form = new FormData();
      // Three times the body limit: restify's multipart parser would not have applied it.
      form.append('file', new Blob([Buffer.alloc(3 * 1024 * 1024, 65)]), 'vault.bin');
      const upload = await fetch(`${bot.url}${path}`, { method: 'POST', body: form });
      expect(upload.status).toBe(415);
      const xml = await fetch(`${bot.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<a/>' });
      expect(xml.status).toBe(415);
    }
    expect(readdirSync(tmpdir()).filter((name) => !before.has(name) && name.startsWith('upload_'))).toEqual([]);
    expect(engine.calls).toHaveLength(0);
  });
});

describe('message text cap (MAX_MESSAGE_CHARS)', () => {
  it('reads only the first MAX_MESSAGE_CHARS characters of a long paste and says so first, in the reply language', async () => {
    const engine = new FakeEngine([answer]);
    bot = await startHardenedMarsbot({ engine: () => engine, maxMessageChars: 1000 });
    const replies = await webReplies(await bot.postWeb(webMessage('Error 34513 '.repeat(200))));
    expect(textOf(engine.calls[0])).toHaveLength(1000);
    expect(replies.map((r) => r.kind)).toEqual(['notice', 'answer']);
    expect(cardText(replies[0]!)).toBe('Your message was longer than 1,000 characters, so I only read the first 1,000.');
  });

  it('cuts Teams messages the same way, and leaves messages under the cap alone', async () => {
    const connector = await new FakeBotConnector().start();
    try {
      const engine = new FakeEngine([{ ...answer, lang: 'nl' }]);
      bot = await startHardenedMarsbot({ engine: () => engine, maxMessageChars: 500 });
      expect((await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'kluis '.repeat(300) }))).status).toBe(200);
      expect(textOf(engine.calls[0])).toHaveLength(500);
      expect(visibleTexts(connector.cards()[0]).join(' ')).toBe('Je bericht was langer dan 500 tekens, dus ik heb alleen de eerste 500 gelezen.');

      connector.clear();
      expect((await bot.postActivity(teamsMessage({ serviceUrl: connector.url, text: 'kluis' }))).status).toBe(200);
      expect(textOf(engine.calls[1])).toBe('kluis');
      expect(connector.cards()).toHaveLength(1);
    } finally {
      await connector.stop();
    }
  });

  it('never cuts an emoji in half', async () => {
    const engine = new FakeEngine([answer]);
    const guarded = createGuardedEngine(engine, {
      maxMessageChars: 5,
      rateLimits: { user: { perMinute: 0, burst: 1 }, conversation: { perMinute: 0, burst: 1 } },
      defaultLang: 'en',
      logger: createLogger('test'),
    });
    await guarded.handle(createInbound({ text: 'abcd😀😀' }));
    expect(textOf(engine.calls[0])).toBe('abcd');
  });
});

describe('rate limits', () => {
  const limits = { user: { perMinute: 6, burst: 3 }, conversation: { perMinute: 60, burst: 100 } };

  it('answers a web chat user in a burst, then says for every refused message how long to wait, without calling the engine; a pause lets them in again', async () => {
    const clock = new FakeClock();
    const engine = new FakeEngine([answer]);
    bot = await startHardenedMarsbot({ engine: () => engine, rateLimits: limits, clock: () => clock.now() });
    for (let i = 0; i < 3; i++) expect((await webReplies(await bot.postWeb(webMessage(`question ${i}`))))[0]!.kind).toBe('answer');

    const refused = await webReplies(await bot.postWeb(webMessage('question 3')));
    expect(refused).toHaveLength(1);
    expect(cardText(refused[0]!)).toBe("You're sending messages faster than I can keep up with. Please wait 10 seconds, then send your message again.");
    // No message is dropped without a word: the next one is told too, briefly.
    clock.advance(4_000);
    const again = await webReplies(await bot.postWeb(webMessage('question 4')));
    expect(again.map(cardText)).toEqual(['Still too fast: this message was not read either. Wait 6 more seconds, then send it again.']);
    expect(engine.calls).toHaveLength(3);

    // A token comes back every 10 s at 6 per minute.
    clock.advance(6_000);
    expect((await webReplies(await bot.postWeb(webMessage('question 5'))))[0]!.kind).toBe('answer');
    expect(engine.calls.map(textOf)).toEqual(['question 0', 'question 1', 'question 2', 'question 5']);
  });

  it("does not count the web chat's own messages (the opener, the language toggle) against the user", async () => {
    const clock = new FakeClock();
    const engine = new FakeEngine([answer]);
    bot = await startHardenedMarsbot({ engine: () => engine, rateLimits: limits, clock: () => clock.now() });
    // A user who opens five new conversations and flips the language twice …
    for (let i = 0; i < 5; i++) await bot.postWeb({ ...webMessage(''), conversationId: `conversation-100${i}`, event: 'start' });
    for (const lang of ['nl', 'en']) await bot.postWeb({ ...webMessage(''), value: { marsbot: { type: 'set-lang', lang } } });
    // … still has the whole burst for what they type.
    for (let i = 0; i < 3; i++) expect((await webReplies(await bot.postWeb(webMessage(`question ${i}`))))[0]!.kind).toBe('answer');
    expect((await webReplies(await bot.postWeb(webMessage('question 3'))))[0]!.kind).toBe('notice');
  });

  it('limits each user on their own: another user in another conversation is still answered', async () => {
    const clock = new FakeClock();
    const engine = new FakeEngine([answer]);
    bot = await startHardenedMarsbot({ engine: () => engine, rateLimits: limits, clock: () => clock.now() });
    for (let i = 0; i < 4; i++) await bot.postWeb(webMessage(`spam ${i}`));
    const other = await webReplies(await bot.postWeb(webMessage('my backup fails', { userId: 'user-000002', conversationId: 'conversation-0002' })));
    expect(other[0]!.kind).toBe('answer');
  });

  it('limits a busy conversation as a whole (a Teams channel where many people @mention the bot), in the language of the conversation', async () => {
    const clock = new FakeClock();
    const engine = new FakeEngine([{ ...answer, lang: 'nl' }]);
    const guarded = createGuardedEngine(engine, {
      maxMessageChars: 4000,
      rateLimits: { user: { perMinute: 60, burst: 10 }, conversation: { perMinute: 6, burst: 2 } },
      defaultLang: 'en',
      logger: createLogger('test'),
      clock: () => clock.now(),
    });
    const inChannel = (userId: string): Inbound => createInbound({ channel: 'teams', conversationId: '19:channel@thread.tacv2', userId, text: 'hulp', locale: 'en-US' });
    expect((await guarded.handle(inChannel('a')))[0]!.kind).toBe('answer');
    expect((await guarded.handle(inChannel('b')))[0]!.kind).toBe('answer');
    const refused = await guarded.handle(inChannel('c'));
    expect(refused).toEqual([{ kind: 'notice', lang: 'nl', text: ['Je stuurt berichten sneller dan ik kan bijhouden. Wacht 10 seconden en stuur je bericht dan opnieuw.'] }]);
    expect(engine.calls.map((c) => c.userId)).toEqual(['a', 'b']);
    // In Teams every reply is a new post: told once, then no post per further message.
    expect(await guarded.handle(inChannel('d'))).toEqual([]);
    // User c was refused for the conversation, not for themselves: their own budget is untouched elsewhere.
    expect((await guarded.handle({ ...inChannel('c'), conversationId: 'a:personal-c' }))[0]!.kind).toBe('answer');
  });

  it('keeps its memory bounded however many different users it sees', () => {
    const clock = new FakeClock();
    const limiter = createRateLimiter({ perMinute: 1, burst: 1, maxKeys: 100, clock: () => clock.now() });
    for (let i = 0; i < 10_000; i++) limiter.take(`user-${i}`);
    // The most recent users are still limited; long-gone ones were forgotten (and would get a full bucket).
    expect(limiter.check('user-9999').allowed).toBe(false);
    expect(limiter.check('user-0').allowed).toBe(true);
  });

  it('is configured from the environment, and 0 per minute switches a limit off', () => {
    const config = loadConfig({ RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_CONVERSATION_BURST: '5' });
    expect(config.rateLimits).toEqual({ user: { perMinute: 0, burst: 10 }, conversation: { perMinute: 60, burst: 5 }, address: { perMinute: 60, burst: 30 } });
    const limiter = createRateLimiter(config.rateLimits.user);
    for (let i = 0; i < 1000; i++) expect(limiter.take('u').allowed).toBe(true);
    expect(() => loadConfig({ RATE_LIMIT_USER_BURST: '0' })).toThrow(/RATE_LIMIT_USER_BURST/);
  });
});

describe('slow clients', () => {
  /**
   * A client that sends its headers and the start of a well-formed body at once, then one byte every
   * 20 ms: left alone it would finish its request after `trickledBytes` × 20 ms and get its answer.
   */
  function openTrickle(url: string, trickledBytes: number): { socket: Socket; received: () => string; stop(): void } {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    const head = '{"conversationId":"conversation-0001","userId":"user-000001","text":"';
    const tail = '"}';
    socket.write(`POST /api/web/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${head.length + trickledBytes + tail.length}\r\n\r\n${head}`);
    let sent = 0;
    const timer = setInterval(() => {
      if (!socket.writable) return;
      socket.write(sent < trickledBytes ? 'a' : tail);
      sent += 1;
      if (sent > trickledBytes) clearInterval(timer);
    }, 20);
    return { socket, received: () => received, stop: () => clearInterval(timer) };
  }

  it('answers everybody else while one client trickles its body, and cuts that client off with 408 in the end', async () => {
    const engine = new FakeEngine([answer]);
    bot = await startHardenedMarsbot({ engine: () => engine, requestTimeoutMs: 1_500 });
    // Half an hour of trickling.
    const slow = openTrickle(bot.url, 90_000);
    try {
      const others = await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => bot!.postWeb(webMessage(`question ${i}`, { userId: `user-00000${i}` }))),
        fetch(`${bot.url}/healthz`),
      ]);
      expect(others.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(slow.received()).toBe('');

      const closed = new Promise<void>((resolve) => slow.socket.once('close', () => resolve()));
      await closed;
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
      expect(engine.calls).toHaveLength(5);
    } finally {
      slow.stop();
      slow.socket.destroy();
    }
  });

  it('cuts a request off at HTTP_REQUEST_TIMEOUT_MS, not up to 30 s later when Node next looks', async () => {
    const engine = new FakeEngine([answer]);
    // A second to send the request; this one needs two (100 bytes at 20 ms) and would then be answered.
    bot = await startHardenedMarsbot({ engine: () => engine, requestTimeoutMs: 1_000 });
    const slow = openTrickle(bot.url, 100);
    try {
      // Whichever comes first: an answer (408 if it was cut, 200 if it was let finish) or the socket closing.
      await new Promise<void>((resolve) => {
        slow.socket.once('data', () => resolve());
        slow.socket.once('close', () => resolve());
      });
      expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
      expect(engine.calls).toHaveLength(0);
    } finally {
      slow.stop();
      slow.socket.destroy();
    }
  });
});
