import type { Lang } from '../shared/lang';
import { t } from '../shared/i18n';
import { userInfo } from 'node:os';
import type { Engine } from '../conversation/engine';
import { renderText } from '../replies/render-text';
import type { Store, Ticket, TicketStatus } from '../storage/store';
import { COMMAND_LINE } from '../support/support-actions';
import { formatTable } from '../support/text-table';

/** Exit codes: 0 done, 1 the ticket does not exist, 2 the command line was wrong. */
export type CommandExitCode = 0 | 1 | 2;

const STATUSES: readonly TicketStatus[] = ['open', 'claimed', 'resolved'];

const when = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}Z`;

/** Reads "--name value" and "--name=value". */
function option(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === `--${name}`) return args[i + 1] ?? '';
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/** The words that are not options or option values ("--by name", "--by=name"). */
function positionals(args: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      if (!arg.includes('=')) i += 1;
      continue;
    }
    words.push(arg);
  }
  return words;
}

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

export function csvCell(value: string): string {
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

async function list(store: TicketsCommandDeps['store'], args: string[], out: (line: string) => void, lang: Lang): Promise<CommandExitCode> {
  const status = option(args, 'status');
  if (status !== undefined && !STATUSES.includes(status as TicketStatus)) {
    out(t(lang, 'support:cli.unknownStatus', { status }));
    return 2;
  }
  const tickets = await store.listTickets(status ? { status: status as TicketStatus } : {});
  if (tickets.length === 0) {
    out(t(lang, 'support:cli.noTickets'));
    return 0;
  }
  const column = (key: string): string => t(lang, `support:cli.columns.${key}`);
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
  const headers = ['id', 'status', 'created', 'channel', 'user', 'topic', 'urgency', 'claimedBy'].map(column);
  formatTable(headers, rows).forEach((line) => out(line));
  return 0;
}

async function show(store: TicketsCommandDeps['store'], id: string | undefined, out: (line: string) => void, lang: Lang): Promise<CommandExitCode> {
  if (!id) {
    out(t(lang, 'support:cli.usage'));
    return 2;
  }
  const ticket = await store.getTicket(id);
  if (!ticket) {
    out(t(lang, 'support:cli.notFound', { id }));
    return 1;
  }
  const label = (key: string): string => t(lang, key);
  const rows: [string, string][] = [
    [label('support:cli.show.status'), t(lang, `support:status.${ticket.status}`)],
    [label('support:cli.show.created'), when(ticket.createdAt)],
    [label('support:cli.show.updated'), when(ticket.updatedAt)],
    [label('support:summary.fields.user'), ticket.userName ? `${ticket.userName} (${ticket.userId})` : ticket.userId],
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

async function exportTickets(store: TicketsCommandDeps['store'], args: string[], out: (line: string) => void, lang: Lang): Promise<CommandExitCode> {
  const format = option(args, 'format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') {
    out(t(lang, 'support:cli.unknownFormat', { format }));
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
  kind: 'claim' | 'resolve',
  args: string[],
  out: (line: string) => void,
  lang: Lang,
): Promise<CommandExitCode> {
  const id = positionals(args)[0];
  if (!id || !tickets.engine) {
    out(t(lang, 'support:cli.usage'));
    return 2;
  }
  if (!(await tickets.store.getTicket(id))) {
    out(t(lang, 'support:cli.notFound', { id }));
    return 1;
  }
  const by = option(args, 'by') || userInfo().username;
  const replies = await tickets.engine.handle({
    kind: 'support-action',
    channel: COMMAND_LINE,
    conversationId: 'terminal',
    userId: by,
    userName: by,
    locale: lang,
    request: { type: kind, ticketId: id },
    where: { place: COMMAND_LINE, shared: false },
  });
  replies.forEach((reply) => out(renderText(reply)));
  return 0;
}

/** What the tickets command works on: the store, and (to claim or resolve) the engine the chat channels use. */
export interface TicketsCommandDeps {
  store: Pick<Store, 'getTicket' | 'listTickets'>;
  engine?: Engine;
}

/**
 * `marsbot tickets list [--status s] | show MARS-1001 | export --format csv|json | claim|resolve MARS-1001 [--by name]`.
 * `args` are the words after "tickets"; every line of output goes through `out`.
 */
export async function runTicketsCommand(
  tickets: TicketsCommandDeps,
  args: string[],
  out: (line: string) => void,
  lang: Lang = 'en',
): Promise<CommandExitCode> {
  const { store } = tickets;
  const words = args[0] === 'tickets' ? args.slice(1) : args;
  const [sub, ...rest] = words;
  switch (sub) {
    case 'list':
      return list(store, rest, out, lang);
    case 'show':
      return show(store, rest[0], out, lang);
    case 'export':
      return exportTickets(store, rest, out, lang);
    case 'claim':
    case 'resolve':
      return changeTicket(tickets, sub, rest, out, lang);
    default:
      out(t(lang, 'support:cli.usage'));
      return 2;
  }
}
