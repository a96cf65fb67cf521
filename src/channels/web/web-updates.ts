import type { Reply } from '../../replies/reply';
import { ConflictError, type Store } from '../../storage/store';
import type { ChannelNotifier } from '../../support/support-desk';

/**
 * What reaches a web chat conversation after its turn is over: "your ticket was picked up", "it was
 * resolved". The page cannot be called, so these wait in the store, one document per conversation,
 * until the page asks for what came after the last one it showed. Kept durably, so a page opened
 * tomorrow still shows them, and a second instance serves them as well as the first.
 */

/** Documents under this prefix are deleted with idle conversations (RETENTION_DAYS). */
export const WEB_UPDATES_KEY_PREFIX = 'web-updates:';
/** Updates kept per conversation: claims and resolutions of its tickets, a handful at most. */
const MAX_KEPT = 50;
const MAX_WRITE_TRIES = 5;

interface WebUpdate {
  /** 1, 2, 3 … per conversation: the page remembers the last one it showed. */
  seq: number;
  at: number;
  replies: Reply[];
}

interface UpdatesDocument {
  last: number;
  updates: WebUpdate[];
}

export interface WebUpdates {
  /** Posts into a web chat conversation (the outbox's user notices); the web chat is never a support channel. */
  readonly notifier: ChannelNotifier;
  /** The updates after `seq`, oldest first, and the last seq there is. */
  after(conversationId: string, seq: number): Promise<{ updates: WebUpdate[]; last: number }>;
}

const keyOf = (conversationId: string): string => `${WEB_UPDATES_KEY_PREFIX}${conversationId}`;

function readDocument(value: unknown): UpdatesDocument {
  const doc = value as Partial<UpdatesDocument> | undefined;
  const updates = Array.isArray(doc?.updates) ? doc.updates.filter((u: Partial<UpdatesDocument['updates'][number]> | undefined) => u && typeof u.seq === 'number' && Array.isArray(u.replies)) : [];
  return { last: typeof doc?.last === 'number' ? doc.last : 0, updates };
}

export function createWebUpdates(deps: { store: Pick<Store, 'getDocument' | 'putDocument'>; clock: () => number }): WebUpdates {
  const { store, clock } = deps;

  async function append(conversationId: string, replies: Reply[]): Promise<void> {
    const key = keyOf(conversationId);
    const body = JSON.stringify(replies);
    for (let attempt = 1; ; attempt++) {
      const stored = await store.getDocument<UpdatesDocument>(key);
      const doc = readDocument(stored?.value);
      // Delivery is at least once: the same notice handed over again is already here.
      if (doc.updates.some((u) => JSON.stringify(u.replies) === body)) return;
      const next: UpdatesDocument = { last: doc.last + 1, updates: [...doc.updates, { seq: doc.last + 1, at: clock(), replies }].slice(-MAX_KEPT) };
      try {
        await store.putDocument(key, next, stored?.etag ?? null);
        return;
      } catch (err) {
        // Two notices for one conversation at once: read again and add ours after theirs.
        if (!(err instanceof ConflictError) || attempt >= MAX_WRITE_TRIES) throw err;
      }
    }
  }

  return {
    notifier: {
      channel: 'web',
      notifyThread: append,
      async postToChannel() {
        throw new Error('the web chat has no support channel');
      },
      placeOf: () => undefined,
    },
    async after(conversationId, seq) {
      const doc = readDocument((await store.getDocument(keyOf(conversationId)))?.value);
      return { updates: doc.updates.filter((u) => u.seq > seq), last: doc.last };
    },
  };
}
