import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLACK_SIGNING_SECRET } from './payloads';

/**
 * Child processes of the benchmarks: the sink, the reference servers and marsbot itself
 * (dist/src/index.js: the process npm start runs, built by the composition root). Each is stopped by its own pid; every wait is bounded.
 */

export interface Child {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const DIST = join(__dirname, '..', '..');

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

// Children still running when this process ends (an error, Ctrl-C, a timeout) are ended with it.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** Forks a script of dist/scripts/bench that reports { port } over IPC once it listens. */
export function forkListening(script: string, args: string[] = [], execArgv: string[] = []): Promise<Child> {
  const child = track(fork(join(__dirname, script), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within 15 s`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening`));
    });
    child.once('message', (message) => {
      clearTimeout(timer);
      const { port } = message as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) });
    });
  });
}

/** A port nobody listens on right now (the OS picks it; a tiny race with other programs is accepted). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * CPU time (user + system, all threads) a process has used so far, in ms; undefined where /proc
 * is not available. Resolution is the kernel's clock tick (10 ms on most Linux systems).
 */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ: 100 on every mainstream architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

/** GET url → status, or 0 when nothing answers. */
function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

export interface MarsbotOptions {
  /** Where the bot's Slack Web API calls go (the sink); without it Slack is off, as in `npm start`. */
  slackApiUrl?: string;
  /** Extra node flags, e.g. --cpu-prof. */
  execArgv?: string[];
  /** Keep the temp directory (log, database, CPU profile) instead of removing it on stop. */
  keepDir?: boolean;
  readyTimeoutMs?: number;
  /** Teams with MicrosoftAppId: tokens checked against this issuer's keys (scripts/bench/secured-marsbot.ts). */
  secured?: { appId: string; metadataUrl: string };
}

export interface RunningMarsbot extends Child {
  /** Milliseconds from spawn until /readyz first answered 200. */
  readyMs: number;
  dir: string;
}

/**
 * Starts `node dist/src/index.js` as an operator would: SQLite in a fresh temp directory, logging
 * at the default level (info) into a file there, Teams open (no app id) unless `secured`, Slack over
 * HTTP with the sink as its Web API. The working directory is the temp directory, so no .env is read.
 */
export async function startMarsbot(options: MarsbotOptions): Promise<RunningMarsbot> {
  const dir = mkdtempSync(join(tmpdir(), 'marsbot-bench-'));
  const port = await freePort();
  const logFd = openSync(join(dir, 'marsbot.log'), 'a');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SQLITE_PATH: join(dir, 'marsbot.db'),
    ...(options.secured
      ? { MicrosoftAppId: options.secured.appId, MicrosoftAppPassword: 'bench-not-used', BENCH_OPENID_METADATA_URL: options.secured.metadataUrl }
      : {}),
    ...(options.slackApiUrl ? { SLACK_BOT_TOKEN: 'xoxb-bench-token', SLACK_SIGNING_SECRET, SLACK_API_URL: options.slackApiUrl } : {}),
  };
  const started = performance.now();
  const child = track(
    spawn(process.execPath, [...(options.execArgv ?? []), options.secured ? join(__dirname, 'secured-marsbot.js') : join(DIST, 'src', 'index.js')], {
      cwd: dir,
      env,
      stdio: ['ignore', logFd, logFd],
    }),
  );
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (options.readyTimeoutMs ?? 30_000);
  let readyMs = -1;
  while (performance.now() < deadline && child.exitCode === null) {
    if ((await httpStatus(`${url}/readyz`)) === 200) {
      readyMs = performance.now() - started;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const stop = async () => {
    await stopChild(child);
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  if (readyMs < 0) {
    // The directory stays: its log says why.
    await stopChild(child);
    throw new Error(`marsbot did not become ready; see ${join(dir, 'marsbot.log')}`);
  }
  return { url, pid: child.pid!, dir, readyMs, stop };
}
