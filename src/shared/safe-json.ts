/**
 * JSON from clients, read with limits: text that is not valid UTF-8, nested deeper than a bot's
 * payload ever is, or not JSON at all gives a short reason instead of a value. The depth is
 * checked on the text before parsing, so nothing downstream (schemas, the store's serialiser,
 * botbuilder) ever walks a structure deep enough to exhaust the stack.
 */

/** Deeper than any activity, Slack payload or card submit we read (Adaptive Cards nest a dozen levels). */
export const MAX_JSON_DEPTH = 64;

export type JsonResult = { ok: true; value: unknown } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The bytes as text, or undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether objects and arrays in `text` nest deeper than `maxDepth` (strings are skipped, escapes honoured). */
function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Parses client JSON text with the depth limit. */
export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): JsonResult {
  if (nestsDeeperThan(text, maxDepth)) return { ok: false, reason: `JSON nested deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
}

/** A JSON object (not null, not an array): the only top-level shape any of our endpoints takes. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
