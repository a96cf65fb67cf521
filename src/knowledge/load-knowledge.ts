import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
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
import { buildFactKnowledge, factFiles, type FactKnowledge } from './load-facts';

export interface KnowledgeBase extends FactKnowledge {
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

/**
 * Parsing YAML is most of the start-up time, so the parsed documents are kept in
 * dist/knowledge-cache.json, keyed by a hash of the files' text. The schema still validates
 * every document on every load; only the YAML parsing is skipped while the files are unchanged.
 */
interface ParsedCache {
  hash: string;
  documents: Record<string, unknown>;
}

function cacheFileFor(dir: string): string {
  return join(dir, '..', 'dist', 'knowledge-cache.json');
}

function readCache(file: string, hash: string): Record<string, unknown> | undefined {
  try {
    const cache = JSON.parse(readFileSync(file, 'utf8')) as ParsedCache;
    return cache.hash === hash ? cache.documents : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, cache: ParsedCache): void {
  if (!existsSync(join(file, '..'))) return;
  try {
    writeFileSync(file, JSON.stringify(cache));
  } catch {
    // A read-only install simply parses the YAML every time.
  }
}

function parseYamlFile(file: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new KnowledgeError(file, [`not valid YAML: ${(err as Error).message}`]);
  }
}

function validate<T>(file: string, raw: unknown, schema: ZodType<T>): T {
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
  const topicFiles = readdirSync(topicDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(topicDir, f));
  const files = [...topicFiles, join(dir, 'synonyms.yaml'), join(dir, 'out-of-scope.yaml'), join(dir, 'intents.yaml'), ...factFiles(dir)];
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  const hash = createHash('sha256');
  files.forEach((file, i) => hash.update(`${file}\0${texts[i]}\0`));
  const digest = hash.digest('hex');
  const cacheFile = cacheFileFor(dir);
  const cached = readCache(cacheFile, digest);
  const documents: Record<string, unknown> = cached ?? {};
  if (!cached) {
    files.forEach((file, i) => {
      documents[file] = parseYamlFile(file, texts[i]!);
    });
  }

  const topics = topicFiles.map((file) => {
    const topic = validate(file, documents[file], topicSchema);
    if (topic.id !== basename(file, '.yaml')) {
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
  const synonyms = validate(join(dir, 'synonyms.yaml'), documents[join(dir, 'synonyms.yaml')], synonymsSchema);
  const outOfScope = validate(join(dir, 'out-of-scope.yaml'), documents[join(dir, 'out-of-scope.yaml')], outOfScopeSchema);
  const intents = validate(join(dir, 'intents.yaml'), documents[join(dir, 'intents.yaml')], intentsSchema);
  const factKnowledge = buildFactKnowledge(dir, documents, new Set(byId.keys()), {
    validate,
    fail: (file, problems) => {
      throw new KnowledgeError(file, problems);
    },
  });
  if (!cached) writeCache(cacheFile, { hash: digest, documents });
  return { topics, byId, synonyms, outOfScope, intents, ...factKnowledge };
}
