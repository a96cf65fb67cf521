/**
 * Memory benchmark: RSS and heap after start-up, while 100,000 messages in 100,000 distinct
 * conversations go through the real engine (in-process, memory store and SQLite store, each in its
 * own child process so one does not inherit the other's heap), and after a full GC — whether
 * per-conversation state stays in the process. Then the cold start of `node dist/src/index.js`
 * until /readyz answers 200, median of 5.
 *
 * Usage: npm run bench:memory [-- --messages 100000 --starts 5]   (the npm script adds --expose-gc)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { messageFor } from './bench/messages';
import { startMarsbot } from './bench/processes';
import { createEngine } from '../src/conversation/create-engine';
import type { Inbound } from '../src/conversation/inbound';
import { loadKnowledge } from '../src/knowledge/load-knowledge';
import { configureLogging } from '../src/shared/logger';
import { createStore } from '../src/storage/create-store';
import { createMatcher } from '../src/understanding/create-matcher';

type StoreKind = 'memory' | 'sqlite';

interface Sample {
  label: string;
  rssMb: number;
  heapUsedMb: number;
  /** Heap used right after a full GC: what is really kept. */
  heapAfterGcMb: number;
  rssAfterGcMb: number;
}

interface StoreRun {
  store: StoreKind;
  samples: Sample[];
  turnsPerSecond: number;
  disk?: DiskUse;
}

/** What the SQLite file holds after the run (the state is on disk, not in the process). */
interface DiskUse {
  dbMb: number;
  walMb: number;
  /** Bytes per table, its indexes included, largest first. */
  tables: { name: string; mb: number; rows: number }[];
  /** Average JSON size of a conversation's state document. */
  stateBytes: number;
}

const MB = 1024 * 1024;

function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = Number(i >= 0 ? process.argv[i + 1] : fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
  return n;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run node with --expose-gc (npm run bench:memory does)');
  // Twice: the first pass can leave objects whose finalizers free more.
  collect();
  collect();
}

function sample(label: string): Sample {
  const before = process.memoryUsage();
  gc();
  const after = process.memoryUsage();
  return { label, rssMb: before.rss / MB, heapUsedMb: before.heapUsed / MB, heapAfterGcMb: after.heapUsed / MB, rssAfterGcMb: after.rss / MB };
}

/** Child mode: one store, the whole message run, results back over IPC. */
async function runStore(kind: StoreKind, messages: number): Promise<StoreRun> {
  configureLogging({ level: 'warn' });
  const dir = mkdtempSync(join(tmpdir(), 'marsbot-membench-'));
  const dbPath = join(dir, 'marsbot.db');
  try {
    const knowledge = loadKnowledge();
    const matcher = createMatcher(knowledge);
    const store = await createStore(kind === 'memory' ? { kind: 'memory' } : { sqlitePath: dbPath });
    const engine = createEngine({ knowledge, matcher, conversations: store, defaultLang: 'nl' });
    const samples = [sample('after start-up')];
    const checkpoints = new Set([0.25, 0.5, 0.75, 1].map((f) => Math.round(messages * f)));
    const started = performance.now();
    for (let i = 0; i < messages; i++) {
      const inbound: Inbound = {
        channel: 'teams',
        conversationId: `a:memory-bench-${i}`,
        userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        userName: `User ${i}`,
        kind: 'message',
        text: messageFor(i),
        locale: i % 3 === 0 ? 'en-US' : 'nl-NL',
        eventId: `teams:memory-bench-${i}`,
      };
      const replies = await engine.handle(inbound);
      if (replies.length === 0) throw new Error(`no reply to message ${i}`);
      if (checkpoints.has(i + 1)) {
        samples.push(sample(`after ${(i + 1).toLocaleString('en-US')} messages`));
      }
    }
    const turnsPerSecond = messages / ((performance.now() - started) / 1000);
    const walMb = fileMb(`${dbPath}-wal`);
    await store.close();
    samples.push(sample('store closed'));
    return { store: kind, samples, turnsPerSecond, ...(kind === 'sqlite' ? { disk: diskUse(dbPath, walMb) } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function diskUse(dbPath: string, walMb: number): DiskUse {
  const db = new Database(dbPath, { readonly: true });
  try {
    const pages = db.prepare('SELECT name, tbl_name AS tbl, SUM(pgsize) AS bytes FROM dbstat JOIN sqlite_schema USING (name) GROUP BY name').all() as { name: string; tbl: string; bytes: number }[];
    const byTable = new Map<string, number>();
    for (const p of pages) byTable.set(p.tbl, (byTable.get(p.tbl) ?? 0) + p.bytes);
    const tables = [...byTable]
      .map(([name, bytes]) => ({ name, mb: bytes / MB, rows: (db.prepare(`SELECT COUNT(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n }))
      .filter((t) => t.mb >= 0.05)
      .sort((a, b) => b.mb - a.mb);
    const state = db.prepare("SELECT AVG(LENGTH(value)) AS bytes FROM documents WHERE key LIKE 'conversation:%'").get() as { bytes: number | null };
    return { dbMb: fileMb(dbPath), walMb, tables, stateBytes: state.bytes ?? 0 };
  } finally {
    db.close();
  }
}

function fileMb(path: string): number {
  try {
    return statSync(path).size / MB;
  } catch {
    return 0;
  }
}

function runChild(kind: StoreKind, messages: number): Promise<StoreRun> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--store', kind, '--messages', String(messages)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: StoreRun | undefined;
    child.once('message', (message) => (result = message as StoreRun));
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`${kind} run exited with ${code}`))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function coldStarts(count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    // The default configuration of `npm start`: SQLite, Teams open, Slack off.
    const bot = await startMarsbot({});
    times.push(bot.readyMs);
    await bot.stop();
  }
  return times;
}

async function main(): Promise<void> {
  const storeIndex = process.argv.indexOf('--store');
  const messages = argument('messages', 100_000);
  if (storeIndex >= 0) {
    const kind = process.argv[storeIndex + 1];
    if (kind !== 'memory' && kind !== 'sqlite') throw new Error('--store must be memory or sqlite');
    const result = await runStore(kind, messages);
    process.send!(result, () => process.disconnect());
    return;
  }
  const starts = argument('starts', 5);
  const out: string[] = [`marsbot memory benchmark — node ${process.version}, ${process.platform}/${process.arch}`, ''];
  out.push(`${messages.toLocaleString('en-US')} messages through the engine in-process, each in its own conversation (new user, new event id);`);
  out.push('mix: 60 % questions, 30 % pasted errors, 10 % pasted logs of ~1.5 KB. MB = MiB.');
  out.push('');
  out.push('store   point                     RSS MB   heap MB | after GC: heap MB   RSS MB');
  for (const kind of ['memory', 'sqlite'] as const) {
    process.stderr.write(`${kind} store: ${messages} messages…\n`);
    const run = await runChild(kind, messages);
    for (const s of run.samples) {
      out.push(
        `${kind.padEnd(7)} ${s.label.padEnd(24)} ${s.rssMb.toFixed(1).padStart(7)} ${s.heapUsedMb.toFixed(1).padStart(9)} | ${s.heapAfterGcMb.toFixed(1).padStart(17)} ${s.rssAfterGcMb.toFixed(1).padStart(8)}`,
      );
    }
    const first = run.samples[0]!;
    const full = run.samples.find((s) => s.label.startsWith(`after ${messages.toLocaleString('en-US')}`))!;
    const perConversation = ((full.heapAfterGcMb - first.heapAfterGcMb) * MB) / messages;
    out.push(`${kind.padEnd(7)} kept on the heap per conversation: ${perConversation.toFixed(0)} bytes; ${run.turnsPerSecond.toFixed(0)} turns/s in-process (one at a time)`);
    if (run.disk) {
      const d = run.disk;
      out.push(
        `${kind.padEnd(7)} on disk: database ${d.dbMb.toFixed(1)} MB + WAL ${d.walMb.toFixed(1)} MB — ` +
          d.tables.map((t) => `${t.name} ${t.mb.toFixed(1)} MB / ${t.rows.toLocaleString('en-US')} rows`).join(', ') +
          `; a conversation's state ${d.stateBytes.toFixed(0)} bytes of JSON`,
      );
    }
    out.push('');
  }
  process.stderr.write(`cold start × ${starts}…\n`);
  const times = await coldStarts(starts);
  out.push(`cold start (spawn node dist/src/index.js → /readyz 200, fresh SQLite): median ${median(times).toFixed(0)} ms of ${starts} (${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
  console.log(out.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
