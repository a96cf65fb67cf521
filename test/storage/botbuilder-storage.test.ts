import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversationState, TestAdapter, UserState, type Storage, type TurnContext } from 'botbuilder';
import { createBotbuilderStorage } from '../../src/storage/botbuilder-storage';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createSqliteStore } from '../../src/storage/sqlite-store';
import { ConflictError, type Store } from '../../src/storage/store';

interface Counter {
  turns: number;
}

/** A tiny bot that counts turns per conversation and remembers a name per user, via real BotState. */
function createCountingBot(storage: Storage) {
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const counter = conversationState.createProperty<Counter>('counter');
  const name = userState.createProperty<string>('name');
  const seen = { conversationKey: '' };
  const logic = async (context: TurnContext) => {
    seen.conversationKey = conversationState.getStorageKey(context) ?? '';
    const count = await counter.get(context, { turns: 0 });
    count.turns += 1;
    const text = context.activity.text ?? '';
    if (text.startsWith('name ')) await name.set(context, text.slice(5));
    await context.sendActivity(`${count.turns}:${(await name.get(context)) ?? '?'}`);
    await conversationState.saveChanges(context);
    await userState.saveChanges(context);
  };
  return { logic, conversationState, seen };
}

describe('botbuilder storage on the Store', () => {
  let dir: string;
  let store: Store;
  let storage: Storage;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marsbot-bb-'));
    store = createSqliteStore(join(dir, 'bot.db'));
    storage = createBotbuilderStorage(store);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps ConversationState and UserState between turns and across a restart', async () => {
    const bot = createCountingBot(storage);
    await new TestAdapter(bot.logic).send('hello').assertReply('1:?').send('name Anna').assertReply('2:Anna').send('again').assertReply('3:Anna');

    await store.close();
    store = createSqliteStore(join(dir, 'bot.db'));
    const restarted = createCountingBot(createBotbuilderStorage(store));
    await new TestAdapter(restarted.logic).send('after restart').assertReply('4:Anna');
  });

  it('forgets a conversation when ConversationState deletes it', async () => {
    const bot = createCountingBot(storage);
    const adapter = new TestAdapter(async (context) => {
      if (context.activity.text === 'reset') {
        await bot.conversationState.delete(context);
        await context.sendActivity('reset');
        return;
      }
      await bot.logic(context);
    });
    await adapter.send('one').assertReply('1:?').send('reset').assertReply('reset').send('two').assertReply('1:?');
  });

  it('hands out items with an eTag and keeps app documents apart from botbuilder keys', async () => {
    await storage.write({ 'msteams/conversations/a': { step: 1 } });
    const items = await storage.read(['msteams/conversations/a', 'missing']);
    expect(Object.keys(items)).toEqual(['msteams/conversations/a']);
    expect(items['msteams/conversations/a']).toEqual({ step: 1, eTag: expect.any(String) });
    expect(await store.getDocument('msteams/conversations/a')).toBeUndefined();
  });

  it('rejects a write with a stale eTag and keeps what the other writer saved', async () => {
    await storage.write({ 'conv/1': { step: 1 } });
    const mine = (await storage.read(['conv/1']))['conv/1'];
    const theirs = (await storage.read(['conv/1']))['conv/1'];
    await storage.write({ 'conv/1': { ...theirs, step: 2 } });

    const stale = storage.write({ 'conv/1': { ...mine, step: 99 } });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(storage.write({ 'conv/1': { ...mine, step: 99 } })).rejects.toThrow('write conflict on "conv/1"');
    expect((await storage.read(['conv/1']))['conv/1']).toMatchObject({ step: 2 });

    // The caller's retry: read again, then the write goes through.
    const fresh = (await storage.read(['conv/1']))['conv/1'];
    await storage.write({ 'conv/1': { ...fresh, step: 3 } });
    expect((await storage.read(['conv/1']))['conv/1']).toMatchObject({ step: 3 });
  });

  it('treats a missing or "*" eTag as last write wins, as BotState.saveChanges relies on', async () => {
    await storage.write({ 'conv/2': { v: 1 } });
    await storage.write({ 'conv/2': { v: 2, eTag: '*' } });
    await storage.write({ 'conv/2': { v: 3 } });
    expect((await storage.read(['conv/2']))['conv/2']).toMatchObject({ v: 3 });
  });

  it('detects a stale write from a second ConversationState (another instance) on the same conversation', async () => {
    const first = createCountingBot(storage);
    await new TestAdapter(first.logic).send('hi').assertReply('1:?');
    const key = first.seen.conversationKey;
    const before = (await storage.read([key]))[key];
    expect(before).toMatchObject({ counter: { turns: 1 }, eTag: expect.any(String) });

    // Another instance handles the next turn and saves.
    const second = createCountingBot(createBotbuilderStorage(store));
    await new TestAdapter(second.logic).send('hi again').assertReply('2:?');

    // This instance now tries to save what it read before that turn, naming the old eTag.
    await expect(storage.write({ [key]: { ...before, counter: { turns: 42 } } })).rejects.toBeInstanceOf(ConflictError);
    expect((await storage.read([key]))[key]).toMatchObject({ counter: { turns: 2 } });
  });

  it('refuses an eTag for an item that was deleted meanwhile', async () => {
    await storage.write({ 'conv/3': { v: 1 } });
    const item = (await storage.read(['conv/3']))['conv/3'];
    await storage.delete(['conv/3']);
    await expect(storage.write({ 'conv/3': { ...item, v: 2 } })).rejects.toBeInstanceOf(ConflictError);
    expect(await storage.read(['conv/3'])).toEqual({});
  });
});

describe('botbuilder storage on the memory store', () => {
  it('works the same for tests that do not need a file', async () => {
    const storage = createBotbuilderStorage(createMemoryStore());
    const bot = createCountingBot(storage);
    await new TestAdapter(bot.logic).send('a').assertReply('1:?').send('b').assertReply('2:?');
  });
});

