import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ZodType } from 'zod';
import {
  evidenceVocabularySchema,
  factSchema,
  factsNotCoveredSchema,
  type EvidenceVocabulary,
  type Fact,
  type FactsNotCovered,
} from './fact-schema';

/**
 * The info tier's files: knowledge/facts/<id>.yaml (one fact each), knowledge/facts/_not-covered.yaml
 * (FAQ and support-matrix sections left out on purpose) and knowledge/evidence.yaml (the words that
 * tell a failure report from a question about facts). Files in facts/ starting with "_" are not facts.
 */

export interface FactKnowledge {
  facts: readonly Fact[];
  factsById: ReadonlyMap<string, Fact>;
  factsNotCovered: FactsNotCovered;
  evidence: EvidenceVocabulary;
}

/** How the loader checks a parsed document and reports a bad file (its KnowledgeError). */
export interface DocumentChecks {
  validate: <T>(file: string, raw: unknown, schema: ZodType<T>) => T;
  fail: (file: string, problems: string[]) => never;
}

interface FactFileSet {
  facts: string[];
  notCovered: string | undefined;
  evidence: string;
}

function factFileSet(dir: string): FactFileSet {
  const factDir = join(dir, 'facts');
  const names = existsSync(factDir) ? readdirSync(factDir).filter((f) => f.endsWith('.yaml')).sort() : [];
  return {
    facts: names.filter((f) => !f.startsWith('_')).map((f) => join(factDir, f)),
    notCovered: names.includes('_not-covered.yaml') ? join(factDir, '_not-covered.yaml') : undefined,
    evidence: join(dir, 'evidence.yaml'),
  };
}

/** Every file this module reads, in a fixed order (the loader hashes and parses them with the rest). */
export function factFiles(dir: string): string[] {
  const set = factFileSet(dir);
  return [...set.facts, ...(set.notCovered ? [set.notCovered] : []), set.evidence];
}

/** Validates the parsed fact files; `topicIds` are the topics a fact may point to. */
export function buildFactKnowledge(
  dir: string,
  documents: Readonly<Record<string, unknown>>,
  topicIds: ReadonlySet<string>,
  checks: DocumentChecks,
): FactKnowledge {
  const { validate, fail } = checks;
  const files = factFileSet(dir);
  const facts = files.facts.map((file) => {
    const fact = validate(file, documents[file], factSchema);
    if (fact.id !== basename(file, '.yaml')) fail(file, [`id: "${fact.id}" does not match the file name`]);
    const unknown = fact.related.filter((id) => !topicIds.has(id));
    if (unknown.length > 0) fail(file, [`related: unknown topic(s) ${unknown.join(', ')}`]);
    if (topicIds.has(fact.id)) fail(file, [`id: "${fact.id}" is also a topic id`]);
    return fact;
  });
  return {
    facts,
    factsById: new Map(facts.map((f) => [f.id, f] as const)),
    factsNotCovered: files.notCovered ? validate(files.notCovered, documents[files.notCovered], factsNotCoveredSchema) : { sections: [] },
    evidence: validate(files.evidence, documents[files.evidence], evidenceVocabularySchema),
  };
}
