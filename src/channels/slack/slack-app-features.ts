/**
 * What the Slack app declares in manifest/slack/*.yml and the code handles. The manifest test
 * holds the two together, so neither can grow a feature the other does not know about.
 */

/** Event subscriptions (bot events). message.im arrives as a "message" event with channel_type "im". */
export const BOT_EVENTS = ['app_home_opened', 'app_mention', 'message.im'] as const;

export const SLASH_COMMAND = '/mars';

export const MESSAGE_SHORTCUT = { callbackId: 'analyse_with_marsbot', name: 'Analyseer met marsbot' } as const;

/** Every bot scope the code needs, and why; nothing more. */
export const BOT_SCOPES = {
  'app_mentions:read': 'receive app_mention events',
  'channels:history': 'read back a public channel or thread before repeating a post whose answer was lost (a crash, a timeout)',
  'chat:write': 'chat.postMessage and chat.postEphemeral',
  commands: 'the /mars slash command and the message shortcut',
  'groups:history': 'the same for a private channel (a support channel often is one)',
  'im:history': 'receive message.im events (direct messages), and read a DM back before repeating a reply',
  'users:read': 'users.info for the locale and name of a user',
} as const;
