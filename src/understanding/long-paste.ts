/**
 * A pasted log is read whole, but scored in part. Error ids and the agent's messages are searched
 * in every line (cheap, and the error is usually at the end of a log); the expensive part of
 * matching — analysing and scoring words — only sees an excerpt of at most MAX_MATCH_CHARS:
 * the lines that carry an error, with a line of context on each side, then the user's own words
 * at the start, then the last lines, in their original order.
 */

/** Characters of a long message that are analysed and scored (the rest is only searched for errors). */
export const MAX_MATCH_CHARS = 8000;
/** Of the excerpt, at most this much comes from the start of the message (the user's own words). */
const HEAD_CHARS = 1200;
/** Lines of context kept before and after a line that carries an error. */
const CONTEXT_LINES = 1;
/** Lines longer than this are cut in the excerpt (a minified blob is not a log line). */
const MAX_LINE_CHARS = 1000;

export interface Excerpt {
  /** The text to score: the whole message when it is short enough, else the chosen lines. */
  text: string;
  /** Whether lines were left out. */
  partial: boolean;
}

/**
 * The part of `text` to score. `carriesError(line)` says whether a line holds an error id or an
 * agent message of ours; it is called once per line, so it must be cheap for ordinary log lines.
 */
export function excerptForScoring(text: string, carriesError: (line: string) => boolean, maxChars = MAX_MATCH_CHARS): Excerpt {
  if (text.length <= maxChars) return { text, partial: false };
  const lines = text.split('\n').map((line) => (line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line));
  const chosen = new Set<number>();
  let used = 0;
  const take = (i: number): boolean => {
    if (i < 0 || i >= lines.length || chosen.has(i)) return true;
    const cost = lines[i]!.length + 1;
    if (used + cost > maxChars) return false;
    chosen.add(i);
    used += cost;
    return true;
  };

  // 1. Lines that carry an error, last first (a log ends with what went wrong), with context.
  const errorLines: number[] = [];
  for (let i = 0; i < lines.length; i++) if (carriesError(lines[i]!)) errorLines.push(i);
  for (const i of errorLines.reverse()) {
    if (!take(i)) break;
    for (let k = 1; k <= CONTEXT_LINES; k++) {
      take(i - k);
      take(i + k);
    }
  }
  // 2. The start: what the user wrote above the paste.
  let head = 0;
  for (let i = 0; i < lines.length && head < HEAD_CHARS; i++) {
    if (!take(i)) break;
    head += lines[i]!.length + 1;
  }
  // 3. The end, as far as the budget goes.
  for (let i = lines.length - 1; i >= 0; i--) if (!take(i)) break;

  const order = [...chosen].sort((a, b) => a - b);
  return { text: order.map((i) => lines[i]!).join('\n'), partial: true };
}
