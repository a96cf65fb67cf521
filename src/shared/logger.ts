import pino, { type Logger } from 'pino';
import { redactSecrets } from './redact';

/**
 * One structured logger for the process; modules take a child with their own namespace.
 * Secrets are redacted by path here; free text (what users typed) is only logged through
 * `messageTextField`, which honours LOG_MESSAGE_TEXT and runs the text through redactSecrets.
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

let root: Logger | undefined;

export function configureLogging(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? 'info';
  root = pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'marsbot' } }, options.destination as never);
  return root;
}

export function createLogger(namespace: string): Logger {
  if (!root) configureLogging();
  return root!.child({ ns: namespace });
}

/**
 * The `text` field of a log line about a message: nothing unless the operator turned
 * LOG_MESSAGE_TEXT on, and then with secrets (passphrases, tokens, keys) replaced.
 */
export function messageTextField(text: string | undefined, logMessageText: boolean): { text?: string } {
  return logMessageText && text ? { text: redactSecrets(text) } : {};
}
