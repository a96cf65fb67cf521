import type { Fact } from '../knowledge/fact-schema';
import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Topic } from '../knowledge/schema';
import type { ClassDocument } from './topic-index';

/**
 * What the matcher scores a message against: every topic, every out-of-scope subject and every fact
 * of the info tier is one class of the same index, so a word the neighbours use as well weighs less.
 * Topics keep their own id; the neighbours' ids carry a prefix.
 */

export const OUT_OF_SCOPE_PREFIX = 'out-of-scope:';
export const FACT_PREFIX = 'fact:';

/** Topic ids are kebab-case; the neighbours' class ids carry a prefix with a colon. */
export const isTopicClass = (id: string): boolean => !id.includes(':');

const both = (value: { nl: string; en: string }) => [value.nl, value.en];
const lists = (value: { nl: string[]; en: string[] }) => [...value.nl, ...value.en];

function topicDocument(topic: Topic): ClassDocument {
  const caseTriggers = topic.cases.flatMap((c) => lists(c.triggers));
  return {
    id: topic.id,
    fields: [
      { texts: both(topic.title), weight: 2 },
      { texts: lists(topic.errorTexts), weight: 1.5 },
      { texts: lists(topic.triggers), weight: 1 },
      { texts: caseTriggers, weight: 0.8 },
      { texts: topic.cases.flatMap((c) => [...both(c.title), ...both(c.when)]), weight: 0.5 },
      { texts: both(topic.summary), weight: 0.5 },
    ],
    phrases: [...lists(topic.triggers), ...lists(topic.errorTexts), ...both(topic.title), ...caseTriggers],
    errorTexts: lists(topic.errorTexts),
  };
}

/** A fact competes with the topics like a topic: its question and the ways admins ask it. */
function factDocument(fact: Fact): ClassDocument {
  return {
    id: FACT_PREFIX + fact.id,
    fields: [
      { texts: both(fact.title), weight: 2 },
      { texts: lists(fact.triggers), weight: 1 },
      { texts: both(fact.answer), weight: 0.5 },
      { texts: lists(fact.points), weight: 0.3 },
    ],
    phrases: [...lists(fact.triggers), ...both(fact.title)],
    errorTexts: [],
  };
}

export function classDocuments(kb: KnowledgeBase): ClassDocument[] {
  return [
    ...kb.topics.map(topicDocument),
    ...kb.outOfScope.subjects.map((subject) => ({
      id: OUT_OF_SCOPE_PREFIX + subject.id,
      fields: [{ texts: lists(subject.triggers), weight: 1 }],
      phrases: lists(subject.triggers),
      errorTexts: [],
    })),
    ...kb.facts.map(factDocument),
  ];
}
