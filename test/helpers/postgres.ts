import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * PostgreSQL for tests: TEST_DATABASE_URL when set, otherwise a throwaway cluster started from the
 * Debian binaries in a temp dir on a free loopback port. Only when neither exists are PG suites skipped.
 */

const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

export interface TestPostgres {
  /** Superuser-ish URL of a database the tests may create schemas in. */
  url: string;
  stop(): Promise<void>;
}

function configuredUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

/** Directory holding initdb and pg_ctl of the newest installed version, if any. */
function findPostgresBinDir(): string | undefined {
  if (!existsSync(DEBIAN_PG_ROOT)) return undefined;
  const versions = readdirSync(DEBIAN_PG_ROOT)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(DEBIAN_PG_ROOT, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

/**
 * Decided when the test file loads, so a suite can be skipped (with the reason printed) rather than
 * fail when there is no database to test against.
 */
export function postgresTestsAvailable(suite: string): boolean {
  if (configuredUrl() || findPostgresBinDir()) return true;
  // On CI a missing PostgreSQL is a broken install step, not a reason to skip.
  if (process.env['CI'] === 'true') {
    throw new Error(`${suite} needs PostgreSQL: .ci/run should have installed it (apt-get install -y postgresql)`);
  }
  console.warn(
    `Skipping ${suite}: TEST_DATABASE_URL is not set and no PostgreSQL binaries were found under ${DEBIAN_PG_ROOT}/<version>/bin ` +
      '(install them with `apt-get install -y postgresql`).',
  );
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root; as root we hand the directory to `postgres` and run as that user. */
function commandRunner(): { run(command: string, args: string[]): void; owner?: { uid: number; gid: number } } {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return { run: (command, args) => execFileSync(command, args, { stdio: 'pipe' }) };
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return {
    owner: { uid, gid },
    run: (command, args) => execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' }),
  };
}

async function startThrowawayCluster(bin: string): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'marsbot-pg-'));
  const dataDir = join(dir, 'data');
  const runner = commandRunner();
  if (runner.owner) chownSync(dir, runner.owner.uid, runner.owner.gid);
  const port = await freePort();
  const pgCtl = join(bin, 'pg_ctl');
  const stopCluster = () => {
    try {
      runner.run(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped (or never started): nothing left to clean up but the directory.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test process dies without afterAll, do not leave a server running.
  process.once('exit', stopCluster);
  try {
    runner.run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // Durability settings are off: the data is thrown away, speed matters.
    const serverOptions = `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    runner.run(pgCtl, ['-D', dataDir, '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (error) {
    process.removeListener('exit', stopCluster);
    stopCluster();
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${(error as Error).message}\n${stderr}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.removeListener('exit', stopCluster);
      stopCluster();
    },
  };
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const url = configuredUrl();
  if (url) return { url, stop: async () => undefined };
  const bin = findPostgresBinDir();
  if (!bin) throw new Error('no PostgreSQL available: call postgresTestsAvailable() first');
  return startThrowawayCluster(bin);
}

export interface TestSchema {
  /** Connection string whose search_path is this schema only: tables land there, nowhere else. */
  url: string;
  drop(): Promise<void>;
}

function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  const existing = parsed.searchParams.get('options');
  parsed.searchParams.set('options', `${existing ? `${existing} ` : ''}-c search_path=${schema}`);
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty schema per test, so tests never see each other's rows (and a shared CI database stays clean). */
export async function createTestSchema(url: string): Promise<TestSchema> {
  const schema = `marsbot_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA ${schema}`));
  return {
    url: withSearchPath(url, schema),
    drop: () => withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  };
}
