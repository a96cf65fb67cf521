import type { Reply } from '../replies/reply';
import { choicesOf } from '../replies/render-text';

/**
 * Replies as a terminal shows them: wrapped at word boundaries to the window's width, UI names in
 * bold and commands set apart (colour where the terminal has it, the bare words where it has not),
 * never raw Markdown marks. Buttons are numbered choices, as in renderText.
 */

export interface TerminalStyle {
  /** Columns to wrap at; undefined: no wrapping (output that is not a terminal). */
  width?: number;
  /** ANSI colour and bold (a terminal without NO_COLOR). */
  color: boolean;
}

// eslint-disable-next-line no-control-regex -- ESC starts every ANSI colour code
const ANSI = /\x1b\[[0-9;]*m/g;
const BOLD = ['\x1b[1m', '\x1b[22m'] as const;
const CODE = ['\x1b[36m', '\x1b[39m'] as const;
const DIM = ['\x1b[2m', '\x1b[22m'] as const;
/** Narrower than this, wrapping would only make things worse. */
const MIN_WIDTH = 20;

/** How wide text shows: without colour codes, a character per code point. */
function visibleLength(text: string): number {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points on purpose: an emoji is one, not two UTF-16 units
  return [...text.replace(ANSI, '')].length;
}

function paint(text: string, [on, off]: readonly [string, string], style: TerminalStyle): string {
  return style.color ? `${on}${text}${off}` : text;
}

/** The knowledge base's **UI names** and `commands`, as the terminal shows them. */
function inlineStyles(text: string, style: TerminalStyle): string {
  return text.replace(/\*\*([^*\n]+)\*\*|`([^`\n]+)`/g, (_match, bold: string | undefined, code: string | undefined) =>
    bold !== undefined ? paint(bold, BOLD, style) : paint(code!, CODE, style),
  );
}

/** A word longer than the line, cut into pieces that fit (URLs, paths); colour codes stay whole. */
function splitLongWord(word: string, room: number): string[] {
  const pieces: string[] = [];
  let current = '';
  let width = 0;
  // eslint-disable-next-line no-control-regex -- ESC starts every ANSI colour code
  for (const part of word.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith('\x1b[')) {
      current += part;
      continue;
    }
    for (const char of part) {
      if (width === room) {
        pieces.push(current);
        current = '';
        width = 0;
      }
      current += char;
      width += 1;
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

/**
 * Wraps one paragraph at word boundaries: the first line starts with `first` (a number, a bullet), the
 * next ones are indented as far. Without a width the paragraph stays one line.
 */
function wrap(text: string, width: number | undefined, first = ''): string[] {
  const indent = ' '.repeat(visibleLength(first));
  if (width === undefined) return [`${first}${text}`];
  const room = Math.max(MIN_WIDTH, width) - indent.length;
  const lines: string[] = [];
  let line = '';
  let used = 0;
  const flush = (): void => {
    lines.push(`${lines.length === 0 ? first : indent}${line}`);
    line = '';
    used = 0;
  };
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const size = visibleLength(word);
    if (used > 0 && used + 1 + size > room) flush();
    if (size > room) {
      for (const piece of splitLongWord(word, room)) {
        if (used > 0) flush();
        line = piece;
        used = visibleLength(piece);
      }
      continue;
    }
    line = used > 0 ? `${line} ${word}` : word;
    used += (used > 0 ? 1 : 0) + size;
  }
  if (used > 0 || lines.length === 0) flush();
  return lines;
}

/** One reply for the terminal; its buttons are numbered from `firstChoiceNumber` on. */
export function renderTerminal(reply: Reply, style: TerminalStyle, firstChoiceNumber = 1): string {
  const { width } = style;
  const out: string[] = [];
  const paragraph = (text: string, first = ''): void => {
    for (const part of text.split('\n')) out.push(...wrap(inlineStyles(part, style), width, first));
  };
  if (reply.title) paragraph(paint(reply.title, BOLD, style));
  for (const text of reply.text ?? []) {
    if (text.startsWith('• ')) paragraph(text.slice(2), '• ');
    else paragraph(text);
  }
  if (reply.steps && reply.steps.length > 0) {
    if (out.length > 0) out.push('');
    const digits = String(reply.steps.length).length;
    reply.steps.forEach((step, i) => paragraph(step, `${String(i + 1).padStart(digits)}. `));
  }
  if (reply.prompt) {
    out.push('');
    paragraph(paint(reply.prompt, BOLD, style));
  }
  let n = firstChoiceNumber;
  for (const choice of choicesOf(reply)) paragraph(choice.label, `  [${n++}] `);
  if (reply.form) {
    out.push('');
    paragraph(reply.form.descriptionLabel);
  }
  if (reply.source) {
    out.push('');
    paragraph(paint(`${reply.source.label}: ${reply.source.url}`, DIM, style));
  }
  if (reply.footer) {
    out.push('');
    paragraph(paint(reply.footer, DIM, style));
  }
  return out.join('\n');
}
