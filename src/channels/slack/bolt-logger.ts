import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Bolt and the Web API client log through this adapter, so their lines land in the same
 * structured pino stream (with its secret redaction) instead of on the console.
 */
export function createBoltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  let target = logger;
  const write = (method: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => {
    const [first, ...rest] = msg;
    if (first instanceof Error) target[method]({ err: first }, rest.map(String).join(' ') || first.message);
    else target[method](msg.map((m) => (typeof m === 'string' ? m : safeString(m))).join(' '));
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel(next: LogLevel) {
      level = next;
    },
    getLevel() {
      return level;
    },
    setName(name: string) {
      target = logger.child({ component: name });
    },
  };
}

function safeString(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
