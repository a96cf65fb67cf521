/**
 * The shape every redaction rule has, and the loop that applies one. A rule's pattern only finds
 * where a secret may start; its edit looks (a bounded distance) ahead and either replaces a stretch
 * of text or leaves it. Whatever it replaces is consumed, so the whole pass stays linear in the
 * input: users paste megabytes, and a backtracking blow-up would stall the bot.
 */

export type SecretKind =
  | 'vault-credentials'
  | 'certificate'
  | 'private-key'
  | 'key-material'
  | 'sas-token'
  | 'storage-key'
  | 'bearer-token'
  | 'jwt'
  | 'slack-token'
  | 'client-secret'
  | 'api-key'
  | 'token'
  | 'passphrase'
  | 'security-pin'
  | 'recovery-key'
  | 'url-credentials'
  | 'password';

export const MARKER_PREFIX = '[redacted:';

export function redactionMarker(kind: SecretKind): string {
  return `${MARKER_PREFIX}${kind}]`;
}

/** What an edit does: text[match.index, end) becomes `replacement`; `secret` is the text it removed. */
export interface Redaction {
  end: number;
  replacement: string;
  secret: string;
  kind: SecretKind;
}

/** A secret a rule took out of the text, and what kind it was. */
export interface FoundSecret {
  value: string;
  kind: SecretKind;
}

export interface Rule {
  /** Finds candidate starts. Must be global; 'y' or lookbehinds keep it from rescanning. */
  pattern: RegExp;
  edit(match: RegExpExecArray, text: string): Redaction | null;
}

/** Replaces a stretch inside a match: keeps text[from, valueStart) and text[valueEnd, end) around the marker. */
export function replaceValue(text: string, from: number, valueStart: number, valueEnd: number, end: number, kind: SecretKind): Redaction {
  return {
    end,
    replacement: text.slice(from, valueStart) + redactionMarker(kind) + text.slice(valueEnd, end),
    secret: text.slice(valueStart, valueEnd),
    kind,
  };
}

/** Applies one rule to the whole text; every removed secret is appended to `found`. */
export function applyRule(text: string, rule: Rule, found: FoundSecret[]): string {
  // The rule's own regex, rewound: redaction never runs inside an edit, so nothing else is using it.
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  let out = '';
  let copied = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const edit = rule.edit(match, text);
    if (edit && edit.end > match.index) {
      out += text.slice(copied, match.index) + edit.replacement;
      copied = edit.end;
      pattern.lastIndex = edit.end;
      if (edit.secret !== '') found.push({ value: edit.secret, kind: edit.kind });
    } else if (match[0].length === 0) {
      pattern.lastIndex += 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
