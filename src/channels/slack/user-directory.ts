import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';

/**
 * Nice-to-have lookups: a user's locale and name (users.info) and a thread's permalink. They make
 * answers and tickets better but must never hold up an answer, so they use a client that does not
 * retry or wait out rate limits, are cached, and give undefined on any failure.
 */
interface UserProfile {
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
  const cache = new LRUCache<string, UserProfile>({ max: MAX_ENTRIES, ttl: TTL_MS, ttlResolution: 0, perf: { now } });

  return {
    async profile(userId) {
      const hit = cache.get(userId);
      if (hit) return hit;
      try {
        const result = await client.users.info({ user: userId, include_locale: true });
        const user = result.user;
        const name = user?.profile?.display_name || user?.real_name || user?.name || undefined;
        const profile: UserProfile = { ...(user?.locale ? { locale: user.locale } : {}), ...(name ? { name } : {}) };
        cache.set(userId, profile);
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
