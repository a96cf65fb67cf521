import { createHmac } from 'node:crypto';
import { messageFor } from './messages';

/**
 * Request makers for the load generators: each call gives the next request of a stream in which
 * every request starts a new conversation (own conversation id, own user, own event id), the way
 * a busy tenant looks to the bot.
 */

interface BenchRequest {
  body: string;
  headers: Record<string, string>;
  /** Where the reply to this request will show up (Slack: channel|thread_ts), for end-to-end timing. */
  replyKey?: string;
}

export type RequestMaker = () => BenchRequest;

const BOT = { id: '28:bench-bot', name: 'marsbot' };
export const SLACK_SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
const SLACK_BOT_USER = 'UBENCHBOT';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes. */
function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Teams message activities as the Bot Connector posts them: 80 % personal chats, 20 % @mentions in
 * a channel thread. `prefix` keeps conversation ids of different runs apart. `authorization`: the
 * Bot Connector's bearer token, for a bot with MicrosoftAppId (one token for the whole run, as the
 * Connector reuses its token for up to an hour).
 */
export function teamsRequests(serviceUrl: string, prefix: string, authorization?: string): RequestMaker {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
  let n = 0;
  return () => {
    const i = n++;
    const inChannel = i % 5 === 4;
    const text = messageFor(i);
    const mention = `<at>${BOT.name}</at>`;
    const activity = {
      type: 'message',
      id: `${prefix}-act-${i}`,
      timestamp: new Date().toISOString(),
      serviceUrl,
      channelId: 'msteams',
      from: { id: `29:${prefix}-user-${i}`, name: `User ${i}`, aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
      recipient: BOT,
      conversation: inChannel
        ? { id: `19:${prefix}-channel-${i % 50}@thread.tacv2;messageid=${1_700_000_000_000 + i}`, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' }
        : { id: `a:${prefix}-personal-${i}`, conversationType: 'personal', tenantId: 'tenant-1' },
      locale: i % 3 === 0 ? 'en-US' : 'nl-NL',
      text: inChannel ? `${mention} ${text}` : text,
      textFormat: 'plain',
      entities: inChannel ? [{ type: 'mention', text: mention, mentioned: BOT }] : [],
      channelData: inChannel
        ? { tenant: { id: 'tenant-1' }, team: { id: '19:team@thread.tacv2', aadGroupId: 'group-1' }, channel: { id: `19:${prefix}-channel-${i % 50}@thread.tacv2` } }
        : { tenant: { id: 'tenant-1' } },
    };
    return { body: JSON.stringify(activity), headers };
  };
}

function slackSignature(secret: string, timestampSec: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${rawBody}`).digest('hex')}`;
}

/**
 * Signed Events API deliveries: half direct messages, half @mentions in channels (answered in a
 * thread). Every event has its own event_id, channel or thread, and user — so each turn also
 * misses the user-directory cache and calls users.info, the worst case.
 */
export function slackRequests(prefix: string): RequestMaker {
  let n = 0;
  return () => {
    const i = n++;
    const now = wallMs();
    const seconds = Math.floor(now / 1000);
    // A Slack ts is seconds.microseconds; the counter keeps it unique when two requests share a microsecond.
    const ts = `${seconds}.${String((Math.floor((now % 1000) * 1000) + i) % 1_000_000).padStart(6, '0')}`;
    const user = `U${prefix}${i.toString(36).toUpperCase()}`;
    const text = messageFor(i);
    const direct = i % 2 === 0;
    const channel = direct ? `D${prefix}${i.toString(36).toUpperCase()}` : `C${prefix}${(i % 200).toString(36).toUpperCase()}`;
    const event = direct
      ? { type: 'message', channel_type: 'im', channel, user, text, ts, event_ts: ts }
      : { type: 'app_mention', channel, user, text: `<@${SLACK_BOT_USER}> ${text}`, ts, event_ts: ts };
    const body = JSON.stringify({
      token: 'legacy-verification-token',
      team_id: 'TBENCH',
      api_app_id: 'ABENCH',
      type: 'event_callback',
      event_id: `Ev${prefix}${i.toString(36).toUpperCase()}`,
      event_time: seconds,
      authorizations: [{ team_id: 'TBENCH', user_id: SLACK_BOT_USER, is_bot: true, is_enterprise_install: false }],
      event,
    });
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(seconds),
        'x-slack-signature': slackSignature(SLACK_SIGNING_SECRET, seconds, body),
      },
      replyKey: direct ? `${channel}|` : `${channel}|${ts}`,
    };
  };
}
