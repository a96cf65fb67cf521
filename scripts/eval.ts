/**
 * Scores the matcher on the development sets in test/eval/ (dev.jsonl, real-dev.jsonl) and our own
 * held-out sets, the way the product is scored: see test/eval/README.md.
 * Usage: npm run eval [-- --verbose] [-- file.jsonl …]
 *
 * For every set it prints: correct replies, clarifications that offered the right topic, how the
 * out-of-scope lines were answered (fallback, info) and how many of them got a confident
 * troubleshooting answer (the worst outcome: a wrong fix), in-scope correctness, and reply language.
 * Exits non-zero below the targets: dev.jsonl ≥ 97 % correct and ≥ 98 % reply language;
 * real-dev.jsonl at most 5 % confident answers on its out-of-scope lines and every in-scope line right;
 * real-heldout.jsonl (real-style messages written blind) at most 5 % confident answers out of scope.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadKnowledge } from '../src/knowledge/load-knowledge';
import { createMatcher } from '../src/understanding/create-matcher';
import { buildAskReply, type AskReply } from '../src/cli/ask-reply';

interface EvalCase {
  id: string;
  text: string;
  expect: string[];
  lang?: 'nl' | 'en';
  style?: string;
}

const TARGETS = { correct: 0.97, language: 0.98, realOutOfScopeConfident: 0.05 };
/** In `expect`, this marks a fact of the info tier (kind = info) as a right answer. */
const INFO = 'info';

const root = resolve(__dirname, '..', '..');
const EVAL_DIR = join(root, 'test', 'eval');
/** The development set gated on correctness. */
const GATED_SET = 'dev.jsonl';
/** The real messages gated on confident answers out of scope and on every in-scope line. */
const REAL_SET = 'real-dev.jsonl';
/** Real-style messages written blind, gated on confident answers out of scope. */
const REAL_HELDOUT_SET = 'real-heldout.jsonl';
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const fileArgs = args.filter((a) => !a.startsWith('--'));
const files =
  fileArgs.length > 0
    ? fileArgs
    : [
        // Single messages only (conversations have their own format); the gated sets last, so
        // their summaries close the output.
        ...readdirSync(EVAL_DIR)
          .filter((f) => f.endsWith('.jsonl') && !f.startsWith('conversations') && f !== GATED_SET && f !== REAL_SET)
          .sort()
          .map((f) => join(EVAL_DIR, f)),
        join(EVAL_DIR, REAL_SET),
        join(EVAL_DIR, GATED_SET),
      ].filter((f) => existsSync(f));

/** Whether a reply is right for a line, as test/eval/README.md scores it. */
export function isCorrect(c: EvalCase, reply: AskReply): boolean {
  if (c.expect.length === 0) return reply.kind === 'fallback' || reply.kind === 'info' || reply.kind === 'smalltalk';
  if (reply.kind === 'answer') return c.expect.includes(reply.topic ?? '');
  return reply.kind === 'info' && c.expect.includes(INFO);
}

const kb = loadKnowledge();
const matcher = createMatcher(kb);
let failedTargets = false;
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)} %`);
const summary: string[] = [];

for (const file of files) {
  const cases = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalCase);
  let correct = 0;
  let askedInstead = 0;
  let oosTotal = 0;
  let oosFallback = 0;
  let oosInfo = 0;
  let oosConfident = 0;
  let inScopeTotal = 0;
  let inScopeRight = 0;
  let langTotal = 0;
  let langRight = 0;
  const confusion = new Map<string, Map<string, number>>();
  const misses: string[] = [];
  for (const c of cases) {
    const understood = matcher.understand(c.text);
    const reply = buildAskReply(kb, understood);
    const outOfScope = c.expect.length === 0;
    const ok = isCorrect(c, reply);
    if (ok) correct++;
    if (outOfScope) {
      oosTotal++;
      if (reply.kind === 'fallback') oosFallback++;
      if (reply.kind === 'info') oosInfo++;
      if (reply.kind === 'answer') oosConfident++;
    } else {
      inScopeTotal++;
      if (ok) inScopeRight++;
    }
    if (!ok && reply.kind === 'clarify' && reply.candidates.slice(0, 3).some((x) => c.expect.includes(x.topic))) askedInstead++;
    if (c.lang) {
      langTotal++;
      if (reply.lang === c.lang) langRight++;
      else misses.push(`  lang ${c.id}: wanted ${c.lang}, got ${reply.lang}: ${c.text.slice(0, 70).replace(/\n/g, ' ')}`);
    }
    const expected = outOfScope ? '(out of scope)' : c.expect[0]!;
    const got = reply.kind === 'answer' ? reply.topic! : reply.kind === 'info' ? `info:${reply.info}` : `(${reply.kind})`;
    const row = confusion.get(expected) ?? new Map<string, number>();
    row.set(got, (row.get(got) ?? 0) + 1);
    confusion.set(expected, row);
    if (!ok || verbose) {
      const n = understood.neighbours;
      const cands = [
        ...reply.candidates.map((x) => `${x.topic}:${x.score}`),
        `evidence=${understood.evidence ?? '-'}`,
        ...(n?.fact ? [`fact=${n.fact.id}:${n.fact.score}`] : []),
        ...(n?.subject ? [`subject=${n.subject.id}:${n.subject.score}`] : []),
      ].join(' ');
      misses.push(
        `  ${ok ? 'ok  ' : 'miss'} ${c.id} [${c.style ?? ''}] want ${c.expect.join('|') || 'fallback'} got ${got} conf=${reply.confidence} ${cands}\n       ${c.text.slice(0, 110).replace(/\n/g, ' ')}`,
      );
    }
  }
  const name = file.replace(root + '/', '');
  console.log(`\n${name}: ${cases.length} messages`);
  console.log(`  correct                     ${correct}/${cases.length} = ${pct(correct, cases.length)}  (target ≥ ${TARGETS.correct * 100} %)`);
  console.log(`  asked instead of answered   ${askedInstead}`);
  console.log(`  in scope answered right     ${inScopeRight}/${inScopeTotal} = ${pct(inScopeRight, inScopeTotal)}`);
  console.log(`  out of scope → fallback     ${oosFallback}/${oosTotal}, → info ${oosInfo}/${oosTotal}`);
  console.log(`  out of scope, confident troubleshooting answer  ${oosConfident}/${oosTotal} = ${pct(oosConfident, oosTotal)}`);
  console.log(`  reply language right        ${langRight}/${langTotal} = ${pct(langRight, langTotal)}  (target ≥ ${TARGETS.language * 100} %)`);
  if (verbose || correct < cases.length) {
    console.log('  confusion (expected → got, only rows with errors):');
    for (const [expected, row] of confusion) {
      if (row.size === 1 && row.has(expected === '(out of scope)' ? '(fallback)' : expected)) continue;
      console.log(`    ${expected} → ${[...row].map(([k, v]) => `${k}×${v}`).join(', ')}`);
    }
  }
  if (misses.length > 0) console.log(misses.join('\n'));
  summary.push(
    `${name.padEnd(28)} ${String(cases.length).padStart(4)}  correct ${pct(correct, cases.length).padStart(7)}  in scope ${`${inScopeRight}/${inScopeTotal}`.padStart(7)}  out of scope confident ${`${oosConfident}/${oosTotal}`.padStart(6)} (${pct(oosConfident, oosTotal)})  language ${pct(langRight, langTotal)}`,
  );

  const base = resolve(file);
  if (base === join(EVAL_DIR, GATED_SET) && (correct / cases.length < TARGETS.correct || (langTotal > 0 && langRight / langTotal < TARGETS.language))) {
    failedTargets = true;
  }
  if (base === join(EVAL_DIR, REAL_SET) && (oosConfident > TARGETS.realOutOfScopeConfident * oosTotal || inScopeRight < inScopeTotal)) failedTargets = true;
  if (base === join(EVAL_DIR, REAL_HELDOUT_SET) && oosConfident > TARGETS.realOutOfScopeConfident * oosTotal) failedTargets = true;
}
console.log('\nsummary');
for (const line of summary) console.log(`  ${line}`);
if (failedTargets) {
  console.log('\nbelow target');
  process.exitCode = 1;
}
