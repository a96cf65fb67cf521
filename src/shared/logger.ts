import pino, { type Logger } from 'pino';

/**
 * One structured logger for the process; modules take a child with their own namespace.
 * Secrets are redacted by path here, and free text is passed through redactSecrets by callers
 * before it is logged (see src/support/redact.ts).
 */
const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'secret',
  '*.secret',
  '*.appPassword',
  '*.signingSecret',
  '*.botToken',
  '*.appToken',
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
