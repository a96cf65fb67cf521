import { createInterface } from 'node:readline';
import type { Engine } from '../conversation/engine';
import type { InboundBase } from '../conversation/inbound';
import type { Lang } from '../shared/lang';
import { choicesOf } from '../replies/render-text';
import type { ActionPayload } from '../replies/reply';
import { t } from '../shared/i18n';
import { renderTerminal, type TerminalStyle } from './terminal-text';

/**
 * `marsbot chat`: the same engine as Teams and Slack (guard included), in the terminal. Buttons are
 * numbered; typing a number presses it, anything else is a message. Escalations become real tickets
 * in the configured store (`marsbot tickets list` shows them).
 *
 * A message may span lines: a paste is one message. The terminal marks a paste (bracketed paste,
 * which this turns on), and lines that arrive in one piece of input are one message too, for
 * terminals that do not mark it; Enter after the paste sends it. Input that is not a terminal (a
 * pipe) is read a line per message.
 */

/** A stream that may be a terminal: readline, widths and colours are used only when it is one. */
type Input = NodeJS.ReadableStream & { isTTY?: boolean };
type Output = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; hasColors?: () => boolean };

export interface ChatOptions {
  /** The language of the intro line (DEFAULT_LANG, or --lang). */
  introLang: Lang;
  forceLang?: Lang;
  /** Where the log lines go, said in the intro so they can be found. */
  logFile?: string;
}

const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';
const NEWLINES = /\r\n|\r|\n/g;

interface MessageReader {
  messages: AsyncIterable<string>;
  prompt(): void;
  close(): void;
}

/** Input as messages: on a terminal a paste of many lines is one, in a pipe each line is one. */
function readMessages(input: Input, output: Output, tty: boolean): MessageReader {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  // Lines of a paste, waiting for the end of it (and the Enter after it).
  const pending: string[] = [];
  let pasting = false;
  let linesLeftInChunk = 0;
  let chunkEndsLine = true;

  if (tty) {
    // Before readline's own listener: it turns this chunk into 'line' events as soon as it sees it.
    input.prependListener('data', (chunk: Buffer | string) => {
      const text = chunk.toString();
      linesLeftInChunk = (text.match(NEWLINES) ?? []).length;
      chunkEndsLine = /[\r\n]$/.test(text);
    });
  }
  const rl = createInterface({ input, output, terminal: tty, crlfDelay: Infinity });
  rl.setPrompt('> ');
  if (tty) {
    input.on('keypress', (_char: string | undefined, key: { name?: string } | undefined) => {
      if (key?.name === 'paste-start') pasting = true;
      if (key?.name === 'paste-end') pasting = false;
    });
    output.write(BRACKETED_PASTE_ON);
  }

  const submit = (text: string): void => {
    if (text.trim() === '') return;
    queue.push(text);
    wake?.();
  };
  rl.on('line', (line: string) => {
    if (!tty) return submit(line);
    linesLeftInChunk -= 1;
    const moreToCome = pasting || linesLeftInChunk > 0 || (linesLeftInChunk === 0 && !chunkEndsLine);
    pending.push(line);
    if (moreToCome) return;
    submit(pending.join('\n'));
    pending.length = 0;
  });
  rl.on('SIGINT', () => rl.close());
  rl.on('close', () => {
    closed = true;
    if (tty) output.write(BRACKETED_PASTE_OFF);
    wake?.();
  });

  return {
    messages: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            yield next;
            continue;
          }
          if (closed) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      },
    },
    prompt: () => rl.prompt(),
    close: () => rl.close(),
  };
}

export async function runChat(engine: Engine, input: Input, output: Output, options: ChatOptions): Promise<void> {
  const tty = input.isTTY === true && output.isTTY === true;
  const style = (): TerminalStyle => ({
    ...(output.isTTY && output.columns ? { width: output.columns } : {}),
    color: output.isTTY === true && typeof output.hasColors === 'function' && output.hasColors(),
  });
  const conversationId = `terminal-${Date.now().toString(36)}`;
  // Nobody signs in at a terminal: a ticket asks for a name and an e-mail address.
  const who: InboundBase = { channel: 'cli', conversationId, userId: 'terminal-user', anonymous: true, ...(options.forceLang ? { locale: options.forceLang } : {}) };
  let buttons: ActionPayload[] = [];

  const show = (replies: Awaited<ReturnType<Engine['handle']>>): void => {
    buttons = [];
    for (const reply of replies) {
      output.write(`\n${renderTerminal(reply, style(), buttons.length + 1)}\n`);
      buttons.push(...choicesOf(reply).map((c) => c.action));
    }
    output.write('\n');
  };

  const intro = t(options.introLang, 'cli:chatIntro');
  output.write(`${renderTerminal({ kind: 'notice', lang: options.introLang, text: [intro, ...(options.logFile ? [t(options.introLang, 'cli:chatLogs', { file: options.logFile })] : [])] }, { ...style(), color: false })}\n`);
  show(await engine.handle({ ...who, kind: 'installed' }));

  const reader = readMessages(input, output, tty);
  reader.prompt();
  for await (const message of reader.messages) {
    const text = message.trim();
    if (text === '/quit' || text === '/exit') break;
    const number = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    const action = Number.isInteger(number) ? buttons[number - 1] : undefined;
    show(await engine.handle(action ? { ...who, kind: 'action', action } : { ...who, kind: 'message', text: message }));
    reader.prompt();
  }
  reader.close();
}
