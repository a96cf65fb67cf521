import { userInfo } from 'node:os';
import type { Reporter } from './chat-jsonl';

/** Used when even the operating system cannot name the user (a container without a passwd entry). */
const UNKNOWN_USER = 'cli-user';

function osUser(): string {
  try {
    return userInfo().username || UNKNOWN_USER;
  } catch {
    return UNKNOWN_USER;
  }
}

const given = (value: string | undefined): string | undefined => (value !== undefined && value.trim() !== '' ? value.trim() : undefined);

/**
 * Who is reporting from the terminal: the command line first, then the environment
 * (MARSBOT_USER, MARSBOT_CONTACT), then the operating-system user. A name alone is also the contact.
 */
export function reporterFrom(flags: { user?: string; contact?: string }, configured: { name?: string; contact?: string }): Reporter {
  const name = given(flags.user) ?? given(configured.name) ?? osUser();
  const contact = given(flags.contact) ?? given(configured.contact) ?? given(flags.user) ?? given(configured.name) ?? osUser();
  return { name, contact };
}
