import { createEngine } from '../../src/conversation/create-engine';
import type { ConversationStore } from '../../src/conversation/ports';
import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import type { Reply } from '../../src/replies/reply';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { SupportActionEvent, SupportActions } from '../../src/support/support-actions';
import { createInbound } from '../helpers/create-inbound';
import { FakeMatcher } from '../helpers/fake-matcher';
import { FIXTURE_KNOWLEDGE_DIR, createHarness } from './harness';

/** The engine needs two calls of the store and a port to the support layer; nothing of a platform. */

class RecordingConversations implements ConversationStore {
  readonly inner = createMemoryStore();
  readonly calls: string[] = [];
  getDocument: ConversationStore['getDocument'] = (key) => {
    this.calls.push(`get ${key}`);
    return this.inner.getDocument(key);
  };
  saveTurn: ConversationStore['saveTurn'] = (write) => {
    this.calls.push(`save ${write.document.key}`);
    return this.inner.saveTurn(write);
  };
}

class RecordingSupportActions implements SupportActions {
  readonly events: SupportActionEvent[] = [];
  async handle(event: SupportActionEvent): Promise<Reply[]> {
    this.events.push(event);
    return [{ kind: 'notice', lang: 'en', text: ['decided by the support layer'] }];
  }
}

const IVC = 'invalid-vault-credentials';

describe('the engine behind narrow ports', () => {
  it('runs a conversation on a store that has nothing but getDocument and saveTurn', async () => {
    const conversations = new RecordingConversations();
    const engine = createEngine({
      knowledge: loadKnowledge(FIXTURE_KNOWLEDGE_DIR),
      matcher: new FakeMatcher({ '34513': { kind: 'answer', topic: IVC } }),
      conversations,
      defaultLang: 'en',
    });
    const [answer] = await engine.handle(createInbound({ text: '34513' }));
    expect(answer).toMatchObject({ kind: 'answer', lang: 'en' });
    expect(conversations.calls).toEqual(['get conversation:web:conv-1', 'get user:web:user-1', 'save conversation:web:conv-1']);
  });

  it('hands a support action to the support layer and keeps it out of the conversation', async () => {
    const conversations = new RecordingConversations();
    const support = new RecordingSupportActions();
    const engine = createEngine({
      knowledge: loadKnowledge(FIXTURE_KNOWLEDGE_DIR),
      matcher: new FakeMatcher(),
      conversations,
      supportActions: support,
      defaultLang: 'nl',
    });
    const where = { place: '19:support@thread.tacv2', shared: true };
    const replies = await engine.handle({ channel: 'teams', conversationId: 'c', userId: 'u', kind: 'support-action', request: { type: 'claim', ticketId: 'MARS-1001' }, where });
    expect(replies[0]?.text).toEqual(['decided by the support layer']);
    expect(support.events).toEqual([expect.objectContaining({ request: { type: 'claim', ticketId: 'MARS-1001' }, where })]);
    expect(conversations.calls).toEqual([]);
  });

  it('answers an install with the introduction in the DEFAULT_LANG when there is no locale, and keeps it out of the transcript', async () => {
    const h = createHarness({ matcher: new FakeMatcher(), defaultLang: 'en' });
    const [welcome] = await h.say('', { kind: 'installed' });
    expect(welcome).toMatchObject({ kind: 'smalltalk', lang: 'en' });
    expect(welcome!.text![0]).toBe('Hi!');
    // A ticket's transcript starts at the user's first message, not at the bot's own opener.
    expect((await h.state()).transcript).toEqual([]);
  });
});
