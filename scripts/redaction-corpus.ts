/**
 * The redaction corpus (test/shared/redaction-corpus.yaml) expanded into cases, and the scoring
 * both the jest test and `npm run eval:redaction` use: recall per kind of secret, false positives
 * per kind of look-alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KnowledgeBase } from '../src/knowledge/load-knowledge';

export interface SecretCase {
  /** Where it came from: a grid's name or "hand-written". */
  source: string;
  kind: string;
  text: string;
  /** Values that must be gone from the output. */
  secrets: string[];
  /** Text that must still be there. */
  keep: string[];
  /** For generated cases: the output must start with this (the words before the secret). */
  prefix?: string;
  /** For generated cases: the output must end with this (what followed the secret, from the next space or line on). */
  suffix?: string;
}

export interface Lookalike {
  category: string;
  text: string;
}

export interface RedactionCorpus {
  secrets: SecretCase[];
  lookalikes: Lookalike[];
  /** Text without a secret that is redacted on purpose (recall over readability). */
  tradeoffs: string[];
}

interface Grid {
  name: string;
  kind: string;
  cross: string[];
  text: string;
  axes: Record<string, string[]>;
}

interface CorpusFile {
  grids: Grid[];
  cases: { kind: string; text: string; secrets: string[]; keep?: string[] }[];
  lookalikes: Record<string, string[]>;
  tradeoffs: string[];
}

const PLACEHOLDER = /\{(\w+)\}/g;

function fill(template: string, values: Record<string, string>): string {
  let text = template;
  // Axis values may hold placeholders of other axes (a frame holds {label}{sep}{secret}).
  for (let pass = 0; pass < 4 && PLACEHOLDER.test(text); pass += 1) {
    PLACEHOLDER.lastIndex = 0;
    text = text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
    PLACEHOLDER.lastIndex = 0;
  }
  return text;
}

/** What follows the secret that must survive: from the first space or line break after it. */
function suffixAfter(text: string, secretEnd: number): string | undefined {
  const after = text.slice(secretEnd);
  // Punctuation right after a secret may be part of it ("Welkom2024!"): judge from the next space on.
  const space = after.search(/\s/);
  if (space >= 0) return after.slice(space);
  // Nothing but a delimiter that closes the value: a quote, a tag, the next parameter, the host.
  return /^[@;&"'<}\])]/.test(after) ? after : undefined;
}

function expandGrid(grid: Grid): SecretCase[] {
  const crossed = grid.cross.map((axis) => grid.axes[axis] ?? []);
  const rotating = Object.keys(grid.axes).filter((axis) => !grid.cross.includes(axis));
  const combos: Record<string, string>[] = [{}];
  grid.cross.forEach((axis, i) => {
    const next: Record<string, string>[] = [];
    for (const combo of combos) for (const value of crossed[i]!) next.push({ ...combo, [axis]: value });
    combos.splice(0, combos.length, ...next);
  });
  return combos.map((combo, n) => {
    const values = { ...combo };
    // Different strides so two rotating axes do not always turn together.
    rotating.forEach((axis, i) => {
      const list = grid.axes[axis]!;
      values[axis] = list[(n * (i + 1) + Math.floor(n / list.length)) % list.length]!;
    });
    const secret = values['secret']!;
    const marked = fill(grid.text, { ...values, secret: '\u0000' });
    const at = marked.indexOf('\u0000');
    const text = fill(grid.text, values);
    const secretEnd = at + secret.length;
    return {
      source: grid.name,
      kind: grid.kind,
      text,
      secrets: [secret],
      keep: [],
      prefix: text.slice(0, at).trimEnd(),
      ...(suffixAfter(text, secretEnd) !== undefined ? { suffix: suffixAfter(text, secretEnd)! } : {}),
    };
  });
}

/**
 * Our own reply text. It never goes through redaction (the transcript only takes this turn's own
 * secrets out of it, see withoutSecrets), so it is reported but not held to zero.
 */
export const BOT_TEXT = 'knowledge: reply text (titles, summaries, steps; never redacted)';

/**
 * What the knowledge base knows that users paste or type (the agent's messages, trigger phrases),
 * the follow-up questions and answers a conversation stores, and our reply text.
 */
export function knowledgeLookalikes(kb: KnowledgeBase): Lookalike[] {
  const out: Lookalike[] = [];
  const add = (category: string, texts: Iterable<string>) => {
    for (const text of texts) out.push({ category, text });
  };
  for (const topic of kb.topics) {
    for (const lang of ['nl', 'en'] as const) {
      add('knowledge: agent error messages', topic.errorTexts[lang]);
      add('knowledge: trigger phrases', topic.triggers[lang]);
      add(BOT_TEXT, [topic.title[lang], topic.summary[lang]]);
      for (const c of topic.cases) {
        add(BOT_TEXT, [c.title[lang], c.when[lang], ...c.steps[lang]]);
        add('knowledge: trigger phrases', c.triggers[lang]);
      }
      for (const q of topic.followUps) {
        add('knowledge: follow-up questions and answers', [q.question[lang]]);
        for (const o of q.options) add('knowledge: follow-up questions and answers', [o.label[lang], ...o.answers[lang]]);
      }
    }
  }
  for (const subject of kb.outOfScope.subjects) add('knowledge: trigger phrases', [...subject.triggers.nl, ...subject.triggers.en]);
  return out;
}

interface EvalTurn {
  text?: string;
  expect?: { noSecret?: string };
}

function evalTurns(evalDir: string): EvalTurn[] {
  const out: EvalTurn[] = [];
  for (const file of readdirSync(evalDir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(evalDir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const entry = JSON.parse(line) as EvalTurn & { turns?: EvalTurn[] };
      out.push(entry, ...(entry.turns ?? []));
    }
  }
  return out;
}

/** `noSecret` names a secret pasted in this turn or earlier in the conversation: here only the former. */
function holdsItsSecret(turn: EvalTurn): boolean {
  const secret = turn.expect?.noSecret;
  return typeof turn.text === 'string' && typeof secret === 'string' && secret !== '' && turn.text.includes(secret);
}

/** The kind under which the secrets of the evaluation conversations (their `noSecret`) are scored. */
export const EVAL_SET_SECRETS = 'eval-set secrets';

/** Every message of the evaluation sets that holds no secret: real and realistic questions. */
export function evalLookalikes(evalDir: string, secretTexts: ReadonlySet<string> = new Set()): Lookalike[] {
  return evalTurns(evalDir)
    .filter((turn) => typeof turn.text === 'string' && turn.text !== '' && !holdsItsSecret(turn) && !secretTexts.has(turn.text))
    // A message that does hold a secret is one of the corpus's secret cases instead.
    .map((turn) => ({ category: 'eval-set messages', text: turn.text! }));
}

/** The turns of the evaluation conversations that paste a secret (`noSecret`): it must go. */
export function evalSecretCases(evalDir: string): SecretCase[] {
  return evalTurns(evalDir)
    .filter(holdsItsSecret)
    .map((turn) => ({ source: 'eval sets', kind: EVAL_SET_SECRETS, text: turn.text!, secrets: [turn.expect!.noSecret!], keep: [] }));
}

/** Every string of locales/: our own wording, which confirmations and notices run through redaction. */
export function localeLookalikes(localesDir: string): Lookalike[] {
  const out: Lookalike[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push({ category: 'locales', text: value });
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const lang of readdirSync(localesDir).sort()) {
    for (const file of readdirSync(join(localesDir, lang)).filter((f) => f.endsWith('.json')).sort()) {
      walk(JSON.parse(readFileSync(join(localesDir, lang, file), 'utf8')));
    }
  }
  return out;
}

export function loadRedactionCorpus(root: string, kb: KnowledgeBase): RedactionCorpus {
  const file = parse(readFileSync(join(root, 'test', 'shared', 'redaction-corpus.yaml'), 'utf8')) as CorpusFile;
  const handWritten = file.cases.map((c) => ({ source: 'hand-written', kind: c.kind, text: c.text, secrets: c.secrets, keep: c.keep ?? [] }));
  const secrets = [...file.grids.flatMap(expandGrid), ...handWritten, ...evalSecretCases(join(root, 'test', 'eval'))];
  const lookalikes = [
    ...Object.entries(file.lookalikes).flatMap(([category, texts]) => texts.map((text) => ({ category, text }))),
    ...knowledgeLookalikes(kb),
    ...localeLookalikes(join(root, 'locales')),
    ...evalLookalikes(join(root, 'test', 'eval'), new Set(handWritten.map((c) => c.text))),
  ];
  return { secrets, lookalikes, tradeoffs: file.tradeoffs };
}

function occurrences(haystack: string, needle: string): number {
  if (needle === '') return 0;
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count += 1;
  return count;
}

/**
 * Why a secret case failed, or undefined when it passed: a secret (or a word of a multi-word one)
 * is still there, or the text around it was damaged.
 */
export function secretCaseProblem(c: SecretCase, output: string): string | undefined {
  // A marker names the kind ("[redacted:passphrase]"), which is no leak of a secret holding "phrase".
  const unmarked = output.replace(/\[redacted:[a-z-]+\]/g, ' ');
  for (const secret of c.secrets) {
    if (output.includes(secret)) return `secret left: ${secret}`;
    const context = c.text.split(secret).join(' ');
    for (const word of secret.split(/\s+/).filter((w) => w.length >= 4)) {
      if (occurrences(unmarked, word) > occurrences(context, word)) return `part of "${secret}" left: ${word}`;
    }
  }
  if (!output.includes('[redacted:')) return 'no marker';
  for (const part of c.keep) if (!output.includes(part)) return `lost: ${part}`;
  if (c.prefix !== undefined && !output.startsWith(c.prefix)) return `lost the words before the secret: ${c.prefix}`;
  if (c.suffix !== undefined && !output.endsWith(c.suffix)) return `lost the words after the secret: ${c.suffix}`;
  return undefined;
}

export interface KindScore {
  total: number;
  passed: number;
  failures: { text: string; output: string; problem: string }[];
}

export interface CorpusScore {
  recall: Map<string, KindScore>;
  falsePositives: Map<string, KindScore>;
  tradeoffs: KindScore;
}

function bump(map: Map<string, KindScore>, key: string): KindScore {
  let score = map.get(key);
  if (!score) map.set(key, (score = { total: 0, passed: 0, failures: [] }));
  score.total += 1;
  return score;
}

/** recall: secret cases passed per kind; falsePositives: look-alikes changed per category ("passed" = left alone). */
export function scoreCorpus(corpus: RedactionCorpus, redact: (text: string) => string): CorpusScore {
  const recall = new Map<string, KindScore>();
  for (const c of corpus.secrets) {
    const output = redact(c.text);
    const score = bump(recall, c.kind);
    const problem = secretCaseProblem(c, output);
    if (problem) score.failures.push({ text: c.text, output, problem });
    else score.passed += 1;
  }
  const falsePositives = new Map<string, KindScore>();
  for (const l of corpus.lookalikes) {
    const output = redact(l.text);
    const score = bump(falsePositives, l.category);
    if (output === l.text) score.passed += 1;
    else score.failures.push({ text: l.text, output, problem: 'changed' });
  }
  const tradeoffs: KindScore = { total: 0, passed: 0, failures: [] };
  for (const text of corpus.tradeoffs) {
    const output = redact(text);
    tradeoffs.total += 1;
    if (output.includes('[redacted:')) tradeoffs.passed += 1;
    else tradeoffs.failures.push({ text, output, problem: 'no longer redacted' });
  }
  return { recall, falsePositives, tradeoffs };
}
