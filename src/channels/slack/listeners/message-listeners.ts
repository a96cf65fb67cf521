import type { App } from '@slack/bolt';
import type { Inbound, InboundBase } from '../../../conversation/inbound';
import { isSetSupportChannelCommand } from '../../../support/support-actions';
import { encodeConversationId, isDirectMessage } from '../conversation-ref';
import type { DeliveryMarker } from '../reply-delivery';
import type { ListenerDeps } from './listener-deps';

/** The fields of a message or app_mention event we use; bolt's union types are wider than needed. */
interface MessageLike {
  type: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
}

/** Removes mentions of the bot ("<@U123>" or "<@U123|marsbot>"); the user's words are what the engine needs. */
function stripBotMention(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ') : text;
  // Without a known bot id, the leading mention is the one that addressed us.
  const cleaned = botUserId ? withoutBot : withoutBot.replace(/^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/, ' ');
  return cleaned.replace(/[ \t]+/g, ' ').trim();
}

/**
 * users.info is a Web API call per new user: the engine asks for it only when a turn needs the
 * user's name (a ticket, a greeting) or their Slack language (the words give no sign of one).
 */
function lookupUser(deps: ListenerDeps, userId: string): () => Promise<{ name?: string; locale?: string }> {
  return () => deps.directory.profile(userId);
}

/** A message in a channel or DM: what the user wrote, or the "set support channel" command for the support desk. */
export function messageInbound(who: InboundBase, text: string, channel: string): Inbound {
  if (!isSetSupportChannelCommand(text)) return { ...who, kind: 'message', text };
  return {
    ...who,
    kind: 'support-action',
    request: { type: 'set-support-channel' },
    where: { place: channel, shared: !isDirectMessage(channel), address: { channel } },
  };
}

// A plain message, or one with a file attached (a screenshot pasted with the error text).
const ANSWERABLE_SUBTYPES = new Set([undefined, 'file_share']);

/**
 * An Events API delivery is retried by Slack until marsbot acknowledges it, and marsbot
 * acknowledges only once the answer is out (see slack-receiver.ts). The event is marked handled in
 * the same write as its turn, which keeps its replies; a retry gets them back and posts only those
 * Slack does not already have, found by the event id in their metadata.
 */
function eventTurn(body: { event_id?: unknown }, retried: boolean, messageTs: string): { who: Partial<InboundBase>; marker?: DeliveryMarker } {
  if (typeof body.event_id !== 'string') return { who: {} };
  return {
    who: { eventId: body.event_id, repliesOnReplay: true },
    marker: { key: `event:${body.event_id}`, lookFirst: retried, since: Number(messageTs) * 1000 },
  };
}

export function registerMessageListeners(app: App, deps: ListenerDeps): void {
  // Direct messages: answer in the DM, in the thread when the user wrote in one.
  app.event('message', async ({ event, body, context }) => {
    const message = event as unknown as MessageLike;
    if (message.channel_type !== 'im' || message.bot_id || !message.user) return;
    if (!ANSWERABLE_SUBTYPES.has(message.subtype)) return;
    const text = stripBotMention(message.text ?? '', context.botUserId);
    if (!text) return;
    const ref = { channel: message.channel, ...(message.thread_ts ? { threadTs: message.thread_ts } : {}) };
    const turn = eventTurn(body, context.retryNum !== undefined, message.ts);
    const who: InboundBase = {
      channel: 'slack',
      conversationId: encodeConversationId(ref),
      userId: message.user,
      lookupUser: lookupUser(deps, message.user),
      ...turn.who,
    };
    await deps.runner.run(messageInbound(who, text, message.channel), ref, turn.marker);
  });

  // Mentions in channels: always answer in the thread, so a channel stays readable.
  app.event('app_mention', async ({ event, body, context }) => {
    const mention = event as unknown as MessageLike;
    if (mention.bot_id || !mention.user) return;
    const ref = { channel: mention.channel, threadTs: mention.thread_ts ?? mention.ts };
    const text = stripBotMention(mention.text ?? '', context.botUserId);
    const turn = eventTurn(body, context.retryNum !== undefined, mention.ts);
    const who: InboundBase = {
      channel: 'slack',
      conversationId: encodeConversationId(ref),
      userId: mention.user,
      lookupUser: lookupUser(deps, mention.user),
      ...turn.who,
    };
    await deps.runner.run(messageInbound(who, text, mention.channel), ref, turn.marker);
  });
}
