/**
 * A Slack conversation as the engine and the tickets know it, and how to reach it again:
 * "D123" (a DM), "C123/1712345678.000100" (a thread), "C123@U456" (ephemeral answers to one user,
 * from the slash command). The id alone is enough to post into the conversation later.
 */
export interface SlackConversationRef {
  channel: string;
  threadTs?: string;
  /** Answers are only visible to this user (slash command conversations). */
  ephemeralUser?: string;
}

const PATTERN = /^([A-Z0-9]+)(?:\/(\d+\.\d+))?(?:@([A-Z0-9]+))?$/;

export function encodeConversationId(ref: SlackConversationRef): string {
  return `${ref.channel}${ref.threadTs ? `/${ref.threadTs}` : ''}${ref.ephemeralUser ? `@${ref.ephemeralUser}` : ''}`;
}

export function decodeConversationId(id: string): SlackConversationRef | undefined {
  const match = PATTERN.exec(id);
  if (!match) return undefined;
  const [, channel, threadTs, ephemeralUser] = match;
  return {
    channel: channel!,
    ...(threadTs ? { threadTs } : {}),
    ...(ephemeralUser ? { ephemeralUser } : {}),
  };
}

/** Slack's direct message channels start with D; C and G are channels and group conversations. */
export function isDirectMessage(channel: string): boolean {
  return channel.startsWith('D');
}
