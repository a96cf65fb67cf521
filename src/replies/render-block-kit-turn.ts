import type { types } from '@slack/bolt';
import type { Reply } from './reply';
import { SLACK_LIMITS, renderBlockKit, type BlockKitMessage, type RenderOptions } from './render-block-kit';

/**
 * A turn's replies → as few Slack messages as the limits allow, usually one: every Web API call
 * costs the server CPU and the user a separate notification. Replies keep their order, a divider
 * separates them, and a message is only split between two replies, never inside one (a reply
 * that alone exceeds a limit is already cut to fit by renderBlockKit).
 */

export type TurnRenderOptions = Pick<RenderOptions, 'conversationId'>;

const TEXT_SEPARATOR = '\n\n';

export function renderBlockKitTurn(replies: Reply[], options: TurnRenderOptions = {}): BlockKitMessage[] {
  // Each reply gets its own id scope, so two replies' buttons never share an action or block id,
  // whichever message they end up in.
  const rendered = replies.map((reply, i) => renderBlockKit(reply, { ...options, idScope: `${i}.` }));
  const visible = rendered.filter((m) => m.blocks.length > 0);
  // Nothing to show but something was meant to be said: one plain message, as a single reply would give.
  if (visible.length === 0) return rendered.length > 0 ? [rendered[0]!] : [];

  const messages: BlockKitMessage[] = [];
  let current: BlockKitMessage | undefined;
  for (const next of visible) {
    if (current && fits(current, next)) {
      current.blocks.push(divider(), ...next.blocks);
      current.text = current.text + TEXT_SEPARATOR + next.text;
      continue;
    }
    if (current) messages.push(current);
    current = { text: next.text, blocks: [...next.blocks] };
  }
  if (current) messages.push(current);
  // Within messageText: a reply's own text is cut to fallbackText, and fits() checks every merge.
  return messages;
}

function divider(): types.DividerBlock {
  return { type: 'divider' };
}

function fits(current: BlockKitMessage, next: BlockKitMessage): boolean {
  const blocks = current.blocks.length + 1 + next.blocks.length;
  const text = current.text.length + TEXT_SEPARATOR.length + next.text.length;
  return blocks <= SLACK_LIMITS.blocks && text <= SLACK_LIMITS.messageText;
}
