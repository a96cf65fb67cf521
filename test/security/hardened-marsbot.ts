import type { Logger } from 'pino';
import type { Engine } from '../../src/conversation/engine';
import type { RateLimit } from '../../src/shared/rate-limiter';
import type { Store } from '../../src/storage/store';
import type { TeamsCredentials } from '../../src/channels/teams/create-teams-channel';
import { startMarsbot, type RunningMarsbot } from '../helpers/start-marsbot';

/**
 * marsbot with its hardening set the way an operator sets it: the text cap, the rate limits and the
 * timeouts as configuration, everything else the production wiring (the one harness, start-marsbot).
 */

export interface HardenedOptions {
  store?: Store;
  /** An engine behind the guard instead of the real one (a recording fake, a failing one). */
  engine?: (real: Engine) => Engine;
  credentials?: TeamsCredentials;
  maxMessageChars?: number;
  rateLimits?: { user: RateLimit; conversation: RateLimit; address?: RateLimit };
  clock?: () => number;
  requestTimeoutMs?: number;
  replyTimeoutMs?: number;
  logger?: Logger;
  logMessageText?: boolean;
}

export type HardenedMarsbot = RunningMarsbot;

const NO_LIMITS = { user: { perMinute: 0, burst: 1 }, conversation: { perMinute: 0, burst: 1 } };

export async function startHardenedMarsbot(options: HardenedOptions = {}): Promise<HardenedMarsbot> {
  const limits: NonNullable<HardenedOptions['rateLimits']> = options.rateLimits ?? NO_LIMITS;
  const env: Record<string, string> = {
    MAX_MESSAGE_CHARS: String(options.maxMessageChars ?? 4000),
    RATE_LIMIT_USER_PER_MINUTE: String(limits.user.perMinute),
    RATE_LIMIT_USER_BURST: String(limits.user.burst),
    RATE_LIMIT_CONVERSATION_PER_MINUTE: String(limits.conversation.perMinute),
    RATE_LIMIT_CONVERSATION_BURST: String(limits.conversation.burst),
    RATE_LIMIT_ADDRESS_PER_MINUTE: String(limits.address?.perMinute ?? 0),
    RATE_LIMIT_ADDRESS_BURST: String(limits.address?.burst ?? 1),
    ...(options.requestTimeoutMs ? { HTTP_REQUEST_TIMEOUT_MS: String(options.requestTimeoutMs) } : {}),
    ...(options.replyTimeoutMs ? { TEAMS_REPLY_TIMEOUT_MS: String(options.replyTimeoutMs) } : {}),
    ...(options.logMessageText ? { LOG_MESSAGE_TEXT: 'true' } : {}),
  };
  const clock = options.clock;
  return startMarsbot({
    env,
    ...(options.store ? { store: options.store } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(clock ? { clock: { now: clock } } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/** A web chat request body; ids must be 8–80 word characters. */
export function webMessage(text: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { conversationId: 'conversation-0001', userId: 'user-000001', text, locale: 'en-US', ...overrides };
}

export interface WebReply {
  kind: string;
  lang: string;
  card: { body: unknown[] };
}

export async function webReplies(res: Response): Promise<WebReply[]> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { replies: WebReply[] }).replies;
}
