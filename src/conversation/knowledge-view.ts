import type { KnowledgeBase } from '../knowledge/load-knowledge';
import { SOURCE_VERSIONS, type FollowUpQuestion, type Topic, type TopicCase } from '../knowledge/schema';
import { type Lang } from '../shared/lang';
import type { SourceCitation } from '../replies/reply';
import { t } from '../shared/i18n';

/** Read-only lookups on the knowledge base that several flows need. */

export function findTopic(kb: KnowledgeBase, id: string | null | undefined): Topic | undefined {
  return id ? kb.byId.get(id) : undefined;
}

export function findCase(topic: Topic, id: string | null | undefined): TopicCase | undefined {
  return id ? topic.cases.find((c) => c.id === id) : undefined;
}

export function findQuestion(topic: Topic, id: string | null | undefined): FollowUpQuestion | undefined {
  return id ? topic.followUps.find((q) => q.id === id) : undefined;
}

/**
 * The next cause to check, in the knowledge file's order: one whose steps the user has not seen,
 * that did not fail already, and that their answers to the follow-up questions did not rule out.
 * None left: undefined (time to hand over, not to repeat ourselves).
 */
export function nextUntriedCase(topic: Topic, excluded: readonly string[]): TopicCase | undefined {
  return topic.cases.find((c) => !excluded.includes(c.id));
}

/** The cases a follow-up option can still lead to, through its chain of next questions. */
export { casesReachable } from '../knowledge/follow-ups';

export function topicOwningErrorId(kb: KnowledgeBase, errorId: string): Topic | undefined {
  return kb.topics.find((topic) => topic.errorIds.includes(errorId));
}

const SOURCE_LANG: Record<(typeof SOURCE_VERSIONS)[number], Lang> = {
  'nl-NL-2019': 'nl',
  'en-US-current': 'en',
  'nl-NL-2021': 'nl',
};
// Newest last. The English "current" revision predates the 2021 Dutch translation on some facts,
// but it is the newest text in English, so per language the order is unambiguous.
const SOURCE_AGE: readonly string[] = ['nl-NL-2019', 'en-US-current', 'nl-NL-2021'];

/**
 * The Microsoft article section to cite: the newest source ref in the reply language (so the
 * heading reads in that language), else the newest ref of any language.
 */
export function sourceCitation(topic: Topic, lang: Lang): SourceCitation | undefined {
  // A section that only an old version has is not on the published page: no link to a dead anchor.
  const byAge = topic.source.filter((r) => r.published).sort((a, b) => SOURCE_AGE.indexOf(b.version) - SOURCE_AGE.indexOf(a.version));
  const ref = byAge.find((r) => SOURCE_LANG[r.version] === lang) ?? byAge[0];
  if (!ref) return undefined;
  const locale = lang === 'nl' ? 'nl-nl' : 'en-us';
  return {
    label: t(lang, 'answer.sourceLabel', { section: ref.section }),
    url: `https://learn.microsoft.com/${locale}/azure/backup/backup-azure-mars-troubleshoot#${ref.anchor}`,
  };
}
