import { userInfo } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isLang, type Lang } from '../shared/lang';
import { t, type MessageKey } from '../shared/i18n';
import type { Resources } from '../shared/i18n-resources';
import type { Engine } from '../conversation/engine';
import { renderText } from '../replies/render-text';
import type { Store, Ticket, TicketStatus } from '../storage/store';
import { COMMAND_LINE } from '../support/support-actions';
import { formatTable } from '../support/text-table';
import { parseArgsMessage } from './parse-args-message';

/** Exit codes: 0 done, 1 the ticket does not exist, 2 the command line was wrong. */
export type CommandExitCode = 0 | 1 | 2;

const STATUSES: readonly TicketStatus[] = ['open', 'claimed', 'resolved'];

const when = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180) with spreadsheet formula injection defused

export const CSV_COLUMNS = [
  'id',
  'status',
  'createdAt',
  'updatedAt',
  'channel',
  'conversationId',
  'userId',
  'userName',
  'contact',
  'lang',
  'topic',
  'case',
  'errorIds',
  'urgency',
  'claimedBy',
  'resolvedBy',
  'threadLink',
  'description',
  'stepsShown',
  'followUpAnswers',
  'feedbackHelpful',
  'feedbackNotHelpful',
  'transcript',
] as const;

function csvCell(value: string): string {
  // Text a user typed must not run as a formula when support opens the export in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(ticket: Ticket): string {
  const helpful = ticket.feedback.filter((f) => f.helpful).length;
  const values: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: ticket.id,
    status: ticket.status,
    createdAt: new Date(ticket.createdAt).toISOString(),
    updatedAt: new Date(ticket.updatedAt).toISOString(),
    channel: ticket.channel,
    conversationId: ticket.conversationId,
    userId: ticket.userId,
    userName: ticket.userName ?? '',
    contact: ticket.contact ?? '',
    lang: ticket.lang,
    topic: ticket.topic ?? '',
    case: ticket.case ?? '',
    errorIds: ticket.errorIds.join(' '),
    urgency: ticket.urgency,
    claimedBy: ticket.claimedBy ?? '',
    resolvedBy: ticket.resolvedBy ?? '',
    threadLink: ticket.threadLink ?? '',
    description: ticket.description,
    stepsShown: ticket.stepsShown.join('\n'),
    followUpAnswers: ticket.followUpAnswers.map((f) => `${f.question}: ${f.answer}`).join('\n'),
    feedbackHelpful: String(helpful),
    feedbackNotHelpful: String(ticket.feedback.length - helpful),
    transcript: ticket.transcript.map((line) => `${line.from}: ${line.text}`).join('\n'),
  };
  return CSV_COLUMNS.map((column) => csvCell(values[column])).join(',');
}

// ---------------------------------------------------------------------------------------------

async function list(store: TicketsCommandDeps['store'], status: string | undefined, io: Io, lang: Lang): Promise<CommandExitCode> {
  if (status !== undefined && !STATUSES.includes(status as TicketStatus)) {
    io.err(t(lang, 'support:cli.unknownStatus', { status }));
    return 2;
  }
  const tickets = await store.listTickets(status ? { status: status as TicketStatus } : {});
  if (tickets.length === 0) {
    io.out(t(lang, 'support:cli.noTickets'));
    return 0;
  }
  const column = (key: keyof Resources['support']['cli']['columns']): string => t(lang, `support:cli.columns.${key}`);
  const rows = tickets.map((ticket) => [
    ticket.id,
    t(lang, `support:status.${ticket.status}`),
    when(ticket.createdAt),
    ticket.channel,
    ticket.userName ?? ticket.userId,
    ticket.topic ?? '-',
    t(lang, `support:urgency.${ticket.urgency}`),
    ticket.claimedBy ?? '',
  ]);
  const headers = (['id', 'status', 'created', 'channel', 'user', 'topic', 'urgency', 'claimedBy'] as const).map(column);
  formatTable(headers, rows).forEach((line) => io.out(line));
  return 0;
}

async function show(store: TicketsCommandDeps['store'], id: string, io: Io, lang: Lang): Promise<CommandExitCode> {
  const out = io.out;
  const ticket = await store.getTicket(id);
  if (!ticket) {
    io.err(t(lang, 'support:cli.notFound', { id }));
    return 1;
  }
  const label = (key: MessageKey): string => t(lang, key);
  const rows: [string, string][] = [
    [label('support:cli.show.status'), t(lang, `support:status.${ticket.status}`)],
    [label('support:cli.show.created'), when(ticket.createdAt)],
    [label('support:cli.show.updated'), when(ticket.updatedAt)],
    [label('support:summary.fields.user'), ticket.userName ? `${ticket.userName} (${ticket.userId})` : ticket.userId],
    ...(ticket.contact ? [[label('support:summary.fields.contact'), ticket.contact] as [string, string]] : []),
    [label('support:summary.fields.platform'), ticket.channel],
    [label('support:summary.fields.language'), ticket.lang],
    [label('support:summary.fields.topic'), ticket.topic ?? '-'],
    [label('support:summary.fields.case'), ticket.case ?? '-'],
    [label('support:summary.fields.errorIds'), ticket.errorIds.join(', ') || '-'],
    [label('support:summary.fields.urgency'), t(lang, `support:urgency.${ticket.urgency}`)],
    [label('support:summary.fields.thread'), ticket.threadLink ?? '-'],
    [label('support:cli.show.claimedBy'), ticket.claimedBy ?? '-'],
    [label('support:cli.show.resolvedBy'), ticket.resolvedBy ?? '-'],
  ];
  out(ticket.id);
  formatTable(['', ''], rows).slice(1).forEach((line) => out(`  ${line}`));
  out('');
  out(`${label('support:summary.fields.description')}:`);
  ticket.description.split(/\r?\n/).forEach((line) => out(`  ${line}`));
  if (ticket.stepsShown.length > 0) {
    out(`${label('support:summary.fields.stepsShown')}:`);
    ticket.stepsShown.forEach((step) => out(`  - ${step}`));
  }
  if (ticket.followUpAnswers.length > 0) {
    out(`${label('support:summary.fields.followUps')}:`);
    ticket.followUpAnswers.forEach((f) => out(`  - ${f.question}: ${f.answer}`));
  }
  if (ticket.transcript.length > 0) {
    out(`${label('support:cli.show.transcript')}:`);
    ticket.transcript.forEach((line) =>
      out(`  [${when(line.at)}] ${t(lang, `support:summary.speaker.${line.from}`)}: ${line.text.replace(/\s+/g, ' ')}`),
    );
  }
  return 0;
}

async function exportTickets(store: TicketsCommandDeps['store'], format: string, io: Io, lang: Lang): Promise<CommandExitCode> {
  const out = io.out;
  if (format !== 'csv' && format !== 'json') {
    io.err(t(lang, 'support:cli.unknownFormat', { format }));
    return 2;
  }
  // Oldest first: an export reads like a log.
  const tickets = (await store.listTickets()).sort((a, b) => a.number - b.number);
  if (format === 'json') {
    out(JSON.stringify(tickets.map(({ idempotencyKey: _key, ...ticket }) => ticket), null, 2));
    return 0;
  }
  out(CSV_COLUMNS.join(','));
  tickets.forEach((ticket) => out(csvRow(ticket)));
  return 0;
}

/** The operator on the server's command line may claim and resolve any ticket, as the support layer decides. */
async function changeTicket(
  tickets: TicketsCommandDeps,
  request: { type: 'claim' | 'resolve'; ticketId: string; by?: string; note?: string },
  io: Io,
  lang: Lang,
): Promise<CommandExitCode> {
  if (!tickets.engine) {
    io.err(t(lang, 'support:cli.usage'));
    return 2;
  }
  const { ticketId } = request;
  if (!(await tickets.store.getTicket(ticketId))) {
    io.err(t(lang, 'support:cli.notFound', { id: ticketId }));
    return 1;
  }
  const by = request.by?.trim() || userInfo().username;
  // The same path as the Claim and Resolve buttons: the support layer changes the ticket and tells the user's thread.
  const replies = await tickets.engine.handle({
    kind: 'support-action',
    channel: COMMAND_LINE,
    conversationId: 'terminal',
    userId: by,
    userName: by,
    locale: lang,
    request: request.type === 'claim' ? { type: 'claim', ticketId } : { type: 'resolve', ticketId, ...(request.note ? { note: request.note } : {}) },
    where: { place: COMMAND_LINE, shared: false },
  });
  replies.forEach((reply) => io.out(renderText(reply)));
  return 0;
}

/** What the tickets command works on: the store, and (to claim or resolve) the engine the chat channels use. */
export interface TicketsCommandDeps {
  store: Pick<Store, 'getTicket' | 'listTickets'>;
  engine?: Engine;
}

/** Where the command writes: its output, and what went wrong (stderr on the command line). */
interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const SUBCOMMANDS = ['list', 'show', 'export', 'claim', 'resolve'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** The options each subcommand takes; anything else is refused (parseArgs, strict). */
const OPTIONS: Record<Subcommand, NonNullable<ParseArgsConfig['options']>> = {
  list: { status: { type: 'string' } },
  show: {},
  export: { format: { type: 'string' } },
  claim: { by: { type: 'string' } },
  resolve: { by: { type: 'string' }, note: { type: 'string' } },
};
/** How many ticket ids a subcommand takes. */
const IDS: Record<Subcommand, number> = { list: 0, show: 1, export: 0, claim: 1, resolve: 1 };
const COMMON: NonNullable<ParseArgsConfig['options']> = { lang: { type: 'string' } };

/**
 * `marsbot tickets list [--status s] | show MARS-1001 | export [--format csv|json] | claim|resolve MARS-1001 [--by name] [--note text]`.
 * `args` are the words after "tickets"; every line of output goes through `out`, every complaint
 * through `err` (default: `out`). Exit codes: 0 done, 1 no such ticket, 2 the command line was wrong.
 */
export async function runTicketsCommand(
  tickets: TicketsCommandDeps,
  args: string[],
  out: (line: string) => void,
  lang: Lang = 'en',
  err: (line: string) => void = out,
): Promise<CommandExitCode> {
  const io: Io = { out, err };
  const words = args[0] === 'tickets' ? args.slice(1) : args;
  const [sub, ...rest] = words;
  if (!SUBCOMMANDS.includes(sub as Subcommand)) {
    err(sub && !sub.startsWith('-') ? t(lang, 'cli:usageError', { command: 'tickets', message: `unknown subcommand "${sub}"` }) : t(lang, 'support:cli.usage'));
    if (sub && !sub.startsWith('-')) err(t(lang, 'support:cli.usage'));
    return 2;
  }
  const subcommand = sub as Subcommand;
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: { ...OPTIONS[subcommand], ...COMMON }, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    err(t(lang, 'cli:usageError', { command: `tickets ${subcommand}`, message: parseArgsMessage(error) }));
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== IDS[subcommand]) {
    err(t(lang, 'cli:usageError', { command: `tickets ${subcommand}`, message: IDS[subcommand] === 0 ? `unexpected "${positionals[0]}"` : 'say which ticket, for example MARS-1001' }));
    err(t(lang, 'support:cli.usage'));
    return 2;
  }
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  const chosen = text('lang');
  if (chosen !== undefined && !isLang(chosen)) {
    err(t(lang, 'cli:usageError', { command: `tickets ${subcommand}`, message: `--lang must be nl or en, not "${chosen}"` }));
    return 2;
  }
  return runSubcommand(tickets, subcommand, positionals[0] ?? '', text, io, chosen ?? lang);
}

async function runSubcommand(
  tickets: TicketsCommandDeps,
  subcommand: Subcommand,
  ticketId: string,
  text: (name: string) => string | undefined,
  io: Io,
  lang: Lang,
): Promise<CommandExitCode> {
  const { store } = tickets;
  switch (subcommand) {
    case 'list':
      return list(store, text('status'), io, lang);
    case 'show':
      return show(store, ticketId, io, lang);
    case 'export':
      return exportTickets(store, text('format') ?? 'csv', io, lang);
    case 'claim':
      return changeTicket(tickets, { type: 'claim', ticketId, ...(text('by') ? { by: text('by')! } : {}) }, io, lang);
    case 'resolve':
      return changeTicket(tickets, { type: 'resolve', ticketId, ...(text('by') ? { by: text('by')! } : {}), ...(text('note') ? { note: text('note')! } : {}) }, io, lang);
  }
}
