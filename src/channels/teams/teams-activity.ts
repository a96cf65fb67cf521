import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { ticketRequestOf, type Inbound, type InboundBase } from '../../conversation/inbound';
import { isSetSupportChannelCommand, type SupportWhere } from '../../support/support-actions';
import { readCardSubmit } from '../card-submit';

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
  return Boolean(botId) && TurnContext.getMentions(activity).some((m) => m.mentioned.id === botId);
}

/** The user's words without the bot's @mention (and without the non-breaking spaces Teams adds around it). */
export function messageText(activity: Partial<Activity>): string {
  const copy = { ...activity };
  const text = isBotMentioned(copy) ? TurnContext.removeRecipientMention(copy) : (copy.text ?? '');
  return text.replace(/\u00a0/g, ' ').trim();
}

/** The conversation without the reply-chain suffix: where new posts in a channel go. */
function rootConversationId(conversationId: string): string {
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
 * Where new posts in the activity's channel go: its reference with the channel itself, not the thread
 * the activity came from. This is the address "set support channel" stores.
 */
function channelAddress(activity: Partial<Activity>): Partial<ConversationReference> {
  const reference = TurnContext.getConversationReference(activity);
  const conversation = reference.conversation ? { ...reference.conversation, id: rootConversationId(reference.conversation.id) } : undefined;
  const { activityId: _threadMessage, ...rest } = reference;
  return { ...rest, ...(conversation ? { conversation } : {}) };
}

/** The channel a stored address points at, named as clicks from it are (the conversation without its thread). */
export function placeOfAddress(address: unknown): string | undefined {
  const id = (address as { conversation?: { id?: unknown } } | undefined)?.conversation?.id;
  return typeof id === 'string' && id !== '' ? rootConversationId(id) : undefined;
}

/** Who and where, for every event of this activity. */
function base(activity: Partial<Activity>): InboundBase {
  return {
    channel: 'teams',
    // Kept whole: in a channel it carries ";messageid=…", which sends our replies into the same thread.
    conversationId: activity.conversation?.id ?? '',
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown',
    userName: activity.from?.name || undefined,
    locale: activity.locale || undefined,
    threadLink: teamsDeepLink(activity),
    eventId: activity.id ? `teams:${activity.id}` : undefined,
  };
}

/** Where a support action happened: the channel (not the thread), whether it is shared, and how to post there. */
function supportWhere(activity: Partial<Activity>, address?: unknown): SupportWhere {
  return {
    place: rootConversationId(activity.conversation?.id ?? ''),
    shared: conversationType(activity) !== 'personal',
    ...(address !== undefined ? { address } : {}),
  };
}

/**
 * The Inbound a Teams message activity makes: a message, a button press, or (a ticket's Claim /
 * Resolve, the "set support channel" command) a support action. Undefined for a submit from a card
 * that is not ours. The text is passed whole: the guarded engine cuts it to MAX_MESSAGE_CHARS and
 * tells the user it did (the 1 MB body limit bounds it).
 */
export function toInbound(activity: Partial<Activity>): Inbound | undefined {
  const who = base(activity);
  if (activity.value !== undefined && activity.value !== null) {
    const action = readCardSubmit(activity.value);
    if (!action) return undefined;
    const ticket = ticketRequestOf(action);
    if (ticket) return { ...who, kind: 'support-action', request: ticket, where: supportWhere(activity) };
    return { ...who, kind: 'action', action };
  }
  const text = messageText(activity);
  if (isSetSupportChannelCommand(text)) {
    return { ...who, kind: 'support-action', request: { type: 'set-support-channel' }, where: supportWhere(activity, channelAddress(activity)) };
  }
  return { ...who, kind: 'message', text };
}

/** The bot was added to a chat or team: the engine introduces itself. */
export function installedInbound(activity: Partial<Activity>): Inbound {
  return { ...base(activity), kind: 'installed' };
}
