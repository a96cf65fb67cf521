import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { TEAMS_REFERENCE_KEY_PREFIX, type Store } from '../../storage/store';
import { rootConversationId } from './teams-activity';

/**
 * Proactive messages in Teams need the conversation reference of an earlier turn.
 * We keep the latest one per conversation, and one for the support team's channel.
 */

export const SUPPORT_CHANNEL_KEY = 'teams-support-channel';

export function referenceKey(conversationId: string): string {
  return `${TEAMS_REFERENCE_KEY_PREFIX}${conversationId}`;
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
  /** Makes the activity's conversation (the channel itself, not the thread) the support channel. */
  setSupportChannel(activity: Partial<Activity>): Promise<void>;
  supportChannel(): Promise<Partial<ConversationReference> | undefined>;
}

export function createConversationReferences(
  store: Store,
  fallbackSupport?: Partial<ConversationReference>,
): ConversationReferences {
  return {
    async remember(activity) {
      const document = referenceDocument(activity);
      if (document) await store.putDocument(document.key, document.value);
    },
    async find(conversationId) {
      return (await store.getDocument<Partial<ConversationReference>>(referenceKey(conversationId)))?.value;
    },
    async setSupportChannel(activity) {
      const reference = TurnContext.getConversationReference(activity);
      // Tickets start new posts in the channel, not replies in the thread where the command was typed.
      const conversation = reference.conversation ? { ...reference.conversation, id: rootConversationId(reference.conversation.id) } : undefined;
      const { activityId: _threadMessage, ...rest } = reference;
      await store.putDocument(SUPPORT_CHANNEL_KEY, { ...rest, conversation });
    },
    async supportChannel() {
      return (await store.getDocument<Partial<ConversationReference>>(SUPPORT_CHANNEL_KEY))?.value ?? fallbackSupport;
    },
  };
}
