import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { ConflictError, type Store } from './store';

export interface BotbuilderStorageOptions {
  /** Keeps botbuilder's keys apart from the app's own documents in the same Store. */
  prefix?: string;
}

/** botbuilder's "no concurrency check" markers: a missing eTag or '*' means last write wins. */
function expectedEtagOf(item: StoreItem): string | undefined {
  return item.eTag === undefined || item.eTag === null || item.eTag === '' || item.eTag === '*' ? undefined : item.eTag;
}

/**
 * botbuilder Storage (ConversationState, UserState, dialogs) on top of the Store's documents, so Teams
 * state lives in the same database as everything else. A write whose eTag is stale rejects with
 * ConflictError (named by the botbuilder key) and is not retried here: only the caller knows how to
 * re-read and merge.
 */
export function createBotbuilderStorage(store: Store, options: BotbuilderStorageOptions = {}): Storage {
  const prefix = options.prefix ?? 'botbuilder/';

  return {
    async read(keys: string[]): Promise<StoreItems> {
      if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
      const items: StoreItems = {};
      for (const key of keys) {
        const document = await store.getDocument<StoreItem>(prefix + key);
        if (!document) continue;
        const value = document.value;
        items[key] = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value, eTag: document.etag } : value;
      }
      return items;
    },

    async write(changes: StoreItems): Promise<void> {
      if (!changes || typeof changes !== 'object') throw new ReferenceError('Changes are required when writing.');
      // One key after another, stopping at the first conflict, like botbuilder's own storages.
      for (const [key, item] of Object.entries(changes)) {
        const isObject = item !== null && typeof item === 'object' && !Array.isArray(item);
        const { eTag: _ignored, ...value } = isObject ? (item as StoreItem) : {};
        try {
          await store.putDocument(prefix + key, isObject ? value : item, isObject ? expectedEtagOf(item as StoreItem) : undefined);
        } catch (error) {
          if (error instanceof ConflictError) throw new ConflictError(key);
          throw error;
        }
      }
    },

    async delete(keys: string[]): Promise<void> {
      if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when deleting.');
      for (const key of keys) await store.deleteDocument(prefix + key);
    },
  };
}
