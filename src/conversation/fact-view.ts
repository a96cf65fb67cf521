import { factSourceUrl, type Fact } from '../knowledge/fact-schema';
import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { LocalizedText, Topic } from '../knowledge/schema';
import type { Lang } from '../shared/lang';
import type { SourceCitation } from '../replies/reply';
import { t } from '../shared/i18n';

/** Read-only views of the info tier (facts) and of the out-of-scope subjects, for replies in every channel. */

/** The Microsoft Learn section a fact comes from (its first source). */
export function factCitation(fact: Fact, lang: Lang): SourceCitation {
  const source = fact.source[0]!;
  return {
    label: t(lang, 'info.sourceLabel', { document: t(lang, `info.documents.${source.document}`), section: source.section }),
    url: factSourceUrl(source),
  };
}

/** The troubleshooting topics a fact leads to, that the knowledge base has. */
export function relatedTopics(kb: KnowledgeBase, fact: Fact): Topic[] {
  return fact.related.map((id) => kb.byId.get(id)).filter((topic): topic is Topic => topic !== undefined);
}

export interface SubjectView {
  name: LocalizedText;
  link?: { title: LocalizedText; url: string };
}

/** An out-of-scope subject's name and Microsoft Learn page, when the knowledge base gives them. */
export function findSubject(kb: KnowledgeBase, id: string | undefined): SubjectView | undefined {
  const subject = id ? kb.outOfScope.subjects.find((s) => s.id === id) : undefined;
  if (!subject?.name) return undefined;
  return { name: subject.name, ...(subject.link ? { link: subject.link } : {}) };
}
