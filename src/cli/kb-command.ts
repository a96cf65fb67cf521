import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Lang } from '../shared/lang';

/**
 * `marsbot kb list`: one line per topic — id, tier, cases, error ids, title — then one per fact of
 * the info tier — id, where it comes from, the topics it leads to, its question.
 */
export function formatKnowledgeList(kb: KnowledgeBase, lang: Lang): string {
  const idWidth = Math.max(...kb.topics.map((t) => t.id.length), ...kb.facts.map((f) => f.id.length));
  const header = `${'topic'.padEnd(idWidth)}  tier     cases  error ids / title`;
  const rows = kb.topics.map((topic) => {
    const ids = topic.errorIds.length > 0 ? topic.errorIds.join(', ') : '—';
    return `${topic.id.padEnd(idWidth)}  ${topic.tier.padEnd(7)}  ${String(topic.cases.length).padStart(5)}  ${ids}\n${' '.repeat(idWidth + 18)}${topic.title[lang]}`;
  });
  if (kb.facts.length === 0) return [header, ...rows].join('\n');
  const factHeader = `${'fact'.padEnd(idWidth)}  source                 related topics / question`;
  const factRows = kb.facts.map((fact) => {
    const documents = [...new Set(fact.source.map((s) => (s.document === 'mars-faq' ? 'faq' : 'support-matrix')))].join('+');
    const related = fact.related.length > 0 ? fact.related.join(', ') : '—';
    return `${fact.id.padEnd(idWidth)}  ${documents.padEnd(21)}  ${related}\n${' '.repeat(idWidth + 25)}${fact.title[lang]}`;
  });
  return [header, ...rows, '', factHeader, ...factRows].join('\n');
}
