import type { App, BlockAction } from '@slack/bolt';
import { ACTION_ID_PREFIX, FORM_ACTION_ID_PREFIX } from '../../../replies/render-block-kit';
import { conversationFromBlockId, decodeActionValue, decodeFormValue } from '../read-slack-payload';
import { decodeConversationId, encodeConversationId, isDirectMessage, type SlackConversationRef } from '../conversation-ref';
import { ticketRequestOf, type Inbound, type InboundBase } from '../../../conversation/inbound';
import type { Destination } from '../reply-delivery';
import { openEscalationModal, openFormIfAny } from './escalation-modal';
import type { ListenerDeps } from './listener-deps';

interface ClickedElement {
  type: string;
  block_id?: string;
  action_id: string;
  action_ts?: string;
  value?: string;
}

/**
 * Where a click belongs. Blocks we rendered carry their conversation in the block id; otherwise
 * (the support channel) it is the message's thread, or the message itself in a channel.
 */
function conversationOf(body: BlockAction, element: ClickedElement): SlackConversationRef | undefined {
  const stamped = conversationFromBlockId(element.block_id);
  if (stamped) return decodeConversationId(stamped);
  const container = body.container as { channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
  const channel = body.channel?.id ?? container.channel_id;
  if (!channel) return undefined;
  if (container.is_ephemeral) return { channel, ephemeralUser: body.user.id };
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  const threadTs = message?.thread_ts ?? container.thread_ts ?? (channel.startsWith('D') ? undefined : (message?.ts ?? container.message_ts));
  return { channel, ...(threadTs ? { threadTs } : {}) };
}

/** The channel the click happened in, as Slack (not the message's content) says. */
function clickedIn(body: BlockAction): string | undefined {
  return body.channel?.id ?? (body.container as { channel_id?: string }).channel_id;
}

function messageTs(body: BlockAction): string | undefined {
  return (body.container as { message_ts?: string }).message_ts ?? (body.message as { ts?: string } | undefined)?.ts;
}

export function registerActionListeners(app: App, deps: ListenerDeps): void {
  // Buttons (and Slack's feedback buttons) whose value is an ActionPayload for the engine.
  app.action<BlockAction>(new RegExp(`^${ACTION_ID_PREFIX}`), async ({ ack, body, action }) => {
    await ack();
    const element = action as unknown as ClickedElement;
    const payload = decodeActionValue(element.value);
    const ref = conversationOf(body, element);
    if (!payload || !ref) {
      deps.logger.warn({ actionId: element.action_id }, 'ignored a slack click without a usable value or conversation');
      return;
    }
    const conversationId = encodeConversationId(ref);
    const destination: Destination = { ...ref, ...(body.response_url ? { responseUrl: body.response_url } : {}) };
    const profile = await deps.directory.profile(body.user.id);
    const who: InboundBase = {
      channel: 'slack',
      conversationId,
      userId: body.user.id,
      ...(profile.name || body.user.name ? { userName: profile.name ?? body.user.name } : {}),
      ...(profile.locale ? { locale: profile.locale } : {}),
      eventId: `action:${messageTs(body) ?? ''}:${element.action_ts ?? ''}:${element.action_id}`,
    };
    // Claim and Resolve steer the support desk: where the click happened decides whether it counts.
    const ticket = ticketRequestOf(payload);
    const place = clickedIn(body) ?? ref.channel;
    const inbound: Inbound = ticket
      ? { ...who, kind: 'support-action', request: ticket, where: { place, shared: !isDirectMessage(place) } }
      : { ...who, kind: 'action', action: payload };
    // The buttons that hand over to support ("Escalate", "No, hand it to support") bring the form.
    const handsOver = payload.type === 'escalate' || (payload.type === 'solved' && payload.escalate === true);
    if (!handsOver) {
      await deps.runner.run(inbound, destination);
      return;
    }
    // Escalating: open the form straight away while the click's trigger is fresh, then post.
    const replies = await deps.runner.answer(inbound);
    const ts = messageTs(body);
    await openFormIfAny(deps, body.trigger_id, replies, {
      c: conversationId,
      ...(body.response_url ? { r: body.response_url } : {}),
      ...(ts ? { m: ts } : {}),
    });
    try {
      await deps.delivery.deliver(destination, replies);
    } catch (error) {
      deps.logger.error({ err: error, conversationId }, 'could not post the escalation reply to slack');
    }
  });

  // The "open the form" button of an escalation reply.
  app.action<BlockAction>(new RegExp(`^${FORM_ACTION_ID_PREFIX}`), async ({ ack, body, action }) => {
    await ack();
    const element = action as unknown as ClickedElement;
    const decoded = decodeFormValue(element.value);
    const ref = conversationOf(body, element);
    if (!decoded || !ref) {
      deps.logger.warn('ignored a form button without a usable form or conversation');
      return;
    }
    const ts = messageTs(body);
    await openEscalationModal(deps, body.trigger_id, decoded.form, {
      c: encodeConversationId(ref),
      l: decoded.lang,
      ...(body.response_url ? { r: body.response_url } : {}),
      ...(ts ? { m: ts } : {}),
    });
  });
}
