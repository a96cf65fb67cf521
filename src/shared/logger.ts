import pino, { stdSerializers, type Logger } from 'pino';
import { redactSecrets } from './redact';

/**
 * One structured logger for the process; modules take a child with their own namespace.
 * Secrets are redacted twice over: by field name (a `password` field is censored whatever it
 * holds), and every string of every record — message, fields, error messages, what Bolt and the
 * Bot Framework log — goes through redactSecrets. Free text (what users typed) is only logged
 * through `messageTextField`, which honours LOG_MESSAGE_TEXT.
 */
const SECRET_FIELDS = [
  'password',
  'token',
  'authorization',
  'cookie',
  'secret',
  'appPassword',
  'MicrosoftAppPassword',
  'signingSecret',
  'botToken',
  'appToken',
  'clientSecret',
  // Connection strings carry the database password.
  'databaseUrl',
  'connectionString',
];
const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-slack-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** The same names at any depth: an error's own fields (an HTTP client's request config) nest deeper than the paths reach. */
const SECRET_KEYS = new Set(SECRET_FIELDS.map((field) => field.toLowerCase()));

/** Log records are small; anything nested deeper than this is left out rather than walked. */
const MAX_DEPTH = 8;

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  seen.add(value);
  if (value instanceof Error) return redactValue(stdSerializers.err(value), depth, seen);
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return redactValue(json.call(value), depth + 1, seen);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEYS.has(key.toLowerCase()) ? '[redacted]' : redactValue(item, depth + 1, seen);
  return out;
}

/**
 * Every string of a log record's fields, redacted (errors first turned into plain objects). The
 * `err` field keeps its Error for pino's error serializer, which redacts it (see serializeError).
 */
function redactLogRecord(record: Record<string, unknown>): Record<string, unknown> {
  const { err, ...rest } = record;
  const redacted = redactValue(rest, 0, new WeakSet()) as Record<string, unknown>;
  if (err === undefined) return redacted;
  return { ...redacted, err: err instanceof Error ? err : redactValue(err, 1, new WeakSet()) };
}

function serializeError(err: unknown): unknown {
  return redactValue(err instanceof Error ? stdSerializers.err(err) : err, 1, new WeakSet());
}

let root: Logger | undefined;
/** Bumped by every configureLogging: module loggers made before it follow the new configuration. */
let generation = 0;

export function configureLogging(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? 'info';
  generation += 1;
  root = pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { app: 'marsbot' },
      formatters: { log: redactLogRecord },
      serializers: { err: serializeError },
      hooks: {
        // The message and its interpolation arguments ("%s"); objects go through formatters.log.
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // log.error(err) takes the error's message as the line's message: redact it like any other.
          const expanded = first instanceof Error && typeof rest[0] !== 'string' ? [{ err: first }, first.message, ...rest] : args;
          const redacted = expanded.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as typeof args;
          method.apply(this, redacted);
        },
      },
    },
    options.destination as never,
  );
  return root;
}

/**
 * A module's logger. Modules make theirs when they are loaded, which can be before the process has
 * configured logging (the CLI sends logs to a file or stderr, the server to stdout): the logger
 * always writes through the configuration of the moment, so no line lands where it should not.
 */
export function createLogger(namespace: string): Logger {
  let made: { generation: number; logger: Logger } | undefined;
  const current = (): Logger => {
    if (!root) configureLogging();
    if (!made || made.generation !== generation) made = { generation, logger: root!.child({ ns: namespace }) };
    return made.logger;
  };
  return new Proxy({} as Logger, {
    get(_target, property) {
      const logger = current();
      const value = Reflect.get(logger, property, logger) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(logger) : value;
    },
    set(_target, property, value) {
      return Reflect.set(current(), property, value);
    },
  });
}

/**
 * The `text` field of a log line about a message: nothing unless the operator turned
 * LOG_MESSAGE_TEXT on, and then with secrets (passphrases, tokens, keys) replaced.
 */
export function messageTextField(text: string | undefined, logMessageText: boolean): { text?: string } {
  return logMessageText && text ? { text: redactSecrets(text) } : {};
}
