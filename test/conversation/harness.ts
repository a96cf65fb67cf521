import { join } from 'node:path';
import { createEngine, conversationKey } from '../../src/conversation/create-engine';
import { normalizeState, type ConversationState } from '../../src/conversation/state';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load-knowledge';
import type { ActionPayload, Reply, ReplyButton } from '../../src/replies/reply';
import type { Lang } from '../../src/shared/lang';
import { createMemoryStore } from '../../src/storage/memory-store';
import type { Store } from '../../src/storage/store';
import type { Matcher } from '../../src/understanding/understanding';
import { createInbound, type InboundOverrides } from '../helpers/create-inbound';
import type { FakeSupportDesk } from '../helpers/fake-support-desk';

export const FIXTURE_KNOWLEDGE_DIR = join(__dirname, '..', 'fixtures', 'knowledge');

export interface Harness {
  knowledge: KnowledgeBase;
  store: Store;
  /** The replies of the last turn. */
  last: Reply[];
  say(text: string, overrides?: InboundOverrides): Promise<Reply[]>;
  act(action: ActionPayload, overrides?: InboundOverrides): Promise<Reply[]>;
  /** The bot was installed, or a web chat conversation opened. */
  install(overrides?: InboundOverrides): Promise<Reply[]>;
  /** Presses the button with this label among the last replies' choices and actions. */
  press(label: string, overrides?: InboundOverrides): Promise<Reply[]>;
  state(overrides?: InboundOverrides): Promise<ConversationState>;
}

export function buttonsOf(replies: readonly Reply[]): ReplyButton[] {
  return replies.flatMap((r) => [...(r.choices ?? []), ...(r.actions ?? [])]);
}

/** Everything a user reads in the replies, as one string: for "contains" assertions. */
export function textOf(replies: readonly Reply[]): string {
  return replies
    .flatMap((r) => [r.title, ...(r.text ?? []), ...(r.steps ?? []), r.prompt, ...(r.choices ?? []).map((c) => c.label), r.source?.label, r.footer])
    .filter((s): s is string => typeof s === 'string')
    .join('\n');
}

export function createHarness(options: {
  matcher: Matcher;
  supportDesk?: FakeSupportDesk;
  knowledge?: KnowledgeBase;
  store?: Store;
  inbound?: InboundOverrides;
  clock?: () => number;
  /** DEFAULT_LANG (default nl, as when it is not configured). */
  defaultLang?: Lang;
}): Harness {
  const knowledge = options.knowledge ?? loadKnowledge(FIXTURE_KNOWLEDGE_DIR);
  const store = options.store ?? createMemoryStore();
  const engine = createEngine({
    knowledge,
    matcher: options.matcher,
    conversations: store,
    defaultLang: options.defaultLang ?? 'nl',
    ...(options.supportDesk ? { supportDesk: options.supportDesk } : {}),
    clock: options.clock ?? (() => 1_700_000_000_000),
  });
  const inbound = (overrides: InboundOverrides) => createInbound({ ...options.inbound, ...overrides });
  const harness: Harness = {
    knowledge,
    store,
    last: [],
    async say(text, overrides = {}) {
      harness.last = await engine.handle(inbound({ ...overrides, text }));
      return harness.last;
    },
    async act(action, overrides = {}) {
      harness.last = await engine.handle(inbound({ ...overrides, action }));
      return harness.last;
    },
    async install(overrides = {}) {
      harness.last = await engine.handle(inbound({ ...overrides, kind: 'installed' }));
      return harness.last;
    },
    async press(label, overrides = {}) {
      const button = buttonsOf(harness.last).find((b) => b.label === label);
      if (!button) throw new Error(`no button "${label}" in: ${buttonsOf(harness.last).map((b) => b.label).join(', ')}`);
      return harness.act(button.action, overrides);
    },
    async state(overrides = {}) {
      const doc = await store.getDocument(conversationKey(inbound(overrides)));
      return normalizeState(doc?.value);
    },
  };
  return harness;
}
