import type { Activity, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Reply } from '../../replies/reply';
import { renderAdaptiveCard, toAttachment } from '../../replies/render-adaptive-card';

/**
 * Sending to the Bot Connector. botbuilder's connector client already retries what is safe to
 * retry — 5xx answers (except 501/505), 408, 429 and 503 with Retry-After, refused or reset
 * connections — up to 3 times with exponential backoff (1 s, 2 s, 4 s, jittered). What it lacks is
 * a deadline: a Connector that accepts the connection and never answers would hold the turn
 * forever. So every send gets one here. A send that timed out is not repeated: the Connector may
 * have posted it already, and a duplicate answer is worse than a logged failure.
 */

export interface SendOptions {
  /** Per activity, retries included. Default 30 s. */
  timeoutMs?: number;
  logger?: Logger;
}

const DEFAULT_REPLY_TIMEOUT_MS = 30_000;

/** The Connector did not confirm a send in time. */
class ReplyTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the Bot Connector did not confirm the reply within ${timeoutMs} ms`);
    this.name = 'ReplyTimeoutError';
  }
}

/**
 * One activity, with a deadline; a failure is logged once here and rethrown for the turn to handle.
 * Resolves with the id the Connector gave the activity, when it gave one.
 */
export async function sendWithDeadline(context: TurnContext, activity: Partial<Activity> | string, options: SendOptions = {}): Promise<string | undefined> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ReplyTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    const response = await Promise.race([context.sendActivity(activity), deadline]);
    return response?.id;
  } catch (err) {
    options.logger?.error(
      { err, conversationType: context.activity.conversation.conversationType },
      err instanceof ReplyTimeoutError ? 'reply to Teams timed out; not retried' : 'reply to Teams failed',
    );
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One message per turn: the answer card and its follow-up question card stacked as attachments
 * (list layout). One Bot Connector call instead of one per card halves the cost of a turn, and
 * the user sees one message, not two.
 */
export async function sendReplies(context: TurnContext, replies: Reply[], options: SendOptions = {}): Promise<string | undefined> {
  if (replies.length === 0) return undefined;
  const summary = replies.find((r) => r.title)?.title;
  return sendWithDeadline(
    context,
    {
      type: 'message',
      attachmentLayout: 'list',
      attachments: replies.map((reply) => toAttachment(renderAdaptiveCard(reply))),
      ...(summary ? { summary } : {}),
    },
    options,
  );
}
