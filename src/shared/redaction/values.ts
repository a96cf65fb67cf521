import { MARKER_PREFIX } from './rule';
import { OPENERS, REMARK_VOCABULARY } from './statement-words';

/**
 * Reading the value that follows a label: a quoted string, one token, or the rest of a clause,
 * and deciding whether it is a secret or a remark about one. Every reader stops at a line end or
 * within a fixed distance, so it never scans the rest of a megabyte paste.
 */

/** Longest quoted value we look for a closing quote in. */
const MAX_QUOTED = 512;
/** Words a remark is judged on; a longer remark is judged on its start. */
const REMARK_WORDS_CHECKED = 8;

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '„': '”', '‘': '’', '«': '»', '`': '`' };

export interface Span {
  start: number;
  end: number;
}

/** A quoted value on the same line: the span inside the quotes, and the end after the closing one. */
export function readQuoted(text: string, start: number): { inner: Span; end: number } | undefined {
  const close = QUOTES[text[start] ?? ''];
  if (close === undefined) return undefined;
  const limit = Math.min(text.length, start + 1 + MAX_QUOTED);
  for (let i = start + 1; i < limit; i += 1) {
    const c = text[i]!;
    if (c === close) return i === start + 1 ? undefined : { inner: { start: start + 1, end: i }, end: i + 1 };
    if (c === '\n' || c === '\r') return undefined;
  }
  return undefined;
}

/** Up to (not including) the first character in `stop`. */
export function readToken(text: string, start: number, stop: RegExp): Span | undefined {
  let end = start;
  while (end < text.length && !stop.test(text[end]!)) end += 1;
  return end > start ? { start, end } : undefined;
}

const CLAUSE_PUNCTUATION = /[,;.!?]/;

/**
 * The rest of a clause: up to the line end, an opening parenthesis or tag, or punctuation that is
 * followed by a space. The punctuation itself is taken along: a password may well end in "!" and
 * we cannot tell that "!" from the end of the sentence.
 */
export function readClause(text: string, start: number, limit = text.length): Span | undefined {
  let end = start;
  const stop = Math.min(limit, text.length);
  while (end < stop) {
    const c = text[end]!;
    if (c === '\n' || c === '\r' || c === '<') break;
    if ((c === ' ' || c === '\t') && text[end + 1] === '(') break;
    if (CLAUSE_PUNCTUATION.test(c)) {
      const next = text[end + 1];
      if (next === undefined || /\s/.test(next)) {
        end += 1;
        break;
      }
    }
    end += 1;
  }
  while (end > start && /\s/.test(text[end - 1]!)) end -= 1;
  return end > start ? { start, end } : undefined;
}

/** The first few words of a value, lower case, without the punctuation around them. */
export function leadingWords(text: string, start: number, end: number): string[] {
  const stretch = text.slice(start, Math.min(end, start + 200));
  return stretch
    .split(/\s+/)
    .map((w) => w.toLowerCase().replace(/^[("'“‘«[]+|[)"'”’»\],;.!?:]+$/g, ''))
    .filter((w) => w !== '')
    .slice(0, REMARK_WORDS_CHECKED);
}

function isRemarkWord(word: string, digitsAreSecret: boolean): boolean {
  if (REMARK_VOCABULARY.has(word)) return true;
  // "16 characters", "5 minutes": small numbers in a remark, unless the secret is a number itself.
  return !digitsAreSecret && /^\d{1,3}$/.test(word);
}

/**
 * Whether a value is a remark about the secret rather than the secret. After "is" a remark may
 * open with a word no secret opens with ("not", "stored", "in"); otherwise every word must be one
 * remarks are made of.
 */
/** A Dutch past participle ("gewijzigd", "gesaved", "gecontroleerd"): remarks are full of them. */
const DUTCH_PARTICIPLE = /^ge\p{L}{3,}[dt]$/u;

export function isRemark(words: readonly string[], options: { afterVerb: boolean; digitsAreSecret: boolean }): boolean {
  if (words.length === 0) return true;
  if (options.afterVerb && (OPENERS.has(words[0]!) || DUTCH_PARTICIPLE.test(words[0]!))) return true;
  return words.every((w) => isRemarkWord(w, options.digitsAreSecret));
}

const PLACEHOLDER =
  /^(?:[*•●·x#?_.…-]{3,}|<[^<>\n]{1,60}>|\{\{?[^{}\n]{1,60}\}?\}|\[[^[\]\n]{1,60}\]|\$\{?[A-Za-z_][\w:]*\}?|%[A-Za-z_]\w*%|\$env:\w+|\(?(?:redacted|hidden|masked|verborgen)\)?)$/i;

/** A mask or placeholder people write instead of the secret: "********", "<your passphrase>", "$pp", "%PASSWORD%". */
export function isPlaceholder(value: string): boolean {
  const v = value.trim().replace(/[.,;!?]+$/, '');
  return v === '' || v.startsWith(MARKER_PREFIX) || PLACEHOLDER.test(v);
}

/** Error codes and short hex ids (0x1FC07, 0x80070005); a long hex string is key material. */
const HEX_ID = /^(?:0x)?[0-9a-f]{1,12}$/i;
const ALPHABETIC_PARTS = /^[\p{L}]+(?:[-.'’][\p{L}]+)*$/u;

/**
 * Whether one token without a label-and-separator in front of it looks like a secret: letters and
 * digits or symbols mixed ("Rode-Fiets-8842", "Welkom2024!"), not a word, file name, path, URL,
 * error code or variable. With `digitsOnly` (a PIN) a plain number counts too.
 */
export function looksLikeSecret(token: string, digitsOnly = false): boolean {
  const t = token.replace(/[.,;:!?)\]]+$/, '');
  if (t.startsWith(MARKER_PREFIX) || t.startsWith('$') || t.startsWith('%')) return false;
  if (digitsOnly && /^\d[\d -]{2,14}\d$/.test(t)) return true;
  if (t.length < 6 || t.length > 128) return false;
  if (!/\p{L}/u.test(t)) return false;
  if (!/[\p{N}]|[^\p{L}\p{N}]/u.test(t)) return false;
  if (HEX_ID.test(t) || ALPHABETIC_PARTS.test(t)) return false;
  if (t.includes('\\') || t.includes('://') || /^[a-z]:/i.test(t)) return false;
  // A file name or host: words joined by dots ("CBEngine.exe", "proxy.contoso.local").
  if (/^[\p{L}\p{N}_-]+(?:\.[\p{L}]{2,})+$/u.test(t) && !/\d.*\./u.test(t)) return false;
  return true;
}
