import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { DEFAULT_LANG_UNSET, LANGS, type Lang } from './shared/lang';
import { BOT_FRAMEWORK_SERVICE_HOSTS, HOST_PATTERN, checkServiceUrl } from './shared/service-url-hosts';

/**
 * The one place that reads the environment. Everything else receives these settings as parameters,
 * so tests pass their own values and nothing changes behind a running server's back.
 */

/** A token bucket: `burst` turns at once, refilled at `perMinute`. */
interface RateLimitSetting {
  perMinute: number;
  burst: number;
}

type TeamsAppType = 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';

/** A stored Bot Framework conversation reference: where proactive messages to the support team go. */
interface TeamsConversationReference {
  serviceUrl: string;
  channelId: string;
  conversation: { id: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface Config {
  port: number;
  /**
   * The interface to listen on. Unset HOST: all interfaces with MicrosoftAppId (Teams must reach
   * the bot), loopback only without one (the Teams endpoint is open then, and must not be reachable
   * from other machines unless the operator says so).
   */
  host: string;
  /** Whether HOST was set, rather than chosen by the rule above (the start-up line says which). */
  hostConfigured: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Whether log lines may carry what users typed (off by default: messages can hold customer data). */
  logMessageText: boolean;
  defaultLang: Lang;
  /** Longer messages are cut to this many characters before they reach the conversation engine. */
  maxMessageChars: number;
  /**
   * Turns per user, per conversation and per client address (the web chat, whose clients talk to
   * us directly): a token bucket each (0 per minute = no limit).
   */
  rateLimits: { user: RateLimitSetting; conversation: RateLimitSetting; address: RateLimitSetting };
  /** Tickets one conversation and one client address may open in any 60 minutes (0 = no cap). */
  ticketLimits: { perConversationPerHour: number; perAddressPerHour: number };
  http: {
    /** A client must have sent its whole request within this time (slow or stalled clients get 408). */
    requestTimeoutMs: number;
    /**
     * How many reverse proxies in front of marsbot append to X-Forwarded-For. 0: the header is
     * ignored and the client address is the socket's (a client could write anything in it).
     */
    trustProxyHops: number;
    /** How long a graceful shutdown may take to finish turns in flight before the process stops anyway. */
    shutdownTimeoutMs: number;
  };
  /** How long one reply to the Bot Connector may take before the turn gives up on it. */
  teamsReplyTimeoutMs: number;
  teams: {
    appId?: string;
    appPassword?: string;
    tenantId?: string;
    appType: TeamsAppType;
    /** Without an app id the bot accepts unauthenticated requests: for local testing only. */
    secured: boolean;
    supportConversation?: TeamsConversationReference;
    /** Service URL hosts replies may go to (besides loopback): `host` or `*.domain`. */
    serviceUrlHosts: readonly string[];
  };
  /** Present only when the Slack settings are complete enough to run the Slack channel. */
  slack?: {
    /** Verifies HTTP requests; absent in Socket Mode, where Slack needs no public endpoint. */
    signingSecret?: string;
    botToken: string;
    appToken?: string;
    apiUrl?: string;
    supportChannel?: string;
  };
  /**
   * Who may move the support channel from the chat ("set support channel"): Teams AAD object ids and
   * Slack user ids. Empty: only configuration sets it.
   */
  supportAdmins: readonly string[];
  storage: { databaseUrl?: string; sqlitePath: string };
  /**
   * Conversations (state and Teams conversation references) idle this many days, and outbox messages
   * delivered this many days ago, are deleted. 0 keeps everything forever.
   */
  retentionDays: number;
  /** `timeoutMs`: how long one delivery may take before it counts as failed and is tried again. */
  escalationWebhook?: { url: string; secret: string; timeoutMs: number };
  /** The delivery loop for support-channel posts, user notices and webhook events. */
  outbox: {
    /** How often an idle instance looks for due messages. */
    pollMs: number;
    /** First retry delay after a failed delivery; it doubles per failure (with jitter) up to 10 minutes. */
    retryBaseMs: number;
    /** How long a message being delivered is reserved; after a crash it goes out again once this has passed. */
    leaseMs: number;
  };
  /** Who reports from the command line (`marsbot chat`): a terminal has no sign-in. Unset: the OS user. */
  cliReporter: { name?: string; contact?: string };
}

/** Thrown for an invalid environment; the message names every variable at fault. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Empty strings count as unset: an .env copied from .env.example leaves many variables blank.
const optionalString = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional());

function withDefault<T extends z.ZodType>(schema: T, fallback: z.input<T>) {
  return z.preprocess((v) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? fallback : v), schema);
}

const booleanText = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const httpUrl = z
  .url()
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL');

const conversationReference = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON conversation reference' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .object({
        serviceUrl: httpUrl,
        channelId: z.string().min(1),
        conversation: z.object({ id: z.string().min(1) }).loose(),
      })
      .loose(),
  );

// Comma- or space-separated ids: AAD object ids (GUIDs) for Teams, U…/W… ids for Slack.
const supportAdmins = z
  .string()
  .optional()
  .transform((text) => (text ?? '').split(/[\s,;]+/).filter((id) => id !== ''))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9:._@-]{2,100}$/, 'must be a list of Teams AAD object ids and Slack user ids, separated by commas')));

// Host names or *.domain patterns, comma- or space-separated.
const hostPatterns = z
  .string()
  .transform((text) => text.toLowerCase().split(/[\s,;]+/).filter((host) => host !== ''))
  .pipe(z.array(z.string().regex(HOST_PATTERN, 'must be host names or *.domain patterns, separated by commas')).min(1, 'must name at least one host'));

const envSchema = z.object({
  PORT: withDefault(z.coerce.number().int().min(0).max(65535), '3978'),
  HOST: optionalString.pipe(z.string().min(1).optional()),
  TRUST_PROXY_HOPS: withDefault(z.coerce.number().int().min(0).max(10), '0'),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  LOG_MESSAGE_TEXT: withDefault(booleanText, 'false'),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppTenantId: optionalString,
  MicrosoftAppType: withDefault(z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']), 'MultiTenant'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalString.pipe(httpUrl.optional()),
  SUPPORT_SLACK_CHANNEL: optionalString,
  SUPPORT_TEAMS_CONVERSATION: optionalString.pipe(conversationReference.optional()),
  TEAMS_SERVICE_URL_HOSTS: optionalString.pipe(hostPatterns.optional()),
  SUPPORT_ADMINS: optionalString.pipe(supportAdmins),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .refine((v) => /^postgres(ql)?:\/\//i.test(v), 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  SQLITE_PATH: withDefault(z.string().trim().min(1), './data/marsbot.db'),
  RETENTION_DAYS: withDefault(
    z.coerce
      .number({ error: 'must be a whole number of days (0 keeps everything)' })
      .int('must be a whole number of days (0 keeps everything)')
      .min(0, 'must be between 0 (keep everything) and 3650 days')
      .max(3650, 'must be between 0 (keep everything) and 3650 days'),
    '90',
  ),
  ESCALATION_WEBHOOK_URL: optionalString.pipe(httpUrl.optional()),
  ESCALATION_WEBHOOK_SECRET: optionalString,
  ESCALATION_WEBHOOK_TIMEOUT_MS: withDefault(z.coerce.number().int().min(1_000).max(600_000), '10000'),
  DEFAULT_LANG: withDefault(z.enum(LANGS), DEFAULT_LANG_UNSET),
  // Default: the HTTP body limit (1 MiB), so a long pasted log reaches the matcher whole (it scores an
  // excerpt and searches the rest for error ids); lower it to refuse to read long messages at all.
  MAX_MESSAGE_CHARS: withDefault(z.coerce.number().int().min(100).max(1_048_576), '1048576'),
  RATE_LIMIT_USER_PER_MINUTE: withDefault(z.coerce.number().min(0).max(100_000), '20'),
  RATE_LIMIT_USER_BURST: withDefault(z.coerce.number().int().min(1).max(100_000), '10'),
  RATE_LIMIT_CONVERSATION_PER_MINUTE: withDefault(z.coerce.number().min(0).max(100_000), '60'),
  RATE_LIMIT_CONVERSATION_BURST: withDefault(z.coerce.number().int().min(1).max(100_000), '30'),
  RATE_LIMIT_ADDRESS_PER_MINUTE: withDefault(z.coerce.number().min(0).max(100_000), '60'),
  RATE_LIMIT_ADDRESS_BURST: withDefault(z.coerce.number().int().min(1).max(100_000), '30'),
  TICKETS_PER_CONVERSATION_PER_HOUR: withDefault(z.coerce.number().int().min(0).max(10_000), '3'),
  TICKETS_PER_ADDRESS_PER_HOUR: withDefault(z.coerce.number().int().min(0).max(10_000), '10'),
  HTTP_REQUEST_TIMEOUT_MS: withDefault(z.coerce.number().int().min(1_000).max(600_000), '30000'),
  SHUTDOWN_TIMEOUT_MS: withDefault(z.coerce.number().int().min(1_000).max(600_000), '25000'),
  TEAMS_REPLY_TIMEOUT_MS: withDefault(z.coerce.number().int().min(1_000).max(300_000), '30000'),
  OUTBOX_POLL_MS: withDefault(z.coerce.number().int().min(10).max(600_000), '2000'),
  OUTBOX_RETRY_BASE_MS: withDefault(z.coerce.number().int().min(10).max(600_000), '5000'),
  // At least 2 s: a delivery gets half the lease as its timeout before another attempt may start.
  OUTBOX_LEASE_MS: withDefault(z.coerce.number().int().min(2_000).max(3_600_000), '60000'),
  MARSBOT_USER: optionalString,
  MARSBOT_CONTACT: optionalString,
});

type Env = z.infer<typeof envSchema>;

function crossChecks(env: Env): string[] {
  const problems: string[] = [];
  if (env.MicrosoftAppId && env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
    problems.push('MicrosoftAppPassword: required when MicrosoftAppId is set (except for MicrosoftAppType=UserAssignedMSI)');
  }
  if (!env.MicrosoftAppId && env.MicrosoftAppPassword) {
    problems.push('MicrosoftAppId: required when MicrosoftAppPassword is set');
  }
  if (env.MicrosoftAppType === 'SingleTenant' && env.MicrosoftAppId && !env.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant');
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    problems.push('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (!env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) {
    problems.push(`SLACK_BOT_TOKEN: required when ${env.SLACK_SIGNING_SECRET ? 'SLACK_SIGNING_SECRET' : 'SLACK_APP_TOKEN'} is set`);
  }
  if (env.ESCALATION_WEBHOOK_SECRET && !env.ESCALATION_WEBHOOK_URL) {
    problems.push('ESCALATION_WEBHOOK_URL: required when ESCALATION_WEBHOOK_SECRET is set');
  }
  const supportServiceUrl = env.SUPPORT_TEAMS_CONVERSATION?.serviceUrl;
  if (supportServiceUrl) {
    const verdict = checkServiceUrl(supportServiceUrl, env.TEAMS_SERVICE_URL_HOSTS ?? BOT_FRAMEWORK_SERVICE_HOSTS);
    if (!verdict.allowed) problems.push(`SUPPORT_TEAMS_CONVERSATION: its serviceUrl is refused (${verdict.reason}); add the host to TEAMS_SERVICE_URL_HOSTS if it is your cloud's`);
  }
  if (env.ESCALATION_WEBHOOK_URL && !env.ESCALATION_WEBHOOK_SECRET) {
    problems.push('ESCALATION_WEBHOOK_SECRET: required when ESCALATION_WEBHOOK_URL is set (receivers verify the signature with it)');
  }
  return problems;
}

/** Reads a .env file into a plain object; variables already in the environment win over it. */
function readDotenv(path = '.env'): Record<string, string> {
  return existsSync(path) ? parseDotenv(readFileSync(path)) : {};
}

/**
 * Validates the environment once and returns a frozen, typed config.
 * Throws ConfigError naming each variable that is wrong.
 */
export function loadConfig(env: Record<string, string | undefined> = { ...readDotenv(), ...process.env }): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        return `${name}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const problems = crossChecks(e);
  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    port: e.PORT,
    host: e.HOST ?? (e.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1'),
    hostConfigured: e.HOST !== undefined,
    logLevel: e.LOG_LEVEL,
    logMessageText: e.LOG_MESSAGE_TEXT,
    defaultLang: e.DEFAULT_LANG,
    maxMessageChars: e.MAX_MESSAGE_CHARS,
    rateLimits: {
      user: { perMinute: e.RATE_LIMIT_USER_PER_MINUTE, burst: e.RATE_LIMIT_USER_BURST },
      conversation: { perMinute: e.RATE_LIMIT_CONVERSATION_PER_MINUTE, burst: e.RATE_LIMIT_CONVERSATION_BURST },
      address: { perMinute: e.RATE_LIMIT_ADDRESS_PER_MINUTE, burst: e.RATE_LIMIT_ADDRESS_BURST },
    },
    ticketLimits: { perConversationPerHour: e.TICKETS_PER_CONVERSATION_PER_HOUR, perAddressPerHour: e.TICKETS_PER_ADDRESS_PER_HOUR },
    http: { requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS, trustProxyHops: e.TRUST_PROXY_HOPS, shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    teamsReplyTimeoutMs: e.TEAMS_REPLY_TIMEOUT_MS,
    teams: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      tenantId: e.MicrosoftAppTenantId,
      appType: e.MicrosoftAppType,
      secured: Boolean(e.MicrosoftAppId),
      supportConversation: e.SUPPORT_TEAMS_CONVERSATION,
      serviceUrlHosts: e.TEAMS_SERVICE_URL_HOSTS ?? BOT_FRAMEWORK_SERVICE_HOSTS,
    },
    slack:
      e.SLACK_BOT_TOKEN && (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN)
        ? {
            signingSecret: e.SLACK_SIGNING_SECRET,
            botToken: e.SLACK_BOT_TOKEN,
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
            supportChannel: e.SUPPORT_SLACK_CHANNEL,
          }
        : undefined,
    supportAdmins: e.SUPPORT_ADMINS,
    storage: { databaseUrl: e.DATABASE_URL, sqlitePath: e.SQLITE_PATH },
    retentionDays: e.RETENTION_DAYS,
    escalationWebhook:
      e.ESCALATION_WEBHOOK_URL && e.ESCALATION_WEBHOOK_SECRET
        ? { url: e.ESCALATION_WEBHOOK_URL, secret: e.ESCALATION_WEBHOOK_SECRET, timeoutMs: e.ESCALATION_WEBHOOK_TIMEOUT_MS }
        : undefined,
    outbox: { pollMs: e.OUTBOX_POLL_MS, retryBaseMs: e.OUTBOX_RETRY_BASE_MS, leaseMs: e.OUTBOX_LEASE_MS },
    cliReporter: { name: e.MARSBOT_USER, contact: e.MARSBOT_CONTACT },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
