import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { Store } from '../../storage/store';

/**
 * Proactive messages in Teams need the conversation reference of an earlier turn. We keep the
 * latest one per conversation (pruned with the conversation once idle: see REFERENCE_KEY_PREFIX).
 */

/** Documents under this prefix are pruned by retention like conversation states (create-marsbot passes it on). */
export const REFERENCE_KEY_PREFIX = 'teams-ref:';

export function referenceKey(conversationId: string): string {
  return `${REFERENCE_KEY_PREFIX}${conversationId}`;
}

/** The stored form of an activity's conversation reference; undefined without a conversation id. */
export function referenceDocument(activity: Partial<Activity>): { key: string; value: Partial<ConversationReference> } | undefined {
  const conversationId = activity.conversation?.id;
  if (!conversationId) return undefined;
  return { key: referenceKey(conversationId), value: TurnContext.getConversationReference(activity) };
}

export interface ConversationReferences {
  remember(activity: Partial<Activity>): Promise<void>;
  find(conversationId: string): Promise<Partial<ConversationReference> | undefined>;
}

export function createConversationReferences(store: Pick<Store, 'getDocument' | 'putDocument'>): ConversationReferences {
  return {
    async remember(activity) {
      const document = referenceDocument(activity);
      if (document) await store.putDocument(document.key, document.value);
    },
    async find(conversationId) {
      return (await store.getDocument<Partial<ConversationReference>>(referenceKey(conversationId)))?.value;
    },
  };
}
