/**
 * Issue trackers put a template under what the admin wrote: Microsoft Learn's GitHub issues end
 * with "Document Details", the page's ids and the author's alias. Those words are not the admin's:
 * the page title names the topic of the article ("Troubleshoot the Azure Backup agent"), the ids look
 * like error codes, the URL slug like commands. From the first line that opens with one of the
 * footer headings (knowledge/evidence.yaml `footers`) on, the message is not read.
 */

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A function that returns the text without its tracker footer (the text itself when it has none). */
export function createFooterCutter(headings: readonly string[]): (text: string) => string {
  const alternatives = headings
    .map((heading) => heading.match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((words) => words.length > 0)
    .map((words) => words.map(escape).join('[^\\p{L}\\p{N}\\n]+'));
  if (alternatives.length === 0) return (text) => text;
  // At the start of a line, after markup, bullets or a warning sign; the heading's words as words.
  const opening = new RegExp(`^[^\\p{L}\\p{N}\\n]*(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'imu');
  return (text) => {
    const match = opening.exec(text);
    return match ? text.slice(0, match.index) : text;
  };
}
