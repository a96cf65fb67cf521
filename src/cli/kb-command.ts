import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Lang } from '../shared/lang';

/** `marsbot kb list`: one line per topic — id, tier, cases, error ids, title. */
export function formatKnowledgeList(kb: KnowledgeBase, lang: Lang): string {
  const idWidth = Math.max(...kb.topics.map((t) => t.id.length));
  const header = `${'topic'.padEnd(idWidth)}  tier     cases  error ids / title`;
  const rows = kb.topics.map((topic) => {
    const ids = topic.errorIds.length > 0 ? topic.errorIds.join(', ') : '—';
    return `${topic.id.padEnd(idWidth)}  ${topic.tier.padEnd(7)}  ${String(topic.cases.length).padStart(5)}  ${ids}\n${' '.repeat(idWidth + 18)}${topic.title[lang]}`;
  });
  return [header, ...rows].join('\n');
}
