/**
 * Matcher benchmark: knowledge load + index time, and latency per query for short questions,
 * for 2 KB pasted logs, for 200 KB pasted logs whose error is on the last line (the matcher
 * searches the whole paste for error ids and agent messages and scores an excerpt), and for the
 * HTTP benchmark's message mix (scripts/bench/messages.ts, the same messages the server sees,
 * repeats included). Prints a table; targets on the 2-core dev machine: p99 < 2 ms for a 2 KB
 * paste, load + index < 200 ms.   Usage: npm run bench
 */
import { performance } from 'node:perf_hooks';
import { loadKnowledge } from '../src/knowledge/load-knowledge';
import { createMatcher } from '../src/understanding/create-matcher';
import { messageFor } from './bench/messages';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const t0 = performance.now();
const kb = loadKnowledge();
const t1 = performance.now();
const matcher = createMatcher(kb);
const t2 = performance.now();

const SHORT = [
  'waarom draait mijn geplande back-up niet?',
  'Invalid vault credentials provided (ID: 34513)',
  'restore hangs while mounting the volume',
  'fout 34506',
  'agent cant reach azure behind our proxy, 407',
  'hoe vergroot ik de schaduwkopie opslag',
  'SalLowDiskSpace',
  'what is the weather tomorrow',
];

// 2 KB pastes: log lines with timestamps, a PowerShell error record, an error id somewhere, and
// a unique token per message so no cache can answer for them.
function pastedLog(i: number): string {
  const lines: string[] = [];
  let n = 0;
  while (lines.join('\n').length < 1900) {
    lines.push(`2025-03-${String((n % 28) + 1).padStart(2, '0')} 01:${String(n % 60).padStart(2, '0')}:12.341 CBEngine WARN job-${i}-${n} CloudServiceHelper retry ${n} host srv${i}x${n}`);
    n++;
  }
  lines.splice(5, 0, 'Start-OBRegistration : Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)');
  return `${lines.join('\n')}\nwat is hier aan de hand?`.slice(0, 2048);
}

// 200 KB pastes: a night of agent log lines with the error on the very last line, unique per message.
const LAST_TOPICS = ['invalid-vault-credentials', 'sal-checksum-store-failed', 'sal-low-disk-space', 'agent-cannot-connect'];
const LAST_LINES = [
  'ERROR Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)',
  'FATAL SalChecksumStoreInitializationFailed',
  'ERROR Backup failed due to insufficient storage in volume where the scratch folder is located',
  'ERROR The Microsoft Azure Recovery Service Agent was unable to connect to Microsoft Azure Backup. (ID: 100050)',
];
function hugeLog(i: number, size = 200 * 1024): string {
  const lines = [`Hi, last night's log from srv${i}, what is going wrong?`];
  let length = lines[0]!.length;
  for (let n = 0; length < size; n++) {
    const line = `2025-03-${String((n % 28) + 1).padStart(2, '0')} 01:${String(n % 60).padStart(2, '0')}:12.341 CBEngine INFO job-${i}-${n} CloudServiceHelper upload chunk ${n} of dataset ${i} to the vault, retry 0`;
    lines.push(line);
    length += line.length + 1;
  }
  lines.push(`2025-03-28 02:00:00.000 CBEngine ${LAST_LINES[i % LAST_LINES.length]!}`);
  return lines.join('\n');
}

function measure(texts: string[], rounds: number): { p50: number; p99: number; max: number; n: number; mean: number } {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const text of texts) {
      const start = performance.now();
      matcher.understand(text);
      times.push(performance.now() - start);
    }
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1]!, n: times.length, mean };
}

// Warm up the JIT the way a running server would be.
measure(SHORT, 50);
measure(Array.from({ length: 20 }, (_, i) => pastedLog(100000 + i)), 5);
measure(Array.from({ length: 10 }, (_, i) => hugeLog(100000 + i)), 1);
const mix = Array.from({ length: 10000 }, (_, n) => messageFor(n));
measure(mix.slice(0, 2000), 1);

const short = measure(SHORT, 500);
const logs = measure(Array.from({ length: 2000 }, (_, i) => pastedLog(i)), 1);
const huge = measure(Array.from({ length: 200 }, (_, i) => hugeLog(i)), 1);
// Not timed: that the last line's error was the answer every time.
const hugeFound = Array.from({ length: 200 }, (_, i) => matcher.understand(hugeLog(i)).topic === LAST_TOPICS[i % LAST_TOPICS.length]).filter(Boolean).length;
const httpMix = measure(mix, 1);
const fmt = (ms: number) => `${ms.toFixed(3)} ms`.padStart(11);
console.log('marsbot matcher benchmark (node ' + process.version + ')');
console.log('');
console.log('what                              n        p50         p99         max');
console.log(`short questions            ${String(short.n).padStart(7)} ${fmt(short.p50)} ${fmt(short.p99)} ${fmt(short.max)}`);
console.log(`2 KB pasted logs (unique)  ${String(logs.n).padStart(7)} ${fmt(logs.p50)} ${fmt(logs.p99)} ${fmt(logs.max)}`);
console.log(`200 KB pasted logs        ${String(huge.n).padStart(7)} ${fmt(huge.p50)} ${fmt(huge.p99)} ${fmt(huge.max)}`);
console.log(`HTTP bench mix             ${String(httpMix.n).padStart(7)} ${fmt(httpMix.p50)} ${fmt(httpMix.p99)} ${fmt(httpMix.max)}`);
console.log('');
console.log(`knowledge load (YAML + schema)    ${(t1 - t0).toFixed(1)} ms`);
console.log(`index build (analyzer, BM25, fuse) ${(t2 - t1).toFixed(1)} ms`);
console.log(`load + index                      ${(t2 - t0).toFixed(1)} ms   (target < 200 ms)`);
console.log(`2 KB paste p99                    ${logs.p99.toFixed(3)} ms (target < 2 ms)`);
console.log(`200 KB paste p99                  ${huge.p99.toFixed(1)} ms (error on the last line answered in ${hugeFound}/200)`);
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
console.log(`HTTP bench mix per understand()   mean ${us(httpMix.mean)}, p99 ${us(httpMix.p99)}`);
