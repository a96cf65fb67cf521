import type { webApi } from '@slack/bolt';

/**
 * Slack's chat.postMessage has no idempotency key, so a post whose answer was lost (a crash, a
 * timeout) cannot simply be sent again: Slack may have it already. marsbot stamps every post it
 * may have to repeat with a key in the message's metadata, and before repeating one it reads the
 * channel (or thread) back and posts only what is not there.
 *
 * Reading needs the history scope of the kind of conversation (im:history for DMs, channels:history
 * and groups:history for channels). Where Slack refuses (a scope not granted, the bot not in the
 * channel), the lookup says so and the caller posts anyway: at least once, never lost.
 */

const MARKER_EVENT_TYPE = 'marsbot_delivery';

/** The metadata chat.postMessage carries for a post marsbot may have to repeat. */
export function markerMetadata(key: string): { event_type: string; event_payload: { key: string } } {
  return { event_type: MARKER_EVENT_TYPE, event_payload: { key } };
}

export interface MarkedConversation {
  channel: string;
  /** A thread: its replies are searched. */
  threadTs?: string;
  /** Only messages from this Slack ts on (the moment the first attempt began). */
  oldest?: string;
}

/** Slack would not show us the conversation; the caller posts without knowing. */
class LookupUnavailableError extends Error {
  constructor(reason: string) {
    super(`cannot read back the conversation: ${reason}`);
    this.name = 'LookupUnavailableError';
  }
}

interface MessageWithMetadata {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { key?: unknown } };
}

const PAGE = 200;
const MAX_PAGES = 5;

/** Epoch milliseconds → a Slack ts ("1700000000.000000"), a minute early for clock skew. */
export function slackTsSince(epochMs: number): string {
  return (Math.max(0, epochMs - 60_000) / 1000).toFixed(6);
}

/**
 * The ts of each marked message found, by key (keys not found are absent). Searches the newest
 * pages only: a repeat happens within minutes of the first attempt.
 */
export async function findMarkedPosts(client: webApi.WebClient, where: MarkedConversation, keys: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Set(keys);
  const found = new Map<string, string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES && found.size < wanted.size; page++) {
    let result: { messages?: MessageWithMetadata[]; response_metadata?: { next_cursor?: string } };
    try {
      const common = { channel: where.channel, include_all_metadata: true, limit: PAGE, ...(where.oldest ? { oldest: where.oldest } : {}), ...(cursor ? { cursor } : {}) };
      result = where.threadTs ? await client.conversations.replies({ ...common, ts: where.threadTs }) : await client.conversations.history(common);
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
      throw new LookupUnavailableError(code);
    }
    for (const message of result.messages ?? []) {
      const key = message.metadata?.event_type === MARKER_EVENT_TYPE ? message.metadata.event_payload?.key : undefined;
      if (typeof key === 'string' && wanted.has(key) && message.ts) found.set(key, message.ts);
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return found;
}
