/**
 * Finds the agent's error ids and codes in a message, in all the ways people write them, and
 * normalises them ("(ID: 34513)" → "34513", "[0x1fc07]" / "1FC07" → "0x1FC07", "salLowDiskSpace" →
 * "SalLowDiskSpace"). Only ids the knowledge base owns count: a date, a port or "Windows 2019" never does.
 */

interface FoundErrorIds {
  /** Unambiguous ids: agent ids (34513), HRESULTs, Sal* names. One of these decides the topic. */
  strong: string[];
  /** HTTP status codes the agent shows too (403, 407): only decisive with context or on their own. */
  weak: string[];
  /** Error codes that are not ours (0xC004F074, UserErrorGuestAgentStatusUnavailable): another product's problem. */
  foreign: string[];
}

/** An id that also is a common HTTP status code: seen in many other products' errors. */
const HTTP_STATUS = /^[1-5]\d\d$/;
const HEX_CODE = /(?<![0-9a-z])(0x)?([0-9a-f]{5,8})(?![0-9a-z])/gi;
const SYMBOLIC_NAME = /\b(?:[A-Z][a-z]+){3,}\b/g;
const DECIMAL_ID = /(?<![0-9a-z])([0-9OoIl]{3,6})(?![0-9a-z])/gi;
const SAL_NAME = /\bsal[a-z]{4,}/gi;
// A number labelled as an error or id ("ID 3115", "(ID 42 …", "Error ID151111", "Error 5:", "foutcode 809").
// When it is not one of ours it is another product's code. Event log ids ("Event ID 25") are not error codes.
const LABELLED_NUMBER = /\b(event\s*)?(?:error\s*id|id|error|fout(?:code)?|code)\s*[:#]?\s*(\d{1,7})\b/gi;

export interface ErrorIdCatalog {
  /** Known ids in normalised form. */
  readonly ids: readonly string[];
  extract(text: string): FoundErrorIds;
  /** Whether `extract(text)` would find an id of ours (strong or weak), stopping at the first. */
  containsOwnId(text: string): boolean;
}

function sharedPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export function createErrorIdCatalog(knownIds: Iterable<string>): ErrorIdCatalog {
  const ids = [...new Set(knownIds)];
  const decimal = new Set(ids.filter((id) => /^\d+$/.test(id)));
  const hexByBody = new Map(
    ids.filter((id) => id.startsWith('0x')).map((id) => [id.slice(2).toUpperCase(), id] as const),
  );
  const salByLower = new Map(ids.filter((id) => id.startsWith('Sal')).map((id) => [id.toLowerCase(), id] as const));

  const salEntries = [...salByLower.entries()];

  /** The known id a hex code stands for, if any. */
  const knownHex = (body: string): string | undefined => hexByBody.get(body.toUpperCase());

  /** A decimal id of ours, OCR slips repaired, if the token is one. OCR turns 0 into O and 1 into l or I. */
  const knownDecimal = (token: string): string | undefined => {
    const digits = token.replace(/[Oo]/g, '0').replace(/[Il]/g, '1');
    const letterCount = token.length - (token.match(/\d/g)?.length ?? 0);
    if (letterCount > 1 || digits.length - letterCount < 3) return undefined;
    return decimal.has(digits) ? digits : undefined;
  };

  /** The Sal* name a word means, also truncated ("SalChecksumStore...") as long as the prefix is unambiguous. */
  const knownSal = (match: string): string | undefined => {
    const word = match.toLowerCase();
    const exact = salByLower.get(word);
    if (exact) return exact;
    // Cut off ("SalChecksumStore…") or misspelt after a long shared start ("…Initialisation…").
    const prefixed = salEntries.filter(([lower]) => (lower.startsWith(word) && word.length >= 8) || sharedPrefixLength(lower, word) >= 14);
    return prefixed.length === 1 ? prefixed[0]![1] : undefined;
  };

  function extract(text: string): FoundErrorIds {
    const strong: string[] = [];
    const weak: string[] = [];
    const foreign: string[] = [];
    const add = (id: string) => {
      const list = HTTP_STATUS.test(id) ? weak : strong;
      if (!list.includes(id)) list.push(id);
    };

    // Hex codes, with or without 0x, in brackets or not. Without 0x only known bodies count.
    for (const match of text.matchAll(HEX_CODE)) {
      const known = knownHex(match[2]!);
      if (known) add(known);
      else if (match[1]) foreign.push(`0x${match[2]!.toUpperCase()}`);
    }
    // Other products' symbolic error names: UserErrorGuestAgentStatusUnavailable, AuthorizationPermissionMismatch.
    for (const match of text.matchAll(SYMBOLIC_NAME)) {
      const name = match[0];
      if (/^Sal/.test(name) || salByLower.has(name.toLowerCase())) continue;
      if (/(Error|Failed|Failure|Mismatch|Unavailable|Denied|NotFound|Timeout|Exception|Invalid|Forbidden)/.test(name)) foreign.push(name);
    }
    // Decimal ids; OCR slips allowed when the token is mostly digits and the repaired number is one of ours.
    for (const match of text.matchAll(DECIMAL_ID)) {
      const known = knownDecimal(match[1]!);
      if (known) add(known);
    }
    for (const match of text.matchAll(SAL_NAME)) {
      const known = knownSal(match[0]);
      if (known) add(known);
    }
    for (const match of text.matchAll(LABELLED_NUMBER)) {
      if (match[1] || decimal.has(match[2]!)) continue;
      const code = `ID ${match[2]!}`;
      if (!foreign.includes(code)) foreign.push(code);
    }
    return { strong, weak, foreign };
  }

  function containsOwnId(text: string): boolean {
    for (const match of text.matchAll(HEX_CODE)) if (knownHex(match[2]!)) return true;
    for (const match of text.matchAll(DECIMAL_ID)) if (knownDecimal(match[1]!)) return true;
    for (const match of text.matchAll(SAL_NAME)) if (knownSal(match[0])) return true;
    return false;
  }

  return { ids, extract, containsOwnId };
}
