/**
 * Scores redaction on test/shared/redaction-corpus.yaml: recall per kind of secret (the secret is
 * gone and the words around it are still there) and false positives per kind of look-alike (text
 * that must come out unchanged, including every error message, trigger and eval-set message).
 * Usage: npm run eval:redaction [-- --verbose]. Exits non-zero below 100 % recall or above 0 false positives.
 */
import { resolve } from 'node:path';
import { loadKnowledge } from '../src/knowledge/load-knowledge';
import { redactSecrets } from '../src/shared/redact';
import { loadRedactionCorpus, scoreCorpus, type KindScore } from './redaction-corpus';

const root = resolve(__dirname, '..', '..');
const verbose = process.argv.includes('--verbose');

const corpus = loadRedactionCorpus(root, loadKnowledge());
const started = process.hrtime.bigint();
const score = scoreCorpus(corpus, redactSecrets);
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`);

function table(title: string, header: [string, string, string], rows: [string, KindScore][], rate: (s: KindScore) => string): void {
  console.log(`\n${title}`);
  const width = Math.max(header[0].length, ...rows.map(([name]) => name.length));
  console.log(`  ${header[0].padEnd(width)}  ${header[1].padStart(6)}  ${header[2]}`);
  for (const [name, s] of rows) console.log(`  ${name.padEnd(width)}  ${String(s.total).padStart(6)}  ${rate(s)}`);
}

function total(scores: Iterable<KindScore>): KindScore {
  const sum: KindScore = { total: 0, passed: 0, failures: [] };
  for (const s of scores) {
    sum.total += s.total;
    sum.passed += s.passed;
    sum.failures.push(...s.failures);
  }
  return sum;
}

const recallRows = [...score.recall.entries()].sort(([a], [b]) => a.localeCompare(b));
const fpRows = [...score.falsePositives.entries()].sort(([a], [b]) => a.localeCompare(b));
const allRecall = total(score.recall.values());
const allFp = total(score.falsePositives.values());

table('Recall: secrets removed, with the words around them kept', ['kind', 'cases', 'recall'], [...recallRows, ['all', allRecall]], (s) =>
  `${pct(s.passed, s.total)}${s.failures.length ? `  (${s.failures.length} missed)` : ''}`,
);
table('False positives: look-alikes changed', ['look-alike', 'texts', 'false positives'], [...fpRows, ['all', allFp]], (s) =>
  `${s.total - s.passed}  (${pct(s.total - s.passed, s.total)})`,
);
console.log(`\nDeliberate over-redaction (remarks that read like a secret): ${score.tradeoffs.passed} of ${score.tradeoffs.total} redacted, as chosen`);
console.log(`${corpus.secrets.length + corpus.lookalikes.length + corpus.tradeoffs.length} texts redacted in ${elapsedMs.toFixed(0)} ms`);

const failures = [...allRecall.failures, ...allFp.failures, ...score.tradeoffs.failures];
if (verbose || failures.length <= 20) {
  for (const f of failures) console.log(`\n✗ ${f.problem}\n  in:  ${JSON.stringify(f.text)}\n  out: ${JSON.stringify(f.output)}`);
} else {
  console.log(`\n${failures.length} failures; --verbose lists them`);
}
if (failures.length > 0) process.exitCode = 1;
