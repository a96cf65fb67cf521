import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ZodType } from 'zod';
import {
  topicSchema,
  synonymsSchema,
  outOfScopeSchema,
  intentsSchema,
  type Topic,
  type Synonyms,
  type OutOfScope,
  type Intents,
} from './schema';

export interface KnowledgeBase {
  topics: readonly Topic[];
  byId: ReadonlyMap<string, Topic>;
  synonyms: Synonyms;
  outOfScope: OutOfScope;
  intents: Intents;
}

/** A knowledge file that does not follow the schema: names the file and the exact field. */
export class KnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'KnowledgeError';
  }
}

/** knowledge/ at the package root, whether we run from src (tests) or dist (built). */
export function defaultKnowledgeDir(): string {
  const candidates = [join(__dirname, '..', '..', 'knowledge'), join(__dirname, '..', '..', '..', 'knowledge')];
  return candidates.find((dir) => existsSync(join(dir, 'topics'))) ?? candidates[0]!;
}

function parseFile<T>(file: string, schema: ZodType<T>): T {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KnowledgeError(file, [`not valid YAML: ${(err as Error).message}`]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new KnowledgeError(file, problems);
  }
  return result.data;
}

/** Loads and validates every knowledge file; throws KnowledgeError on the first invalid one. */
export function loadKnowledge(dir: string = defaultKnowledgeDir()): KnowledgeBase {
  const topicDir = join(dir, 'topics');
  const files = readdirSync(topicDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const topics = files.map((f) => {
    const file = join(topicDir, f);
    const topic = parseFile(file, topicSchema);
    if (topic.id !== basename(f, '.yaml')) {
      throw new KnowledgeError(file, [`id: "${topic.id}" does not match the file name`]);
    }
    return topic;
  });
  const byId = new Map(topics.map((t) => [t.id, t] as const));
  for (const topic of topics) {
    const unknown = topic.related.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      throw new KnowledgeError(join(topicDir, `${topic.id}.yaml`), [`related: unknown topic(s) ${unknown.join(', ')}`]);
    }
  }
  const synonyms = parseFile(join(dir, 'synonyms.yaml'), synonymsSchema);
  const outOfScope = parseFile(join(dir, 'out-of-scope.yaml'), outOfScopeSchema);
  const intents = parseFile(join(dir, 'intents.yaml'), intentsSchema);
  return { topics, byId, synonyms, outOfScope, intents };
}
