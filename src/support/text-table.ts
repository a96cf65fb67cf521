/** Plain-text tables for the CLI: columns padded to the widest cell, numbers right-aligned. */

export type Align = 'left' | 'right';

/** Visible width: code points, not UTF-16 units, so "👍" and "é" count once. */
function width(text: string): number {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points on purpose: an emoji is one, not two UTF-16 units
  return [...text].length;
}

function pad(text: string, size: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** One cell per line of output: newlines inside a cell would break the grid. */
function flatten(cell: string): string {
  return cell.replace(/\s+/g, ' ').trim();
}

export function formatTable(headers: string[], rows: string[][], align: Align[] = []): string[] {
  const cells = [headers, ...rows].map((row) => row.map(flatten));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => width(row[column] ?? ''))));
  return cells.map((row) =>
    widths
      .map((size, column) => pad(row[column] ?? '', size, align[column] ?? 'left'))
      .join('  ')
      .trimEnd(),
  );
}
