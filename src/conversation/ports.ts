import type { StoredDocument, TurnWrite } from '../storage/store';

/**
 * What the engine needs from the outside world, and nothing more: the engine reads a conversation
 * and the user's preferences, and writes one turn. Any Store fits; a test can pass a two-method fake.
 */
export interface ConversationStore {
  getDocument<T = unknown>(key: string): Promise<StoredDocument<T> | undefined>;
  saveTurn(write: TurnWrite): Promise<string>;
}

/** Keys of the documents the engine keeps: a conversation's state (pruned once idle) and a user's preferences. */
export const CONVERSATION_KEY_PREFIX = 'conversation:';

export const conversationKey = (inbound: { channel: string; conversationId: string }): string =>
  `${CONVERSATION_KEY_PREFIX}${inbound.channel}:${inbound.conversationId}`;
export const userKey = (inbound: { channel: string; userId: string }): string => `user:${inbound.channel}:${inbound.userId}`;

