import fc from 'fast-check';
import { conversationKey } from '../../src/conversation/create-engine';
import { CAPS } from '../../src/conversation/state';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { Store, TurnWrite } from '../../src/storage/store';
import { createInbound } from '../helpers/create-inbound';
import { FakeMatcher } from '../helpers/fake-matcher';
import { createHarness, textOf } from './harness';

const IVC = 'invalid-vault-credentials';

describe('whatever comes in', () => {
  it.each(['', '   ', '\n\t ', '?', '\u0000\u0007\u001b\u007f', '\u200b\ufeff'])('answers %j with the help prompt', async (text) => {
    const h = createHarness({ matcher: new FakeMatcher(), inbound: { locale: 'en-US' } });
    const [reply] = await h.say(text);
    expect(reply!.kind).toBe('smalltalk');
    expect(reply!.text![0]).toBe("Tell me what's going on with the backup agent: paste the error message or describe what goes wrong.");
  });

  it('answers an inbound with neither text nor action', async () => {
    const h = createHarness({ matcher: new FakeMatcher() });
    const replies = await h.act(undefined as never);
    expect(replies[0]!.kind).toBe('smalltalk');
  });

  it('reads a huge message, says so when the matcher cut it, and stores a capped transcript', async () => {
    const huge = `34513 ${'x'.repeat(200_000)}`;
    const m = new FakeMatcher();
    m.understand = (text) => ({
      kind: 'answer', topic: IVC, case: null, candidates: [], confidence: 0.9, lang: 'en', langFromText: true,
      errorIds: ['34513'], normalizedText: text.slice(0, 8000), truncated: true,
    });
    const h = createHarness({ matcher: m });
    const replies = await h.say(huge);
    expect(replies[0]).toMatchObject({ kind: 'notice', text: ['Your message was very long, so I only read the first part.'] });
    expect(replies[1]!.kind).toBe('answer');
    const state = await h.state();
    expect(state.transcript[0]!.text.length).toBeLessThanOrEqual(CAPS.transcriptChars);
  });

  it('never throws and always replies, for any text', async () => {
    const h = createHarness({ matcher: new FakeMatcher() });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        const replies = await h.say(text);
        expect(replies.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the transcript to the last 50 entries', async () => {
    const h = createHarness({ matcher: new FakeMatcher() });
    for (let i = 0; i < 40; i++) await h.say(`message ${i}`);
    const state = await h.state();
    expect(state.transcript).toHaveLength(CAPS.transcriptEntries);
    expect(state.transcript.at(-2)!.text).toBe('message 39');
  });

  it('ignores buttons for topics, questions or options that no longer exist', async () => {
    const h = createHarness({ matcher: new FakeMatcher(), inbound: { locale: 'en-US' } });
    const stale = "That button belongs to an earlier question that I can't pick up any more. Ask me again and we'll continue from there.";
    expect(textOf(await h.act({ type: 'choose-topic', topic: 'gone' }))).toBe(stale);
    expect(textOf(await h.act({ type: 'follow-up', topic: IVC, question: 'gone', option: 'x' }))).toBe(stale);
    expect(textOf(await h.act({ type: 'solved', topic: 'gone', case: null, solved: false }))).toBe(stale);
  });

  it('starts fresh from a stored state that is not what it expects', async () => {
    const store = createMemoryStore();
    await store.putDocument(conversationKey(createInbound()), { topic: 'deleted-topic', pendingQuestion: 42, transcript: 'nope', lang: 'fr' });
    const m = new FakeMatcher({ '34513': { kind: 'answer', topic: IVC } });
    const h = createHarness({ matcher: m, store });
    const [answer] = await h.say('34513');
    expect(answer!.title).toBe('Ongeldige kluisreferenties');
  });
});

describe('delivery', () => {
  it('ignores a replayed event id', async () => {
    const m = new FakeMatcher({ '34513': { kind: 'answer', topic: IVC } });
    const h = createHarness({ matcher: m });
    expect(await h.say('34513', { eventId: 'evt-1' })).toHaveLength(2);
    expect(await h.say('34513', { eventId: 'evt-1' })).toEqual([]);
    expect(m.calls).toHaveLength(1);
  });

  it('re-runs the turn on the fresh state when another instance wrote the thread in between', async () => {
    const inner = createMemoryStore();
    const key = conversationKey(createInbound());
    let interfere = 1;
    // Another instance handles a turn of the same thread between our read and our write.
    const store: Store = Object.assign(Object.create(inner) as Store, {
      async saveTurn(write: TurnWrite): Promise<string> {
        if (write.document.key === key && interfere-- > 0) {
          await inner.putDocument(key, { transcript: [{ from: 'user', text: 'written elsewhere', at: 1 }] });
        }
        return inner.saveTurn(write);
      },
    });
    const m = new FakeMatcher({ '34513': { kind: 'answer', topic: IVC } });
    const h = createHarness({ matcher: m, store });
    const replies = await h.say('34513');
    expect(replies[0]!.title).toBe('Ongeldige kluisreferenties');
    const state = await h.state();
    expect(state.transcript[0]!.text).toBe('written elsewhere');
    expect(state.transcript[1]!.text).toBe('34513');
    expect(state.topic).toBe(IVC);
    // One turn, one set of statistics, even though it ran twice.
    expect((await inner.listInteractions()).map((e) => e.type)).toEqual(['question', 'answer']);
  });

  it('still replies when the thread stays contended', async () => {
    const inner = createMemoryStore();
    let attempts = 0;
    const store: Store = Object.assign(Object.create(inner) as Store, {
      async saveTurn(write: TurnWrite): Promise<string> {
        attempts++;
        await inner.putDocument(write.document.key, {});
        return inner.saveTurn(write);
      },
    });
    const h = createHarness({ matcher: new FakeMatcher({ '34513': { kind: 'answer', topic: IVC } }), store });
    const replies = await h.say('34513');
    expect(replies[0]!.kind).toBe('answer');
    expect(attempts).toBe(3);
    // Lost every race: nothing of this turn was stored, not even its statistics.
    expect(await inner.listInteractions()).toEqual([]);
  });

  it('answers with the fallback when the matcher throws', async () => {
    const m = new FakeMatcher();
    m.understand = () => {
      throw new Error('index broken');
    };
    const h = createHarness({ matcher: m });
    const [reply] = await h.say('anything');
    expect(reply!.kind).toBe('fallback');
  });
});

describe('replayed platform events', () => {
  it('answers a retry of an event whose turn never got saved, and ignores it once it was', async () => {
    const { createEngine } = await import('../../src/conversation/create-engine');
    const { createMemoryStore } = await import('../../src/storage/memory-store');
    const { loadKnowledge } = await import('../../src/knowledge/load-knowledge');
    const { createMatcher } = await import('../../src/understanding/create-matcher');
    const knowledge = loadKnowledge();
    const store = createMemoryStore();
    // The first attempt dies while writing the state (a crash mid-turn, as far as the store knows).
    const realSave = store.saveTurn.bind(store);
    let failNextWrite = true;
    store.saveTurn = async (...args: Parameters<typeof store.saveTurn>) => {
      if (failNextWrite) {
        failNextWrite = false;
        throw new Error('store went away');
      }
      return realSave(...args);
    };
    const engine = createEngine({ knowledge, matcher: createMatcher(knowledge), conversations: store, defaultLang: 'nl' });
    const inbound = { channel: 'teams' as const, conversationId: 'c-replay', userId: 'u1', kind: 'message' as const, text: 'fout 34506', eventId: 'activity-1' };
    await expect(engine.handle(inbound)).rejects.toThrow('store went away');
    const retried = await engine.handle(inbound);
    expect(retried[0]?.title).toMatch(/34506/);
    expect(await engine.handle(inbound)).toEqual([]);
  });
});
