import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';

/**
 * The layers of src/, lowest first. A module may import its own layer and the layers below it,
 * never one above: knowledge knows nothing of the engine, the engine nothing of Teams or Slack.
 * This list is the one place the order is written down (DESIGN.md explains it).
 */
export const LAYERS: readonly { name: string; paths: readonly string[] }[] = [
  // The bottom: languages, strings, logging, small utilities, and the validated configuration.
  { name: 'shared', paths: ['shared/', 'config.ts'] },
  { name: 'knowledge', paths: ['knowledge/'] },
  { name: 'understanding', paths: ['understanding/'] },
  { name: 'replies', paths: ['replies/'] },
  { name: 'storage', paths: ['storage/'] },
  { name: 'support', paths: ['support/'] },
  { name: 'conversation', paths: ['conversation/'] },
  { name: 'channels', paths: ['channels/'] },
  { name: 'server', paths: ['server/'] },
  { name: 'composition', paths: ['create-marsbot.ts'] },
  { name: 'cli', paths: ['cli/'] },
  { name: 'index', paths: ['index.ts'] },
];

/** Platform folders stand side by side: Teams code never reaches into Slack's, nor the other way. */
const ISOLATED_FOLDERS: readonly string[] = ['channels/teams/', 'channels/slack/', 'channels/web/'];

export interface Violation {
  from: string;
  to: string;
  reason: string;
}

/** The layer of a path relative to src/ (posix separators), or undefined when no layer claims it. */
export function layerOf(path: string): number | undefined {
  const index = LAYERS.findIndex((layer) => layer.paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p)));
  return index === -1 ? undefined : index;
}

// Static imports and re-exports, dynamic import() and require(): every way a module can reach another.
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** The relative module specifiers a source text imports (packages are not layers and are skipped). */
export function importsOf(source: string): string[] {
  return [...source.matchAll(SPECIFIERS)].map((m) => m[1]!).filter((s) => s.startsWith('.'));
}

/** A specifier imported by `from` (both relative to src/) → the imported module's path relative to src/. */
export function resolveImport(from: string, specifier: string): string {
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
  return /\.(ts|js|json)$/.test(joined) ? joined : `${joined}.ts`;
}

function folderOf(path: string): string | undefined {
  return ISOLATED_FOLDERS.find((folder) => path.startsWith(folder));
}

/** What is wrong with one import, if anything. */
export function checkImport(from: string, to: string): Violation | undefined {
  const source = layerOf(from);
  const target = layerOf(to.replace(/\/index\.ts$/, '.ts')) ?? layerOf(to);
  if (source === undefined) return { from, to, reason: `${from} is in no layer: add its folder to LAYERS` };
  // The locale files are data below every layer; shared/i18n-resources.ts reads their types from them.
  if (to.startsWith('../locales/') && to.endsWith('.json')) return undefined;
  if (to.startsWith('../')) return { from, to, reason: 'imports from outside src/' };
  if (target === undefined) return undefined;
  if (target > source) {
    return { from, to, reason: `${LAYERS[source]!.name} must not import ${LAYERS[target]!.name} (a higher layer)` };
  }
  const fromFolder = folderOf(from);
  const toFolder = folderOf(to);
  if (fromFolder && toFolder && fromFolder !== toFolder) return { from, to, reason: `${fromFolder} must not import ${toFolder}` };
  return undefined;
}

/** Every violation in the given sources (path relative to src/ → source text). */
export function findViolations(sources: ReadonlyMap<string, string>): Violation[] {
  const violations: Violation[] = [];
  for (const [from, text] of sources) {
    for (const specifier of importsOf(text)) {
      const violation = checkImport(from, resolveImport(from, specifier));
      if (violation) violations.push(violation);
    }
  }
  return violations;
}

/** Every .ts file under `srcDir`, keyed by its path relative to it (posix separators). */
export function readSources(srcDir: string): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) sources.set(relative(srcDir, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(srcDir);
  return sources;
}

export const SRC_DIR = join(dirname(dirname(__dirname)), 'src');
