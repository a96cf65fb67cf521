import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Analyzer } from './analyzer';
import { tokenize } from './normalize-text';

/**
 * Which topics name a product or program in their own words: their triggers, their cases' triggers
 * and the answers their follow-up questions expect ("Firefox" as the other browser tried). A name
 * the topics use is part of their story (Windows Server Backup clashing with the schedule, the
 * browser that downloads the vault credentials), not by itself someone else's problem.
 */
export interface TopicNames {
  /** The ids of the topics whose words hold the name as whole words. */
  topicsNaming: (name: string) => ReadonlySet<string>;
  /** Whether any topic's words hold the name. */
  usedByTopics: (name: string) => boolean;
}

export function createTopicNames(kb: KnowledgeBase, analyzer: Analyzer): TopicNames {
  const asWords = (text: string): string => tokenize(analyzer.clean(text)).join(' ');
  // Each topic's phrases as " phrase | phrase ", so a name is found as " name ".
  const topicTexts = kb.topics.map((t) => ({
    id: t.id,
    text: ` ${[
      ...t.triggers.nl,
      ...t.triggers.en,
      ...t.cases.flatMap((c) => [...c.triggers.nl, ...c.triggers.en]),
      ...t.followUps.flatMap((f) => f.options.flatMap((o) => [...o.answers.nl, ...o.answers.en])),
    ]
      .map(asWords)
      .join(' | ')} `,
  }));
  const topicsNaming = (name: string): ReadonlySet<string> => {
    const needle = ` ${asWords(name)} `;
    return new Set(topicTexts.filter((t) => t.text.includes(needle)).map((t) => t.id));
  };
  return { topicsNaming, usedByTopics: (name) => topicsNaming(name).size > 0 };
}
