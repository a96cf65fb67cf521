import { readFileSync } from 'node:fs';

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time per package
 * (node_modules/<name>, a folder of marsbot's dist/src, GC, idle) — node internals and native code
 * charged to the package that called them — and the hottest functions.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Time the thread was not idle; the shares below are of this. */
  busyMs: number;
  byPackage: { name: string; ms: number; share: number }[];
  topFunctions: { name: string; where: string; ms: number; share: number }[];
}

/** The package a frame belongs to; undefined for node internals and native code (charged to their caller). */
function packageOf(url: string, functionName: string): string | undefined {
  if (functionName === '(garbage collector)') return '(gc)';
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(program)') return '(program)';
  if (!url || url.startsWith('node:') || url.startsWith('wasm:')) return undefined;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const dist = url.indexOf('/dist/src/');
  if (dist >= 0) {
    const parts = url.slice(dist + '/dist/src/'.length).split('/');
    return `marsbot ${parts.length > 1 ? parts[0] : parts[0]!.replace(/\.js$/, '')}`;
  }
  return url.replace(/^file:\/\//, '');
}

export function summarizeProfile(path: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the gap to the next one.
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000;
    selfMs.set(samples[i]!, (selfMs.get(samples[i]!) ?? 0) + ms);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const packages = new Map<string, number>();
  const functions = new Map<string, { where: string; ms: number }>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    // Node internals and native code (JSON, sockets, streams) count for the package that called them.
    let owner: string | undefined;
    for (let at: number | undefined = id; at !== undefined && owner === undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      owner = packageOf(frame.url, frame.functionName);
    }
    const pkg = owner ?? '(node, no caller in a package)';
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const entry = functions.get(key) ?? { where, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  const idleMs = packages.get('(idle)') ?? 0;
  packages.delete('(idle)');
  functions.delete('(idle) ');
  const busyMs = totalMs - idleMs;
  const share = (ms: number) => ms / busyMs;
  return {
    totalMs,
    busyMs,
    byPackage: [...packages].map(([name, ms]) => ({ name, ms, share: share(ms) })).sort((a, b) => b.ms - a.ms).slice(0, top),
    topFunctions: [...functions]
      .map(([key, { where, ms }]) => ({ name: key.slice(0, key.length - where.length).trim(), where, ms, share: share(ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
  };
}
