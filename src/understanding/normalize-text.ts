import { truncate } from '../shared/truncate';

/**
 * Turns what people paste into chat into plain, comparable words. Pasted messages come with
 * chat markup, timestamps, log prefixes, OCR slips and mixed case; the matcher should see none of that.
 */

/**
 * Longest input read at all: the HTTP body limit (1 MiB), so everything a channel can deliver is read.
 * Only text beyond this is cut (and the reply says so). How much of a long paste is scored closely
 * is bounded separately (MAX_MATCH_CHARS in long-paste.ts).
 */
export const MAX_INPUT_CHARS = 1_048_576;

// Control characters except tab and newline, zero-width and bidi marks, the BOM.
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

const HAS_DIGIT = /\d/;
const DATE_SEPARATOR = /[-/.]/;
// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
const NOT_ASCII = /[^\u0000-\u007f]/;
const MARKDOWN_MARK = /[`*_~]/;
/** Alphanumeric words that are meant that way: hex codes, ids, versions. */
const OCR_KEEP = /^(0x[0-9a-f]+|[0-9a-f]{5,8}|v?\d+[a-z]{0,2}|[a-z]{1,3}\d+)$/;

/** Removes invisible and control characters and caps the length. Never throws. */
export function sanitizeInput(raw: unknown, maxChars = MAX_INPUT_CHARS): { text: string; truncated: boolean } {
  const text = typeof raw === 'string' ? raw : '';
  const truncated = text.length > maxChars;
  const capped = truncate(text, maxChars, { ellipsis: '' });
  return { text: capped.replace(/\r\n?/g, '\n').replace(INVISIBLE, ' '), truncated };
}

/** Strips Slack and Markdown markup and chat noise, keeping the words. */
export function stripMarkup(text: string): string {
  // Each rule needs a character most messages do not have: test for it first, so plain text
  // (every log line, most questions) is not scanned eight times for nothing.
  let out = text;
  if (out.includes('<')) {
    out = out
      // Slack mentions, channel pings and links: <@U123>, <!here>, <#C1|name>, <https://x|label>
      .replace(/<[@!#][^>\s]*>/g, ' ')
      .replace(/<(https?:\/\/[^>|\s]+)\|([^>]*)>/g, '$2')
      .replace(/<(https?:\/\/[^>\s]+)>/g, ' ');
  }
  // Teams/plain @mentions of a bot ("@MARS-bot", "@marsbot")
  if (out.includes('@')) out = out.replace(/(^|\s)@[\w.-]+/g, ' ');
  // HTML that Teams sends with mentions
  if (out.includes('<')) out = out.replace(/<\/?(at|p|div|span|br)\b[^>]*>/gi, ' ');
  // Markdown emphasis, code fences and quote markers
  if (MARKDOWN_MARK.test(out)) out = out.replace(/```+/g, ' ').replace(/[`*_~]+/g, ' ');
  if (out.includes('>')) out = out.replace(/^\s*>+/gm, ' ');
  return out;
}

/** Timestamps and dates are noise for the matcher and must never look like error ids. */
export function stripTimestamps(text: string): string {
  // Every pattern starts with a digit; the first needs "-" and ":", the second a separator, the third ":".
  if (!HAS_DIGIT.test(text)) return text;
  let out = text;
  if (out.includes(':') && out.includes('-')) {
    out = out.replace(/\b\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, ' ');
  }
  if (DATE_SEPARATOR.test(out)) out = out.replace(/\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b/g, ' ');
  if (out.includes(':')) out = out.replace(/\b\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?\b/g, ' ');
  return out;
}

/** Lower case, no diacritics ("geïnstalleerd" → "geinstalleerd"), typographic quotes and dashes folded. */
export function foldCase(text: string): string {
  // Plain ASCII has no diacritics, typographic quotes or dashes, and NFKD leaves it as it is.
  if (!NOT_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\u2026/g, ' ');
}

/**
 * OCR and "typed over from a screenshot" slips inside words: digits standing in for letters
 * ("vau1t", "c0rrupted", "credentia1s"). Only touches words that also contain letters,
 * so real numbers and ids stay as they are.
 */
export function repairOcrWords(text: string): string {
  // One pass over the runs of [a-z0-9] (what /[a-z0-9]*[a-z][a-z0-9]*/g would match as words);
  // only a run with both a letter and a digit can change, and the text is copied only then.
  if (!HAS_DIGIT.test(text)) return text;
  let out = '';
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = i;
    let letters = false;
    let digits = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 97 && c <= 122) letters = true;
      else if (c >= 48 && c <= 57) digits = true;
      else break;
    }
    if (i === start) {
      i++;
      continue;
    }
    if (!letters || !digits) continue;
    const word = text.slice(start, i);
    // Keep things that are legitimately alphanumeric: hex codes, ids, versions.
    if (OCR_KEEP.test(word)) continue;
    out += text.slice(copied, start) + word.replace(/0/g, 'o').replace(/1/g, 'l').replace(/5/g, 's').replace(/3/g, 'e');
    copied = i;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Splits folded text into word tokens (letters and digits, inner dots/dashes dropped). */
export function tokenize(folded: string): string[] {
  const tokens = folded.match(/[a-z0-9]+(?:'[a-z]+)?/g);
  return tokens ?? [];
}

const EN_SUFFIXES = ['ings', 'ing', 'ied', 'ies', 'ed', 'es', 's'];
const NL_SUFFIXES = ['heden', 'ingen', 'en', 'st', 's'];
const SUFFIXES = [...NL_SUFFIXES, ...EN_SUFFIXES];

/**
 * A deliberately light stemmer for both languages at once: plural and tense endings only.
 * It has to be language-agnostic because messages mix Dutch and English in one sentence.
 */
export function stem(token: string): string {
  if (token.length <= 4 || HAS_DIGIT.test(token)) return token;
  for (const suffix of SUFFIXES) {
    if (token.endsWith(suffix) && token.length - suffix.length >= 4) {
      const base = token.slice(0, -suffix.length);
      if (suffix === 's' && base.endsWith('s')) return token;
      if (suffix === 'ies') return `${base}y`;
      return base;
    }
  }
  return token;
}
