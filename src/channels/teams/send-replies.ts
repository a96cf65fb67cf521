import type { TurnContext } from 'botbuilder';
import type { Reply } from '../../replies/reply';
import { renderAdaptiveCard, toAttachment } from '../../replies/render-adaptive-card';

/** One message per reply, in order: an answer card, then its follow-up question. */
export async function sendReplies(context: TurnContext, replies: Reply[]): Promise<void> {
  for (const reply of replies) {
    await context.sendActivity({
      type: 'message',
      attachments: [toAttachment(renderAdaptiveCard(reply))],
      ...(reply.title ? { summary: reply.title } : {}),
    });
  }
}
