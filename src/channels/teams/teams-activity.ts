import { TurnContext, type Activity } from 'botbuilder';
import type { Inbound } from '../../conversation/inbound';
import { readCardSubmit } from '../../replies/render-adaptive-card';

/**
 * Reading a Teams activity: everything the adapter needs to know about where a message came from
 * and what it says. Pure functions over the wire format, so they are easy to reason about.
 */

export type TeamsConversationType = 'personal' | 'channel' | 'groupChat';

export function conversationType(activity: Partial<Activity>): TeamsConversationType {
  const type = activity.conversation?.conversationType;
  // Emulators and the Agents Playground leave it out: they are one-to-one chats.
  return type === 'channel' || type === 'groupChat' ? type : 'personal';
}

export function isBotMentioned(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return Boolean(botId) && TurnContext.getMentions(activity).some((m) => m.mentioned?.id === botId);
}

/** The user's words without the bot's @mention (and without the non-breaking spaces Teams adds around it). */
export function messageText(activity: Partial<Activity>): string {
  const copy = { ...activity };
  const text = isBotMentioned(copy) ? TurnContext.removeRecipientMention(copy) : (copy.text ?? '');
  return (text ?? '').replace(/\u00a0/g, ' ').trim();
}

/** The conversation without the reply-chain suffix: where new posts in a channel go. */
export function rootConversationId(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

/** A link back to the message in Teams, for tickets. Personal chats have no shareable link. */
export function teamsDeepLink(activity: Partial<Activity>): string | undefined {
  const conversationId = activity.conversation?.id;
  const messageId = activity.id;
  if (!conversationId || !messageId) return undefined;
  const type = conversationType(activity);
  const base = rootConversationId(conversationId);
  const link = (params: Record<string, string | undefined>): string => {
    const query = Object.entries(params)
      .filter((entry): entry is [string, string] => Boolean(entry[1]))
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
    return `https://teams.microsoft.com/l/message/${encodeURIComponent(base)}/${encodeURIComponent(messageId)}${query ? `?${query}` : ''}`;
  };
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string }; team?: { aadGroupId?: string } };
  if (type === 'channel') {
    const parent = /;messageid=(\d+)/.exec(conversationId)?.[1];
    return link({ tenantId: channelData.tenant?.id, groupId: channelData.team?.aadGroupId, parentMessageId: parent });
  }
  if (type === 'groupChat') return link({ context: JSON.stringify({ contextType: 'chat' }) });
  return undefined;
}

/**
 * The Inbound a Teams message activity makes. The text is passed whole: the guarded engine in front
 * of the engine cuts it to MAX_MESSAGE_CHARS and tells the user it did (the 1 MB body limit bounds it).
 */
export function toInbound(activity: Partial<Activity>): Inbound {
  const action = activity.value === undefined ? undefined : readCardSubmit(activity.value);
  const text = messageText(activity);
  return {
    channel: 'teams',
    // Kept whole: in a channel it carries ";messageid=…", which sends our replies into the same thread.
    conversationId: activity.conversation?.id ?? '',
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown',
    userName: activity.from?.name || undefined,
    ...(action ? { action } : { text }),
    locale: activity.locale || undefined,
    threadLink: teamsDeepLink(activity),
    eventId: activity.id ? `teams:${activity.id}` : undefined,
  };
}
