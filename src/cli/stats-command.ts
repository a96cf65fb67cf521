import type { Lang } from '../shared/lang';
import { t } from '../shared/i18n';
import type { Resources } from '../shared/i18n-resources';
import type { Store } from '../storage/store';
import { computeInteractionStats } from '../support/interaction-stats';
import { formatTable } from '../support/text-table';

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((part / whole) * 100).toFixed(1)}%`);

/** `marsbot stats [--json]`: questions per topic, answered vs fallback, solved by the bot, escalations, feedback. */
export async function runStatsCommand(
  store: Pick<Store, 'listInteractions' | 'listTickets'>,
  out: (line: string) => void,
  lang: Lang = 'en',
  since?: number,
  json = false,
): Promise<void> {
  const [events, tickets] = await Promise.all([store.listInteractions(since), store.listTickets()]);
  const stats = computeInteractionStats(events, tickets);
  if (json) {
    out(JSON.stringify(stats, null, 2));
    return;
  }
  const label = (key: Exclude<keyof Resources['support']['cli']['stats'], 'columns'>): string => t(lang, `support:cli.stats.${key}`);

  out(label('title'));
  out('');
  if (events.length === 0) out(label('noData'));
  const summary: string[][] = [
    [label('conversations'), String(stats.conversations), ''],
    [label('questions'), String(stats.questions), ''],
    [label('answered'), String(stats.answered), percent(stats.answered, stats.questions)],
    [label('clarified'), String(stats.clarified), percent(stats.clarified, stats.questions)],
    [label('fallback'), String(stats.fallback), percent(stats.fallback, stats.questions)],
    [label('solved'), String(stats.solved), percent(stats.solved, stats.solved + stats.notSolved)],
    [label('notSolved'), String(stats.notSolved), percent(stats.notSolved, stats.solved + stats.notSolved)],
    [label('escalated'), String(stats.escalatedConversations), ''],
    [label('escalationRate'), percent(stats.escalatedConversations, stats.conversations), ''],
    [label('helpful'), String(stats.helpful), percent(stats.helpful, stats.helpful + stats.notHelpful)],
    [label('notHelpful'), String(stats.notHelpful), percent(stats.notHelpful, stats.helpful + stats.notHelpful)],
    [label('tickets'), `${stats.tickets.open} / ${stats.tickets.claimed} / ${stats.tickets.resolved}`, ''],
  ];
  formatTable(['', '', ''], summary, ['left', 'right', 'right'])
    .slice(1)
    .forEach((line) => out(line));

  if (stats.perTopic.length === 0) return;
  out('');
  out(label('perTopic'));
  const column = (key: keyof Resources['support']['cli']['stats']['columns']): string => t(lang, `support:cli.stats.columns.${key}`);
  const keys = ['topic', 'questions', 'answered', 'solved', 'notSolved', 'escalated', 'helpful', 'notHelpful'] as const;
  const rows = stats.perTopic.map((row) => [
    row.topic ?? label('noTopic'),
    ...keys.slice(1).map((key) => String(row[key as Exclude<(typeof keys)[number], 'topic'>])),
  ]);
  formatTable(keys.map(column), rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right']).forEach((line) =>
    out(line),
  );
}
