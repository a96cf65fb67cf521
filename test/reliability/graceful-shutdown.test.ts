import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtFile } from '../e2e/support/built-marsbot';
import { teamsMessage } from '../helpers/fake-bot-connector';
import { realKnowledge } from '../helpers/start-marsbot';
import { FlakyConnector } from './flaky-connector';

/**
 * The real process (node dist/src/index.js) gets SIGTERM while a Teams turn is still waiting for the
 * Bot Connector: it stops taking new connections, lets that turn finish — the reply arrives — and
 * exits with 0, which is what an orchestrator rolling out a new version needs.
 */

interface RunningProcess {
  child: ChildProcess;
  url: string;
  logs: Record<string, unknown>[];
  waitForLog(test: (msg: string) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

async function startProcess(dataDir: string): Promise<RunningProcess> {
  // Compiled code, as production runs it; `npm test` builds dist/ first (a stale dist/ fails loudly).
  const child = spawn(process.execPath, [builtFile('index.js')], {
    // A clean environment and a working directory without a .env file: only these settings count.
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: join(dataDir, 'marsbot.db'), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters: { test: (msg: string) => boolean; resolve: (record: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      logs.push(record);
      for (const waiter of waiters.filter((w) => w.test(String(record['msg'])))) waiter.resolve(record);
    }
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitForLog = (test: (msg: string) => boolean): Promise<Record<string, unknown>> => {
    const seen = logs.find((r) => test(String(r['msg'])));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiters.push({ test, resolve });
      void exited.then((code) => reject(new Error(`marsbot exited (${code}) before the expected log line:\n${stderr}`)));
    });
  };
  const started = await waitForLog((msg) => msg.startsWith('marsbot is running'));
  const port = /:(\d+)\//.exec(typeof started['webChat'] === 'string' ? started['webChat'] : '')?.[1];
  if (!port) throw new Error(`marsbot did not report its port:\n${stderr}`);
  return { child, url: `http://127.0.0.1:${port}`, logs, waitForLog, exited };
}

let connector: FlakyConnector;
let dataDir: string;

beforeAll(async () => {
  connector = await new FlakyConnector().start();
});
afterAll(async () => {
  await connector.stop();
});
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'marsbot-shutdown-'));
  connector.reset();
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

it('on SIGTERM, refuses new connections, finishes the turn in flight (the reply arrives) and exits 0', async () => {
  const marsbot = await startProcess(dataDir);
  try {
    // The answer will wait at the Connector: the turn is in flight when the signal comes.
    connector.plan('hang');
    const turn = fetch(`${marsbot.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(teamsMessage({ serviceUrl: connector.url, text: 'Error 34513. Invalid vault credentials provided.' })),
    });
    while (connector.attempts.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));

    marsbot.child.kill('SIGTERM');
    await marsbot.waitForLog((msg) => msg === 'shutting down');
    await expect(fetch(`${marsbot.url}/healthz`)).rejects.toThrow();

    connector.release();
    expect((await turn).status).toBe(200);
    expect(await marsbot.exited).toBe(0);
    // The whole turn went out after the signal, once: one message with the answer card and its follow-up question.
    expect(connector.attempts.map((a) => [a.activity.summary, a.activity.attachments?.length])).toEqual([
      [realKnowledge().byId.get('invalid-vault-credentials')!.title.en, 2],
    ]);
    for (const attempt of connector.attempts) expect(attempt.path).toMatch(/^\/v3\/conversations\/a%3Apersonal-conversation-1\/activities\//);
  } finally {
    if (marsbot.child.exitCode === null) marsbot.child.kill('SIGKILL');
  }
}, 60_000);
