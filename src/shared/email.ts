/**
 * E-mail addresses as a person types them for support to reach them: something@domain.tld, no
 * spaces. Deliberately loose (RFC 5322 allows far more); the point is to catch a typo like a
 * missing "@" or domain, not to prove the mailbox exists. The Adaptive Card form checks the same
 * pattern in the browser and in Teams before it is sent.
 */
export const EMAIL_PATTERN = '^[^\\s@<>(),;:"]+@[^\\s@<>(),;:"]+\\.[^\\s@<>(),;:".]{2,}$';

const WHOLE = new RegExp(EMAIL_PATTERN);
const INSIDE = /[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}/;

/** Longest address kept (RFC 5321's limit). */
export const EMAIL_MAX_CHARS = 254;

export function isEmailAddress(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length <= EMAIL_MAX_CHARS && WHOLE.test(trimmed);
}

/** The first e-mail address in a line of text, and the text around it ("Anna de Vries, anna@contoso.com"). */
export function findEmailAddress(text: string): { email: string; rest: string } | undefined {
  const match = INSIDE.exec(text);
  if (!match || match[0].length > EMAIL_MAX_CHARS) return undefined;
  const rest = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`;
  return { email: match[0], rest };
}
