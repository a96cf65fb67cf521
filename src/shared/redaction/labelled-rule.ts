import { isVerbLikeLabel, labelKind, mayEndLabel, type LabelKind } from './secret-labels';
import { MARKER_PREFIX, replaceValue, type Redaction, type Rule } from './rule';
import { isPlaceholder, isRemark, leadingWords, looksLikeSecret, readClause, readQuoted, readToken, type Span } from './values';

/**
 * Secrets behind a label: "passphrase: …", "PASSPHRASE IS …", "het wachtwoord van de proxy is …",
 * "wachtwoordzin (voor herstel): …", DB_PASSWORD=…, "clientSecret": "…", -EncryptionPassphrase "…",
 * /pass:…, "pincode 84721963", and the value on the next line after "Passphrase:".
 *
 * After the label comes a separator, which decides how much of what follows is the secret:
 *  - `:`, `=`, `->`, `：` with spaces, or "is" / "was" / "luidt": the rest of the clause, unless it
 *    is a remark about the secret ("is not correctly configured");
 *  - `=` or a switch without spaces (`Password=…;`, `/pass:…`): one token;
 *  - nothing, "-", "to", "als": one token, and only one that looks like a secret.
 */

type SeparatorClass = 'prose' | 'verb' | 'assign' | 'weak';

const WORD = /(?<![\p{L}\p{N}_])[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*/gu;
const PREVIOUS_WORD = /([\p{L}\p{N}_]+)[ \t_-]$/u;

const KEY_CLOSERS = /["'\]]{0,2}/y;
const STRONG = /([ \t]{0,8})(==|:=|=>|->|→|=|:|：)([ \t]{0,8})/y;
const VERB =
  /[ \t]{1,8}(?:is|was|luidt|wordt|werd|becomes|became|equals)(?:[ \t]+(?:now|nu|still|nog|gewoon|simply|just))?(?:[ \t]+(?:set|reset|changed|updated|ingesteld|gewijzigd|veranderd|gereset|aangepast)[ \t]+(?:to|in|naar|op))?(?:[ \t]*[:=])?(?=[ \t\r\n]|$)[ \t]{0,8}/iy;
const WEAK =
  /(?:[ \t]{1,8}(?:-|–|—|to|naar|as|als|set to|changed to|veranderd in|veranderd naar|gewijzigd in|gewijzigd naar|ingesteld op)(?=[ \t]))?[ \t]{1,8}/iy;
/** Words that may sit between a label and its separator: "the password for the proxy is …". */
const GAP_OPENER =
  /[ \t]{1,8}(?:(?:for|of|to|from|on|at|in|that|which|so|i|we|you|they|used|van|voor|op|bij|die|dat|zodat|om|ik|we|wij|je|jij|u|ze|gebruikt)(?=[ \t])|(?=\())/iy;
const GAP_WORD = /[ \t]{0,8}(?:\([^()\n]{1,60}\)|[\p{L}\p{N}_\\/@'’-]+(?:\.[\p{L}\p{N}_\\/@'’-]+)*)/uy;
/** A dash after a gap ("Password (svc account) - …"): weak, the value must look like a secret. */
const GAP_DASH = /[ \t]{1,8}[-–—][ \t]{1,8}/y;
const MAX_GAP_WORDS = 8;

/** After "is …:" or a switch, a value opening with these is an expression, not a secret. */
const EXPRESSION_START = /^[-$(@/]/;
/** Line that is not a value even though it follows "Passphrase:": a list item, a timestamp, another field. */
const NOT_A_VALUE_LINE = /^(?:\d{1,2}[.)][ \t]|[-*•][ \t]|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|[\p{L}][\p{L} _-]{0,30}:(?:\s|$))/u;
const STOP_ASSIGNMENT = /[\s;"'<>]/;
const STOP_QUERY = /[\s;&"'<>]/;
const STOP_WEAK = /[\s"'<>)\]]/;

interface Label {
  kind: LabelKind;
  start: number;
  end: number;
  /** `-Password`, `--password`, `/pass:`: a command-line switch. */
  isSwitch: boolean;
  /** `$pass = …`: a PowerShell variable. */
  isVariable: boolean;
}

function sticky(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function findLabel(match: RegExpExecArray, text: string): Label | undefined {
  const start = match.index;
  const end = start + match[0].length;
  if (text.startsWith(MARKER_PREFIX, start - MARKER_PREFIX.length)) return undefined;
  let kind = labelKind(match[0]);
  if (!kind && mayEndLabel(match[0])) {
    // Written apart: "pass phrase", "wachtwoord zin", "security PIN", "storage account key".
    const before1 = PREVIOUS_WORD.exec(text.slice(Math.max(0, start - 50), start));
    if (before1) {
      kind = labelKind(before1[1]! + match[0]);
      const before2 = kind ? null : PREVIOUS_WORD.exec(text.slice(Math.max(0, start - before1[0].length - 50), start - before1[0].length));
      if (before2) kind = labelKind(before2[1]! + before1[1]! + match[0]);
    }
  }
  if (!kind) return undefined;
  // "wachtwoord zin", "pin code": the label is both words, found at the second one.
  const next = /^[ \t_-]([\p{L}]{2,12})(?![\p{L}\p{N}_])/u.exec(text.slice(end, end + 16));
  if (next && labelKind(match[0] + next[1]!) && !labelKind(next[1]!)) return undefined;
  const prev = text[start - 1];
  const prev2 = text[start - 2];
  const boundary = (c: string | undefined): boolean => c === undefined || /[\s"'(]/.test(c);
  const isSwitch = (prev === '-' && (boundary(prev2) || prev2 === '-')) || (prev === '/' && boundary(prev2));
  return { kind, start, end, isSwitch, isVariable: prev === '$' };
}

interface Separator {
  cls: SeparatorClass;
  /** Where the value may start. */
  at: number;
  /** A gap ("for the proxy") sat between label and separator. */
  gap: boolean;
}

function strongOrVerb(text: string, at: number, label: Label): Separator | undefined {
  const strong = sticky(STRONG, text, at);
  if (strong) {
    const spaced = strong[1] !== '' || strong[3] !== '';
    const sign = strong[2]!;
    const assigns = !spaced && (sign === '=' || label.isSwitch || label.isVariable);
    return { cls: assigns ? 'assign' : 'prose', at: at + strong[0].length, gap: false };
  }
  const verb = sticky(VERB, text, at);
  if (verb) return { cls: 'verb', at: at + verb[0].length, gap: false };
  return undefined;
}

/** "the password for the proxy is …", "de wachtwoordzin die ik gebruik is …", "wachtwoordzin (voor herstel): …". */
function afterGap(text: string, at: number, label: Label): Separator | undefined {
  const opener = sticky(GAP_OPENER, text, at);
  if (!opener) return undefined;
  let pos = at;
  for (let words = 0; words < MAX_GAP_WORDS; words += 1) {
    const word = sticky(GAP_WORD, text, pos);
    if (!word || word[0].trim() === '') return undefined;
    pos += word[0].length;
    const separator = strongOrVerb(text, pos, label);
    if (separator) return { ...separator, cls: separator.cls === 'assign' ? 'prose' : separator.cls, gap: true };
    const dash = sticky(GAP_DASH, text, pos);
    if (dash) return { cls: 'weak', at: pos + dash[0].length, gap: true };
  }
  return undefined;
}

function findSeparator(text: string, label: Label): Separator | undefined {
  const keyEnd = label.end + (sticky(KEY_CLOSERS, text, label.end)?.[0].length ?? 0);
  const direct = strongOrVerb(text, keyEnd, label);
  if (direct) return direct;
  if (keyEnd !== label.end) return undefined;
  if (!label.isSwitch && !label.isVariable) {
    const gapped = afterGap(text, label.end, label);
    if (gapped) return gapped;
  }
  const weak = sticky(WEAK, text, label.end);
  if (weak) return { cls: 'weak', at: label.end + weak[0].length, gap: false };
  const lineEnd = sticky(/[ \t]{0,8}(?=\r?\n)/y, text, label.end);
  return lineEnd ? { cls: 'weak', at: label.end + lineEnd[0].length, gap: false } : undefined;
}

/** "Passphrase:" at the end of a line: the value is the next line, if that line can be one. */
function nextLineStart(text: string, at: number): number | undefined {
  let pos = at;
  for (let breaks = 0; breaks < 2; breaks += 1) {
    if (text[pos] === '\r') pos += 1;
    if (text[pos] !== '\n') break;
    pos += 1;
    const indent = sticky(/[ \t]{0,16}/y, text, pos);
    pos += indent?.[0].length ?? 0;
    if (text[pos] !== '\n' && text[pos] !== '\r') {
      const line = text.slice(pos, pos + 40);
      return pos < text.length && !NOT_A_VALUE_LINE.test(line) ? pos : undefined;
    }
  }
  return undefined;
}

/** The label has its own line ("Wachtwoordzin" and the value under it, as copied from a form). */
function labelOwnsLine(text: string, label: Label): boolean {
  const lineStart = text.lastIndexOf('\n', label.start - 1) + 1;
  return label.start - lineStart <= 40 && /^[ \t]*(?:[\p{L}]+[ \t]+){0,2}$/u.test(text.slice(lineStart, label.start));
}

function redact(text: string, label: Label, value: Span, end = value.end): Redaction {
  return replaceValue(text, label.start, value.start, value.end, end, label.kind);
}

/** The rest of the clause, unless it is a mask, an expression or a remark about the secret. */
function proseValue(text: string, label: Label, at: number, afterVerb: boolean): Redaction | null {
  if (text.startsWith(MARKER_PREFIX, at)) return null;
  const probe = readClause(text, at, at + 240);
  if (!probe) return null;
  const probeText = text.slice(probe.start, probe.end);
  const firstToken = probeText.split(/\s/, 1)[0]!;
  if (isPlaceholder(probeText) || isPlaceholder(firstToken)) return null;
  if (label.isVariable && EXPRESSION_START.test(firstToken)) return null;
  const words = leadingWords(text, probe.start, probe.end);
  if (isRemark(words, { afterVerb, digitsAreSecret: label.kind === 'security-pin' })) return null;
  return redact(text, label, readClause(text, at)!);
}

function quotedValue(text: string, label: Label, at: number): Redaction | null | undefined {
  const quoted = readQuoted(text, at);
  if (!quoted) return undefined;
  const inner = text.slice(quoted.inner.start, quoted.inner.end);
  if (isPlaceholder(inner)) return null;
  if (isRemark(leadingWords(text, quoted.inner.start, quoted.inner.end), { afterVerb: false, digitsAreSecret: label.kind === 'security-pin' })) return null;
  return redact(text, label, quoted.inner, quoted.end);
}

/** `Password=…;` in a connection string, `?password=…&` in a query, `PASSPHRASE=…` in an .env file. */
function assignedValue(text: string, label: Label, at: number): Redaction | null {
  const before = text[label.start - 1];
  const inQuery = before === '&' || before === '?';
  const token = readToken(text, at, inQuery ? STOP_QUERY : STOP_ASSIGNMENT);
  if (!token) return null;
  const value = text.slice(token.start, token.end);
  if (isPlaceholder(value) || (label.isVariable && EXPRESSION_START.test(value))) return null;
  let end = token.end;
  if (!inQuery && !label.isSwitch && (text[end] === ' ' || text[end] === '\t')) {
    const line = text.slice(end, end + 240).split(/[\r\n]/, 1)[0]!;
    const semicolon = line.indexOf(';');
    const nextAssignment = line.search(/[=&]/);
    // "Password=two words;Encrypt=True" in a connection string: on to the ";".
    if (semicolon >= 0 && (nextAssignment < 0 || semicolon < nextAssignment)) end += semicolon;
    // "PASSPHRASE=correct horse battery staple": nothing else assigned after it, so the clause is the value.
    else if (nextAssignment < 0) end = readClause(text, token.start)!.end;
  }
  if (isRemark(leadingWords(text, token.start, end), { afterVerb: false, digitsAreSecret: label.kind === 'security-pin' })) return null;
  return redact(text, label, { start: token.start, end });
}

/** No separator: one token, and only when it looks like a secret (or follows a switch). */
function weakValue(text: string, label: Label, at: number): Redaction | null {
  if (isVerbLikeLabel(text.slice(label.start, label.end)) && !label.isSwitch && !label.isVariable) return null;
  const quoted = quotedValue(text, label, at);
  if (quoted !== undefined) return quoted;
  if (text.startsWith(MARKER_PREFIX, at)) return null;
  const bracket = text[at] === '(' || text[at] === '[' ? 1 : 0;
  const token = readToken(text, at + bracket, STOP_WEAK);
  if (!token) return null;
  const value = text.slice(token.start, token.end);
  if (label.isVariable) return null;
  if (label.isSwitch) {
    if (EXPRESSION_START.test(value) || isPlaceholder(value)) return null;
    return redact(text, label, token);
  }
  if (!looksLikeSecret(value, label.kind === 'security-pin')) return null;
  return redact(text, label, token);
}

function labelledEdit(match: RegExpExecArray, text: string): Redaction | null {
  const label = findLabel(match, text);
  if (!label) return null;
  const separator = findSeparator(text, label);
  if (!separator) return null;
  const { cls, at } = separator;
  if (isVerbLikeLabel(text.slice(label.start, label.end)) && cls === 'verb') return null;
  // Already redacted by an earlier rule (a Slack token after "token", a JWT after "het token").
  if (text.startsWith(MARKER_PREFIX, at) || text.startsWith(MARKER_PREFIX, at + 1)) return null;
  const c = text[at];
  if (c === undefined || c === '\n' || c === '\r') {
    if (cls === 'prose' || cls === 'verb') {
      const line = nextLineStart(text, at);
      return line === undefined ? null : proseValue(text, label, line, cls === 'verb' || separator.gap);
    }
    if (cls === 'weak' && labelOwnsLine(text, label)) {
      const line = nextLineStart(text, at);
      return line === undefined ? null : weakValue(text, label, line);
    }
    return null;
  }
  if (cls === 'weak') return weakValue(text, label, at);
  const quoted = quotedValue(text, label, at);
  if (quoted !== undefined) return quoted;
  if (label.isVariable) return null;
  if (cls === 'assign') return assignedValue(text, label, at);
  return proseValue(text, label, at, cls === 'verb' || separator.gap);
}

export const labelledRule: Rule = { pattern: WORD, edit: labelledEdit };
