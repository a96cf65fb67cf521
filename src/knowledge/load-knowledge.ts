import { LANGS } from '../shared/lang';
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
  procedureSchema,
  glossarySchema,
  type Topic,
  type RawTopic,
  type Synonyms,
  type OutOfScope,
  type Intents,
  type Procedure,
  type Glossary,
  type StepList,
} from './schema';
import { indexGlossary, uiLabelProblems } from './ui-labels';
import { buildFactKnowledge, factFiles, type FactKnowledge } from './load-facts';

export interface KnowledgeBase extends FactKnowledge {
  topics: readonly Topic[];
  byId: ReadonlyMap<string, Topic>;
  /** Shared step lists (knowledge/procedures/), already resolved into the cases that use them. */
  procedures: ReadonlyMap<string, Procedure>;
  /** Every UI label steps may name (knowledge/glossary.yaml); undefined in a knowledge folder without one. */
  glossary: Glossary | undefined;
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

function yamlFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/** A document whose `id` must be its file name. */
function checkIdMatchesFile(file: string, id: string): void {
  if (id !== basename(file, '.yaml')) throw new KnowledgeError(file, [`id: "${id}" does not match the file name`]);
}

/** Steps with every `{ procedure: id }` replaced by that procedure's steps, and the procedures used. */
interface ResolvedSteps {
  steps: { nl: string[]; en: string[] };
  procedures: string[];
}

/** Where a step list is being resolved: for error messages, and to catch a procedure that includes itself. */
interface ResolveContext {
  file: string;
  procedures: ReadonlyMap<string, Procedure>;
  /** Procedures already part of this list: included once, even when two procedures both include one. */
  included: Set<string>;
}

/** One language of a step list, procedures resolved (depth first), with the procedures used in order. */
function resolveLang(ctx: ResolveContext, lang: 'nl' | 'en', field: string, steps: StepList['nl'], including: readonly string[]): { steps: string[]; used: string[] } {
  const out: string[] = [];
  const used: string[] = [];
  for (const step of steps) {
    if (typeof step === 'string') {
      out.push(step);
      continue;
    }
    const procedure = ctx.procedures.get(step.procedure);
    if (!procedure) throw new KnowledgeError(ctx.file, [`${field}: unknown procedure "${step.procedure}"`]);
    if (including.includes(procedure.id)) {
      throw new KnowledgeError(ctx.file, [`${field}: procedure "${procedure.id}" includes itself (${[...including, procedure.id].join(' → ')})`]);
    }
    if (ctx.included.has(procedure.id)) continue;
    ctx.included.add(procedure.id);
    used.push(procedure.id);
    const inner = resolveLang(ctx, lang, `${field} → procedure ${procedure.id}`, procedure.steps[lang], [...including, procedure.id]);
    out.push(...inner.steps);
    used.push(...inner.used);
  }
  return { steps: out, used };
}

/**
 * Resolves the procedure references of one step list. Both languages must name the same
 * procedures in the same order (they are one list of actions in two languages); an unknown
 * procedure or one that includes itself fails with the file and field. A procedure already
 * included earlier in the same list (two checks that both start by finding the scratch folder)
 * is not repeated.
 */
function resolveSteps(
  file: string,
  field: string,
  steps: StepList,
  procedures: ReadonlyMap<string, Procedure>,
  including: readonly string[] = [],
): ResolvedSteps {
  const refsOf = (lang: 'nl' | 'en') => steps[lang].flatMap((s) => (typeof s === 'string' ? [] : [s.procedure]));
  if (refsOf('nl').join() !== refsOf('en').join()) {
    throw new KnowledgeError(file, [`${field}: nl and en must include the same procedures in the same order`]);
  }
  const nl = resolveLang({ file, procedures, included: new Set(including) }, 'nl', `${field} (nl)`, steps.nl, including);
  const en = resolveLang({ file, procedures, included: new Set(including) }, 'en', `${field} (en)`, steps.en, including);
  if (nl.steps.length !== en.steps.length) {
    throw new KnowledgeError(file, [`${field}: ${nl.steps.length} Dutch steps but ${en.steps.length} English ones`]);
  }
  return { steps: { nl: nl.steps, en: en.steps }, procedures: en.used };
}

function loadProcedures(files: readonly string[], documents: Record<string, unknown>): Map<string, Procedure> {
  const procedures = new Map<string, Procedure>();
  for (const file of files) {
    const procedure = validate(file, documents[file], procedureSchema);
    checkIdMatchesFile(file, procedure.id);
    procedures.set(procedure.id, procedure);
  }
  // Resolve each once on its own, so a broken procedure is reported even when no case uses it.
  for (const file of files) {
    const procedure = procedures.get(basename(file, '.yaml'))!;
    resolveSteps(file, 'steps', procedure.steps, procedures, [procedure.id]);
  }
  return procedures;
}

/** The topic as the rest of the bot sees it: every case's steps as plain text. */
function resolveTopic(file: string, raw: RawTopic, procedures: ReadonlyMap<string, Procedure>): Topic {
  return {
    ...raw,
    cases: raw.cases.map((c, i) => {
      const { steps, procedures: used } = resolveSteps(file, `cases.${i}.steps`, c.steps, procedures);
      return { ...c, steps, procedures: used };
    }),
  };
}

/** Every UI label a step names must come from the glossary, written the one agreed way (see ui-labels.ts). */
function checkUiLabels(file: string, glossary: Glossary, topics: readonly Topic[], procedures: ReadonlyMap<string, Procedure>): void {
  const index = indexGlossary(glossary);
  const problems: string[] = [];
  const check = (where: string, step: string, lang: 'nl' | 'en') => {
    for (const problem of uiLabelProblems(step, lang, index)) problems.push(`${where}: ${problem}`);
  };
  for (const topic of topics) {
    topic.cases.forEach((c, ci) =>
      LANGS.forEach((lang) => c.steps[lang].forEach((step, si) => check(`topics/${topic.id}.yaml cases.${ci}.steps.${lang}.${si}`, step, lang))),
    );
  }
  for (const procedure of procedures.values()) {
    LANGS.forEach((lang) =>
      procedure.steps[lang].forEach((step, si) => {
        if (typeof step === 'string') check(`procedures/${procedure.id}.yaml steps.${lang}.${si}`, step, lang);
      }),
    );
  }
  if (problems.length > 0) throw new KnowledgeError(file, problems);
}

/** Loads and validates every knowledge file; throws KnowledgeError on the first invalid one. */
export function loadKnowledge(dir: string = defaultKnowledgeDir()): KnowledgeBase {
  const topicDir = join(dir, 'topics');
  const topicFiles = yamlFilesIn(topicDir);
  const procedureFiles = yamlFilesIn(join(dir, 'procedures'));
  const glossaryFile = join(dir, 'glossary.yaml');
  const optionalFiles = existsSync(glossaryFile) ? [glossaryFile] : [];
  const files = [
    ...topicFiles,
    ...procedureFiles,
    ...optionalFiles,
    join(dir, 'synonyms.yaml'),
    join(dir, 'out-of-scope.yaml'),
    join(dir, 'intents.yaml'),
    ...factFiles(dir),
  ];
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

  const procedures = loadProcedures(procedureFiles, documents);
  const topics = topicFiles.map((file) => {
    const raw = validate(file, documents[file], topicSchema);
    checkIdMatchesFile(file, raw.id);
    return resolveTopic(file, raw, procedures);
  });
  const byId = new Map(topics.map((t) => [t.id, t] as const));
  for (const topic of topics) {
    const unknown = topic.related.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      throw new KnowledgeError(join(topicDir, `${topic.id}.yaml`), [`related: unknown topic(s) ${unknown.join(', ')}`]);
    }
  }
  const glossary = optionalFiles.length > 0 ? validate(glossaryFile, documents[glossaryFile], glossarySchema) : undefined;
  if (glossary) checkUiLabels(glossaryFile, glossary, topics, procedures);
  const synonyms = validate(join(dir, 'synonyms.yaml'), documents[join(dir, 'synonyms.yaml')], synonymsSchema);
  const outOfScope = validate(join(dir, 'out-of-scope.yaml'), documents[join(dir, 'out-of-scope.yaml')], outOfScopeSchema);
  const intents = validate(join(dir, 'intents.yaml'), documents[join(dir, 'intents.yaml')], intentsSchema);
  const factKnowledge = buildFactKnowledge(dir, documents, new Set(byId.keys()), {
    validate,
    fail: (file, problems) => {
      throw new KnowledgeError(file, problems);
    },
  });
  const requestsSubject = factKnowledge.evidence.requests.subject;
  if (!outOfScope.subjects.some((subject) => subject.id === requestsSubject)) {
    throw new KnowledgeError(join(dir, 'evidence.yaml'), [`requests.subject: unknown out-of-scope subject "${requestsSubject}"`]);
  }
  const unknownBackupSubjects = factKnowledge.evidence.activities.subjects.filter((id) => !outOfScope.subjects.some((subject) => subject.id === id));
  if (unknownBackupSubjects.length > 0) {
    throw new KnowledgeError(join(dir, 'evidence.yaml'), unknownBackupSubjects.map((id) => `activities.subjects: unknown out-of-scope subject "${id}"`));
  }
  if (!cached) writeCache(cacheFile, { hash: digest, documents });
  return { topics, byId, procedures, glossary, synonyms, outOfScope, intents, ...factKnowledge };
}
