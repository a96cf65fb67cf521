import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Nice-to-have lookups: a user's locale and name (users.info) and a thread's permalink. They make
 * answers and tickets better but must never hold up an answer, so they use a client that does not
 * retry or wait out rate limits, are cached, and give undefined on any failure.
 */
export interface UserProfile {
  locale?: string;
  name?: string;
}

export interface UserDirectory {
  profile(userId: string): Promise<UserProfile>;
  permalink(channel: string, messageTs: string): Promise<string | undefined>;
}

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 1000;

export function createUserDirectory(client: webApi.WebClient, logger: Logger, now: () => number = Date.now): UserDirectory {
  const cache = new Map<string, { profile: UserProfile; at: number }>();

  return {
    async profile(userId) {
      const hit = cache.get(userId);
      if (hit && now() - hit.at < TTL_MS) return hit.profile;
      try {
        const result = await client.users.info({ user: userId, include_locale: true });
        const user = result.user;
        const name = user?.profile?.display_name || user?.real_name || user?.name || undefined;
        const profile: UserProfile = { ...(user?.locale ? { locale: user.locale } : {}), ...(name ? { name } : {}) };
        if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
        cache.set(userId, { profile, at: now() });
        return profile;
      } catch (error) {
        logger.debug({ err: error }, 'users.info unavailable; going on without locale');
        return {};
      }
    },
    async permalink(channel, messageTs) {
      try {
        const result = await client.chat.getPermalink({ channel, message_ts: messageTs });
        return result.permalink;
      } catch (error) {
        logger.debug({ err: error }, 'chat.getPermalink unavailable');
        return undefined;
      }
    },
  };
}
