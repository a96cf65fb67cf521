import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Reply } from '../replies/reply';
import { t, type MessageKey } from '../shared/i18n';
import { localeLang, numberLocale, type Lang } from '../shared/lang';
import { createMemoryRateLimits, type BucketRequest, type RateLimit, type RateLimits } from '../shared/rate-limiter';
import { truncate } from '../shared/truncate';
import type { Engine } from './engine';
import type { Inbound } from './inbound';

/**
 * What every channel puts between a platform event and the engine, so Teams, Slack and the web chat
 * behave the same under abuse and failure:
 *  - per-user, per-conversation and per-client-address rate limits: over the limit, the engine is
 *    not called and the user is told how long to wait — once on Teams and Slack, where every reply
 *    is a new post (further messages while still limited get none, so a flood is not answered with a
 *    flood; the first notice names the wait), and every time in the web chat, where the reply is the
 *    answer to the request itself. The web chat's own automatic messages (the opener, the language
 *    toggle) are not the user typing and never spend a turn;
 *  - the message text cap: longer text is cut and the reply starts with a note that it was;
 *  - a failing engine (database down, a bug) turns into a short apology instead of no answer, in
 *    the language the conversation is in (or the user's locale by the one rule, or DEFAULT_LANG).
 */

export interface GuardSettings {
  maxMessageChars: number;
  /** `address` applies to events that carry a client address (the web chat); absent: no address limit. */
  rateLimits: { user: RateLimit; conversation: RateLimit; address?: RateLimit };
  /** Where the buckets live (PostgreSQL: shared by every instance); default this process's memory, from `rateLimits`. */
  limits?: RateLimits<LimitKind>;
  defaultLang: Lang;
  logger: Logger;
  clock?: () => number;
}

/** Channels where a reply answers the request that asked (not a new post): a limited turn there always hears why. */
const ANSWERS_EVERY_REQUEST: ReadonlySet<Inbound['channel']> = new Set(['web', 'cli']);

/** Conversations whose language we remember for notices (a bounded, least recently used map). */
const MAX_REMEMBERED_LANGS = 10_000;
/** Keys told they are limited, remembered until their wait is over (bounded like the buckets). */
const MAX_NOTIFIED_KEYS = 50_000;

type LimitKind = 'address' | 'user' | 'conversation';

/** What a client sends by itself, not the user: opening a conversation, switching its language. */
function automatic(inbound: Inbound): boolean {
  return inbound.kind === 'installed' || (inbound.kind === 'action' && inbound.action.type === 'set-lang');
}

function notice(lang: Lang, key: MessageKey, vars: Record<string, unknown> = {}): Reply {
  return { kind: 'notice', lang, text: [t(lang, key, vars)] };
}

export function createGuardedEngine(engine: Engine, settings: GuardSettings): Engine {
  const { logger } = settings;
  const clock = settings.clock ?? Date.now;
  const limits =
    settings.limits ??
    createMemoryRateLimits<LimitKind>({ ...settings.rateLimits, address: settings.rateLimits.address ?? { perMinute: 0, burst: 1 } }, { clock });
  /** Keys told they are limited, until their wait is over: later messages in that window stay unanswered. */
  const notified = new LRUCache<string, true>({ max: MAX_NOTIFIED_KEYS, ttlResolution: 0, perf: { now: clock } });
  const langs = new LRUCache<string, Lang>({ max: MAX_REMEMBERED_LANGS });

  const conversationKey = (inbound: Inbound): string => `${inbound.channel}:${inbound.conversationId}`;

  function langFor(inbound: Inbound): Lang {
    return langs.get(conversationKey(inbound)) ?? localeLang(inbound.locale, settings.defaultLang);
  }

  /** For the rare apology it is worth asking the platform for the user's locale (Slack: users.info). */
  async function apologyLang(inbound: Inbound): Promise<Lang> {
    if (langs.has(conversationKey(inbound)) || inbound.locale || !inbound.lookupUser) return langFor(inbound);
    const found = await inbound.lookupUser().catch(() => undefined);
    return localeLang(found?.locale, settings.defaultLang);
  }

  function rememberLang(inbound: Inbound, replies: Reply[]): void {
    const lang = replies[replies.length - 1]?.lang;
    if (!lang) return;
    langs.set(conversationKey(inbound), lang);
  }

  /** Undefined when the turn may go ahead; otherwise the replies for a limited turn. */
  async function limit(inbound: Inbound): Promise<Reply[] | undefined> {
    if (automatic(inbound)) return undefined;
    const buckets: BucketRequest<LimitKind>[] = [
      ...(inbound.clientAddress ? [{ kind: 'address' as const, key: inbound.clientAddress }] : []),
      { kind: 'user', key: `${inbound.channel}:${inbound.userId}` },
      { kind: 'conversation', key: conversationKey(inbound) },
    ];
    // All or nothing: a turn refused for its conversation does not cost the user a token.
    const refused = await limits.take(buckets);
    if (refused.allowed) return undefined;
    const refusedKey = `${refused.kind}:${buckets.find((bucket) => bucket.kind === refused.kind)?.key ?? ''}`;
    const alreadyTold = notified.has(refusedKey);
    logger.warn({ channel: inbound.channel, limit: refused.kind, retryAfterMs: refused.retryAfterMs, told: !alreadyTold }, 'rate limit reached; turn refused');
    const seconds = Math.max(1, Math.ceil(refused.retryAfterMs / 1000));
    if (alreadyTold) return ANSWERS_EVERY_REQUEST.has(inbound.channel) ? [notice(langFor(inbound), 'channels:limits.rateLimitedAgain', { seconds })] : [];
    notified.set(refusedKey, true, { ttl: Math.max(1, refused.retryAfterMs) });
    return [notice(langFor(inbound), 'channels:limits.rateLimited', { seconds })];
  }

  return {
    async handle(inbound) {
      // Limits that cannot be read (the database is down) let the turn through: it fails, and apologises, on its own.
      const limited = await limit(inbound).catch((err: unknown) => {
        logger.warn({ err, channel: inbound.channel }, 'rate limits unavailable; turn let through');
        return undefined;
      });
      if (limited) return limited;

      const cut = inbound.kind === 'message' && inbound.text.length > settings.maxMessageChars;
      const turn: Inbound = cut ? { ...inbound, text: truncate(inbound.text, settings.maxMessageChars, { ellipsis: '' }) } : inbound;
      let replies: Reply[];
      try {
        replies = await engine.handle(turn);
      } catch (err) {
        // Name and message only: a driver error can quote a statement, never the user's text.
        logger.error({ err, channel: inbound.channel }, 'turn failed; the user was told to try again');
        return [notice(await apologyLang(inbound), 'channels:errors.turn')];
      }
      rememberLang(inbound, replies);
      if (!cut) return replies;
      const lang = replies[0]?.lang ?? langFor(inbound);
      return [notice(lang, 'channels:limits.truncated', { max: settings.maxMessageChars.toLocaleString(numberLocale(lang)) }), ...replies];
    },
  };
}
