/**
 * HTTP benchmark: what marsbot's Teams and Slack endpoints complete per second and how fast they
 * answer at a steady 200 requests/s, next to two references on the same machine — a bare restify
 * endpoint and a minimal botbuilder echo bot (the ceiling of the Teams stack). Everything runs on
 * loopback; each server is a child process, the outgoing calls go to a sink in another child
 * process, and this process only generates load.
 *
 * Usage: npm run bench:http [-- --duration 10 --connections 20 --rate 200 --warmup 3 --repeat 1 --only a,b,c,d,e --cpu-prof --keep]
 * (e) is marsbot's Teams endpoint with MicrosoftAppId: botbuilder validates a token (signed by a local
 * issuer, scripts/bench/token-issuer.ts) on every request; (c) is the same endpoint open.
 */
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { summarizeProfile } from './bench/cpu-profile-summary';
import { runPaced, runThroughput, type LoadResult, percentile } from './bench/load';
import { slackRequests, teamsRequests, type RequestMaker } from './bench/payloads';
import { cpuTimeMs, forkListening, startMarsbot, type Child } from './bench/processes';
import { BENCH_APP_ID, startTokenIssuer, type TokenIssuer } from './bench/token-issuer';

interface Settings {
  durationS: number;
  connections: number;
  rate: number;
  warmupS: number;
  repeat: number;
  only: Set<string>;
  cpuProf: boolean;
  /** Keep marsbot's temp directories (log, database, profile). */
  keep: boolean;
}

function readSettings(argv: string[]): Settings {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const number = (name: string, fallback: number, max: number): number => {
    const n = Number(value(name) ?? fallback);
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number in (0, ${max}]`);
    return n;
  };
  return {
    durationS: number('duration', 10, 120),
    connections: number('connections', 20, 500),
    rate: number('rate', 200, 5000),
    warmupS: number('warmup', 3, 60),
    repeat: Math.round(number('repeat', 1, 10)),
    only: new Set((value('only') ?? 'a,b,c,d,e').split(',').map((s) => s.trim())),
    cpuProf: argv.includes('--cpu-prof'),
    keep: argv.includes('--keep') || argv.includes('--cpu-prof'),
  };
}

interface Sink {
  url: string;
  pid: number;
  stats(): Promise<SinkStats>;
  replies(): Promise<Map<string, number>>;
  reset(): Promise<void>;
}

interface SinkStats {
  connections: number;
  connectorPosts: number;
  connectorBytes: number;
  slackCalls: Record<string, number>;
  slackConversationsReplied: number;
}

function sinkClient(url: string, pid: number): Sink {
  const call = async (path: string, method = 'GET') => (await fetch(`${url}${path}`, { method })).json() as Promise<unknown>;
  return {
    url,
    pid,
    stats: async () => (await call('/_stats')) as SinkStats,
    replies: async () => new Map((await call('/_replies')) as [string, number][]),
    reset: async () => {
      await call('/_reset', 'POST');
    },
  };
}

interface Scenario {
  id: string;
  name: string;
  path: string;
  start(sink: Sink, settings: Settings): Promise<Child & { dir?: string }>;
  requests(sink: Sink, prefix: string): RequestMaker;
  /** Where the secured scenario's tokens come from; started before the server, stopped after it. */
  issuer?: TokenIssuer;
  /** Slack's 200 may come before the reply (after 2.5 s at the latest): the turn is timed from send to the reply at the sink. */
  endToEnd?: boolean;
}

/** The steady run first sends this long at its rate without counting, so it measures the steady state. */
const PACED_LEAD_IN_S = 2;

const marsbotArgs = (settings: Settings, label: string) =>
  settings.cpuProf ? ['--cpu-prof', `--cpu-prof-name=marsbot-${label}.cpuprofile`] : [];

const SCENARIOS: Scenario[] = [
  {
    id: 'a',
    name: 'restify 11, bare 200',
    path: '/api/messages',
    start: () => forkListening('reference-servers.js', ['restify']),
    requests: (sink, prefix) => teamsRequests(sink.url, prefix),
  },
  {
    id: 'b',
    name: 'botbuilder echo bot',
    path: '/api/messages',
    start: () => forkListening('reference-servers.js', ['echo-bot']),
    requests: (sink, prefix) => teamsRequests(sink.url, prefix),
  },
  {
    id: 'c',
    name: 'marsbot Teams',
    path: '/api/messages',
    start: (sink, settings) => startMarsbot({ slackApiUrl: `${sink.url}/api/`, execArgv: marsbotArgs(settings, 'teams'), keepDir: settings.keep }),
    requests: (sink, prefix) => teamsRequests(sink.url, prefix),
  },
  {
    id: 'd',
    name: 'marsbot Slack',
    path: '/slack/events',
    start: (sink, settings) => startMarsbot({ slackApiUrl: `${sink.url}/api/`, execArgv: marsbotArgs(settings, 'slack'), keepDir: settings.keep }),
    requests: (_sink, prefix) => slackRequests(prefix),
    endToEnd: true,
  },
  securedTeams(),
];

/** (e) marsbot Teams with MicrosoftAppId: every request carries a token botbuilder validates. */
function securedTeams(): Scenario {
  const scenario: Scenario = {
    id: 'e',
    name: 'marsbot Teams, secured',
    path: '/api/messages',
    start: async (sink, settings) => {
      scenario.issuer = await startTokenIssuer();
      const issuer = scenario.issuer;
      const bot = await startMarsbot({
        slackApiUrl: `${sink.url}/api/`,
        execArgv: marsbotArgs(settings, 'teams-secured'),
        keepDir: settings.keep,
        secured: { appId: BENCH_APP_ID, metadataUrl: issuer.metadataUrl },
      });
      return {
        ...bot,
        stop: async () => {
          await bot.stop();
          await issuer.stop();
        },
      };
    },
    requests: (sink, prefix) => {
      if (!scenario.issuer) throw new Error('the token issuer starts with the server');
      return teamsRequests(sink.url, prefix, `Bearer ${scenario.issuer.token(sink.url)}`);
    },
  };
  return scenario;
}

interface TurnTiming {
  replied: number;
  missing: number;
  /** Seconds from the first send to the last reply. */
  spanS: number;
  /** Replied turns per second, from the first send to the last reply. */
  rate: number;
  p50: number;
  p99: number;
}

/**
 * Waits until every acknowledged Slack event has its reply at the sink, or nothing new arrived
 * for 10 s (at most 180 s), then times each turn from its send to its first reply.
 */
async function slackTurns(sink: Sink, load: LoadResult): Promise<TurnTiming> {
  const deadline = Date.now() + 180_000;
  let replies = new Map<string, number>();
  let matched = -1;
  let lastChange = Date.now();
  for (;;) {
    replies = await sink.replies();
    let now = 0;
    for (const key of load.sentAt.keys()) if (replies.has(key)) now++;
    if (now !== matched) {
      matched = now;
      lastChange = Date.now();
    }
    if (matched === load.sentAt.size || Date.now() - lastChange > 10_000 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const latencies: number[] = [];
  let lastReplyAt = load.startedAt;
  for (const [key, sentAt] of load.sentAt) {
    const at = replies.get(key);
    if (at === undefined) continue;
    latencies.push(at - sentAt);
    lastReplyAt = Math.max(lastReplyAt, at);
  }
  const sorted = Float64Array.from(latencies).sort();
  const spanS = (lastReplyAt - load.startedAt) / 1000;
  return {
    replied: latencies.length,
    missing: load.sentAt.size - latencies.length,
    spanS: Math.max(spanS, load.durationS),
    rate: latencies.length / Math.max(spanS, load.durationS),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** What one measurement shows; with --repeat, each number is the median over the repeats. */
interface Stat {
  rate: number;
  p50: number;
  p99: number;
}

interface Measurement {
  throughput: Stat;
  paced: Stat;
  /** Slack: turns timed from send to reply. */
  turnsThroughput?: Stat;
  turnsPaced?: Stat;
  failed: number;
  missingReplies: number;
  outgoingPerRequest: number;
  bytesPerConnectorPost: number;
  newSinkConnections: number;
  /** During the throughput run, in cores (1.00 = one core busy the whole run). */
  cpu?: { server: number; sink: number; generator: number; serverMsPerRequest: number };
  /** The server's CPU during the steady run, in cores. */
  pacedServerCpu?: number;
}

interface Row extends Measurement {
  id: string;
  name: string;
  /** Lowest and highest value over the repeats, for the numbers the targets are about. */
  spread: { rate: [number, number]; p99: [number, number] };
  profileDir?: string;
}

const stat = (r: Stat): Stat => ({ rate: r.rate, p50: r.p50, p99: r.p99 });

async function measure(scenario: Scenario, server: Child, sink: Sink, settings: Settings, round: number): Promise<Measurement> {
  const base = { url: server.url, path: scenario.path };
  await sink.reset();
  process.stderr.write(`(${scenario.id}) throughput: ${settings.connections} connections, ${settings.durationS} s\n`);
  const cpuBefore = { server: cpuTimeMs(server.pid), sink: cpuTimeMs(sink.pid), generator: process.cpuUsage(), wallMs: performance.now() };
  const throughput = await runThroughput({ ...base, connections: settings.connections, durationS: settings.durationS, make: scenario.requests(sink, `T${round}`) });
  // Slack's turns go on after the last ack: its CPU counts until the last reply.
  const turnsThroughput = scenario.endToEnd ? await slackTurns(sink, throughput) : undefined;
  const cpuAfter = { server: cpuTimeMs(server.pid), sink: cpuTimeMs(sink.pid), generator: process.cpuUsage(cpuBefore.generator), wallMs: performance.now() };
  const wallS = turnsThroughput ? turnsThroughput.spanS : (cpuAfter.wallMs - cpuBefore.wallMs) / 1000;
  const stats = await sink.stats();
  const outgoing = stats.connectorPosts + Object.values(stats.slackCalls).reduce((a, b) => a + b, 0);

  await sink.reset();
  process.stderr.write(`(${scenario.id}) steady: ${settings.rate} requests/s, ${settings.durationS} s\n`);
  let pacedCpu: { server?: number; wallMs: number } | undefined;
  let pacedCpuUsed: number | undefined;
  const paced = await runPaced({
    ...base,
    rate: settings.rate,
    durationS: settings.durationS,
    leadInS: PACED_LEAD_IN_S,
    make: scenario.requests(sink, `R${round}`),
    onWindow: (edge) => {
      if (edge === 'start') pacedCpu = { server: cpuTimeMs(server.pid), wallMs: performance.now() };
      else if (pacedCpu?.server !== undefined) {
        const now = cpuTimeMs(server.pid);
        if (now !== undefined) pacedCpuUsed = (now - pacedCpu.server) / (performance.now() - pacedCpu.wallMs);
      }
    },
  });
  const turnsPaced = scenario.endToEnd ? await slackTurns(sink, paced) : undefined;

  const cpuKnown = cpuBefore.server !== undefined && cpuAfter.server !== undefined && cpuBefore.sink !== undefined && cpuAfter.sink !== undefined;
  return {
    throughput: stat(throughput),
    paced: stat(paced),
    ...(turnsThroughput && turnsPaced ? { turnsThroughput: stat(turnsThroughput), turnsPaced: stat(turnsPaced) } : {}),
    ...(pacedCpuUsed !== undefined ? { pacedServerCpu: pacedCpuUsed } : {}),
    failed: throughput.failed + paced.failed,
    missingReplies: (turnsThroughput?.missing ?? 0) + (turnsPaced?.missing ?? 0),
    outgoingPerRequest: throughput.ok ? outgoing / throughput.ok : 0,
    bytesPerConnectorPost: stats.connectorPosts ? stats.connectorBytes / stats.connectorPosts : 0,
    newSinkConnections: stats.connections,
    ...(cpuKnown
      ? {
          cpu: {
            server: (cpuAfter.server! - cpuBefore.server!) / 1000 / wallS,
            sink: (cpuAfter.sink! - cpuBefore.sink!) / 1000 / wallS,
            generator: (cpuAfter.generator.user + cpuAfter.generator.system) / 1e6 / wallS,
            serverMsPerRequest: (cpuAfter.server! - cpuBefore.server!) / Math.max(1, throughput.ok),
          },
        }
      : {}),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Each number the median of its values over the measurements (failures and missing replies: the sum). */
function combine(all: Measurement[]): Measurement {
  const m = (pick: (x: Measurement) => number) => median(all.map(pick));
  const s = (pick: (x: Measurement) => Stat | undefined): Stat | undefined =>
    all.every((x) => pick(x)) ? { rate: m((x) => pick(x)!.rate), p50: m((x) => pick(x)!.p50), p99: m((x) => pick(x)!.p99) } : undefined;
  const turnsThroughput = s((x) => x.turnsThroughput);
  const turnsPaced = s((x) => x.turnsPaced);
  return {
    throughput: s((x) => x.throughput)!,
    paced: s((x) => x.paced)!,
    ...(turnsThroughput && turnsPaced ? { turnsThroughput, turnsPaced } : {}),
    failed: all.reduce((sum, x) => sum + x.failed, 0),
    missingReplies: all.reduce((sum, x) => sum + x.missingReplies, 0),
    outgoingPerRequest: m((x) => x.outgoingPerRequest),
    bytesPerConnectorPost: m((x) => x.bytesPerConnectorPost),
    newSinkConnections: all.reduce((sum, x) => sum + x.newSinkConnections, 0),
    ...(all.every((x) => x.pacedServerCpu !== undefined) ? { pacedServerCpu: m((x) => x.pacedServerCpu!) } : {}),
    ...(all.every((x) => x.cpu)
      ? {
          cpu: {
            server: m((x) => x.cpu!.server),
            sink: m((x) => x.cpu!.sink),
            generator: m((x) => x.cpu!.generator),
            serverMsPerRequest: m((x) => x.cpu!.serverMsPerRequest),
          },
        }
      : {}),
  };
}

async function runScenario(scenario: Scenario, sink: Sink, settings: Settings): Promise<Row> {
  process.stderr.write(`(${scenario.id}) ${scenario.name}: starting\n`);
  const server = await scenario.start(sink, settings);
  try {
    // Warm-up: JIT, lazily loaded modules, connection pools, SQLite pages. Not reported.
    const warm = await runThroughput({ url: server.url, path: scenario.path, connections: settings.connections, durationS: settings.warmupS, make: scenario.requests(sink, 'W') });
    if (scenario.endToEnd) await slackTurns(sink, warm);
    const all: Measurement[] = [];
    for (let round = 1; round <= settings.repeat; round++) all.push(await measure(scenario, server, sink, settings, round));
    const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
    const spread = {
      rate: range(all.map((m) => (m.turnsThroughput ?? m.throughput).rate)),
      p99: range(all.map((m) => (m.turnsPaced ?? m.paced).p99)),
    };
    return { id: scenario.id, name: scenario.name, ...combine(all), spread, profileDir: server.dir };
  } finally {
    await server.stop();
  }
}

const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : '–');
const pad = (s: string, n: number) => s.padStart(n);
const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');

function printReport(rows: Row[], settings: Settings, loadBefore: string): void {
  const out: string[] = [];
  out.push(`marsbot HTTP benchmark — node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs, loopback; servers, fake services and load generator in separate processes`);
  out.push(
    `throughput: autocannon, ${settings.connections} connections, ${settings.durationS} s after a ${settings.warmupS} s warm-up; ` +
      `steady: open loop, ${settings.rate} requests/s evenly spaced, ${settings.durationS} s after ${PACED_LEAD_IN_S} s at that rate` +
      (settings.repeat > 1 ? `; each number the median of ${settings.repeat} runs` : ''),
  );
  out.push(`load average before ${loadBefore}, after ${loadAverage()} (other work on the machine skews the numbers)`);
  out.push('');
  out.push('                                       |        throughput          |      steady ' + `${settings.rate}/s`.padEnd(15) + '|');
  out.push('scenario                               |    req/s   p50 ms   p99 ms |  done/s   p50 ms   p99 ms | errors  out/req');
  out.push('---------------------------------------+----------------------------+----------------------------+----------------');
  const line = (label: string, t: Stat, p: Stat, errors: number, outPerReq: string) =>
    out.push(
      `${label.padEnd(39)}| ${pad(t.rate.toFixed(0), 8)} ${pad(ms(t.p50), 8)} ${pad(ms(t.p99), 8)} | ${pad(p.rate.toFixed(0), 7)} ${pad(ms(p.p50), 8)} ${pad(ms(p.p99), 8)} | ${pad(String(errors), 6)} ${pad(outPerReq, 8)}`,
    );
  for (const row of rows) {
    const label = `(${row.id}) ${row.name}${row.turnsThroughput ? ' — HTTP ack' : ''}`;
    line(label, row.throughput, row.paced, row.failed, row.outgoingPerRequest.toFixed(2));
    if (row.turnsThroughput && row.turnsPaced) line(`(${row.id}) ${row.name} — turn, send→reply`, row.turnsThroughput, row.turnsPaced, row.missingReplies, '');
  }
  out.push('');
  out.push('errors: non-2xx answers and failed requests (for a "turn" line: messages without a reply at the fake Slack API).');
  out.push('out/req: calls the bot made to the fake Bot Connector / Slack Web API per request (replies, users.info, auth.test).');
  out.push('Slack answers 200 once the reply is posted (or after 2.5 s): its "turn" line times each message from send to its first chat.postMessage,');
  out.push('and its throughput is replied turns per second from the first send to the last reply.');

  const byId = new Map(rows.map((r) => [r.id, r]));
  const echo = byId.get('b');
  const bare = byId.get('a');
  out.push('');
  if (echo && bare) out.push(`(b) echo bot / (a) bare restify: ${(echo.throughput.rate / bare.throughput.rate).toFixed(3)}×`);
  if (echo) {
    const target = (label: string, row: Row) => {
      const rate = (row.turnsThroughput ?? row.throughput).rate;
      const p99 = (row.turnsPaced ?? row.paced).p99;
      const ratio = rate / echo.throughput.rate;
      const spread = (pair: [number, number], format: (v: number) => string) => (settings.repeat > 1 ? ` [runs: ${format(pair[0])}–${format(pair[1])}]` : '');
      out.push(
        `${label.padEnd(21)} ${ratio.toFixed(2)}× the echo bot's throughput${spread(row.spread.rate, (v) => (v / echo.throughput.rate).toFixed(2))} ` +
          `(target ≥ 0.70: ${ratio >= 0.7 ? 'met' : `missed, ${((ratio / 0.7) * 100).toFixed(0)} % of it`})`,
      );
      out.push(
        `${''.padEnd(21)} p99 at a steady ${settings.rate}/s ${ms(p99)} ms${spread(row.spread.p99, ms)} (target < 50 ms: ${p99 < 50 ? 'met' : `missed by ${ms(p99 - 50)} ms`})`,
      );
    };
    const teams = byId.get('c');
    if (teams) target('(c) Teams / (b)', teams);
    const slack = byId.get('d');
    if (slack?.turnsThroughput && slack.turnsPaced) target('(d) Slack turns / (b)', slack);
  }
  out.push('');
  out.push('during the throughput runs (CPU in cores: 1.00 = one core busy all the time):');
  for (const row of rows) {
    const cpu = row.cpu
      ? `server ${row.cpu.server.toFixed(2)} (${row.cpu.serverMsPerRequest.toFixed(2)} ms CPU per request), fake services ${row.cpu.sink.toFixed(2)}, load generator ${row.cpu.generator.toFixed(2)}`
      : 'CPU use not available on this platform';
    const bytes = row.bytesPerConnectorPost ? `; ${row.bytesPerConnectorPost.toFixed(0)} bytes per activity posted` : '';
    out.push(`(${row.id}) ${cpu}${bytes}; new connections to the fake services: ${row.newSinkConnections}`);
  }
  out.push(`during the steady runs, the server's CPU (cores; ms CPU per request at ${settings.rate}/s):`);
  out.push(
    '    ' +
      rows
        .filter((row) => row.pacedServerCpu !== undefined)
        .map((row) => `(${row.id}) ${row.pacedServerCpu!.toFixed(2)} (${((row.pacedServerCpu! * 1000) / settings.rate).toFixed(2)} ms)`)
        .join(', '),
  );
  console.log(out.join('\n'));
}

function printProfiles(rows: Row[]): void {
  for (const row of rows) {
    if (!row.profileDir) continue;
    const file = readdirSync(row.profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) continue;
    const path = join(row.profileDir, file);
    const summary = summarizeProfile(path);
    console.log(`\nCPU profile of (${row.id}) ${row.name}: ${path}`);
    console.log(`  ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s (warm-up, runs and pauses); shares are of the busy time`);
    console.log('  self time by package (node internals and native code charged to the calling package):');
    for (const p of summary.byPackage) console.log(`    ${(p.share * 100).toFixed(1).padStart(5)} %  ${p.name}`);
    console.log('  hottest functions (self time):');
    for (const f of summary.topFunctions) console.log(`    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`);
  }
}

async function main(): Promise<void> {
  const settings = readSettings(process.argv.slice(2));
  const loadBefore = loadAverage();
  const sinkChild = await forkListening('sink.js');
  const sink = sinkClient(sinkChild.url, sinkChild.pid);
  const rows: Row[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (settings.only.has(scenario.id)) rows.push(await runScenario(scenario, sink, settings));
    }
  } finally {
    await sinkChild.stop();
  }
  printReport(rows, settings, loadBefore);
  if (settings.cpuProf) printProfiles(rows);
  if (settings.keep) for (const row of rows) if (row.profileDir) console.log(`(${row.id}) log, database and profile kept in ${row.profileDir}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
