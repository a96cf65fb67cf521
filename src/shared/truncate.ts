/**
 * The one way marsbot shortens text: the guard's message cap, card and Block Kit fields, ticket
 * summaries, the matcher's input cap. Never cuts a surrogate pair in half, so an emoji at the cut
 * does not turn into a broken character.
 */

export interface TruncateOptions {
  /** Appended when the text was cut, within `max`. Default "…"; "" cuts without a mark. */
  ellipsis?: string;
  /** Drop an HTML entity cut in half ("&am"), for text that was escaped before (Slack mrkdwn). */
  wholeEntities?: boolean;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** `text` when it fits in `max` UTF-16 units; otherwise its start and the ellipsis, together at most `max`. */
export function truncate(text: string, max: number, options: TruncateOptions = {}): string {
  if (text.length <= max) return text;
  const ellipsis = options.ellipsis ?? '…';
  let end = Math.max(0, max - ellipsis.length);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  let head = text.slice(0, end);
  if (options.wholeEntities) {
    const amp = head.lastIndexOf('&');
    if (amp !== -1 && amp >= head.length - 5 && !head.slice(amp).includes(';')) head = head.slice(0, amp);
  }
  // A cut right after a space would show "word …"; the mark belongs against the last word.
  return ellipsis === '' ? head : head.trimEnd() + ellipsis;
}
