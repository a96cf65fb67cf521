import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Tests that run marsbot as its own process use the compiled code in dist/ (`npm test` compiles
 * first). A dist/ older than the sources would test yesterday's code, so that fails loudly here.
 */

const ROOT = resolve(__dirname, '../../..');
/**
 * MARSBOT_DIST_SRC runs the process tests against another build's dist/src (how the crash tests'
 * "before" numbers in the README were measured); it is not checked against these sources.
 */
const OTHER_BUILD = process.env['MARSBOT_DIST_SRC'];
const DIST_SRC = OTHER_BUILD ? resolve(OTHER_BUILD) : join(ROOT, 'dist', 'src');

function newestSourceChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceChange(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The compiled file, after checking it exists and is not older than any source file. */
export function builtFile(relativeToDistSrc: string): string {
  const file = join(DIST_SRC, relativeToDistSrc);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (\`npm test\` does)`);
  if (!OTHER_BUILD && statSync(file).mtimeMs + 1_000 < newestSourceChange(join(ROOT, 'src'))) {
    throw new Error(`${file} is older than the sources in src/: run \`npm run build\` first (\`npm test\` does)`);
  }
  return file;
}
