import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { builtFile } from './built-marsbot';

/**
 * marsbot as production runs it: `node dist/src/index.js` in its own process, configured only
 * through the environment. `npm test` compiles dist/ first; running jest alone needs `npm run build`.
 */


export interface MarsbotProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly pid: number;
  /** What the process wrote so far (pino JSON lines and anything on stderr), for failure messages. */
  output(): string;
  /** SIGKILL: no shutdown code runs, as in a crash, an OOM kill or a pulled plug. */
  crash(): Promise<void>;
  /** SIGTERM, then waits for the process to finish its graceful shutdown. */
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
// A failed test must not leave servers behind.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Only what the test passes: no DATABASE_URL, tokens or .env of the machine running the tests leak
 * in. One scripted person sends turns faster than any human, so the per-person limits are off.
 */
function childEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_CONVERSATION_PER_MINUTE: '0',
    RATE_LIMIT_ADDRESS_PER_MINUTE: '0',
    ...env,
  };
}

function startupWebChatUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { webChat?: unknown };
    return typeof entry.webChat === 'string' && entry.webChat.startsWith('http://') ? entry.webChat : undefined;
  } catch {
    return undefined;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/**
 * Starts the server and resolves once it listens. `cwd` should be an empty temp dir, so no .env
 * file is picked up; knowledge and locales are found relative to dist/.
 */
export async function startMarsbotProcess(env: Record<string, string>, cwd: string, readyTimeoutMs = 15_000): Promise<MarsbotProcess> {
  const child = spawn(process.execPath, [builtFile('index.js')], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (output += chunk));

  const url = await new Promise<string>((resolveUrl, reject) => {
    let pending = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`marsbot did not start within ${readyTimeoutMs} ms:\n${output}`));
    }, readyTimeoutMs);
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // The start-up line lists every endpoint; the web chat's is the server's own address.
        const webChat = startupWebChatUrl(line);
        if (webChat) {
          clearTimeout(timer);
          resolveUrl(webChat.replace(/\/$/, ''));
        }
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`marsbot exited before it was ready (code ${code}, signal ${signal}):\n${output}`));
    });
  });

  return {
    url,
    pid: child.pid!,
    output: () => output,
    async crash() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killAfter = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(killAfter);
    },
  };
}

/** Runs `marsbot <args>` (the CLI) against the same configuration; returns its stdout. */
export function runCli(args: string[], env: Record<string, string>, cwd: string): string {
  const result = spawnSync(process.execPath, [builtFile('cli/main.js'), ...args], { cwd, env: childEnv(env), encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) throw new Error(`marsbot ${args.join(' ')} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}
