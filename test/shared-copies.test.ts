import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The project keeps its own copies of what it was given (the Microsoft sources with their licence,
 * the topic contract, the development eval sets), so a clone with nothing beside it installs, tests
 * and evaluates. Where the originals sit beside the checkout (a developer's machine), every copy
 * must be byte-identical to its original, so the two can never drift apart.
 */
const PROJECT = join(__dirname, '..');
const GIVEN = join(PROJECT, '..', 'shared');

/** Folder of originals → folder of our copies. Root files (the topic contract) go to knowledge/. */
const COPIES: ReadonlyArray<{ from: string; to: string; files: (name: string) => boolean }> = [
  { from: 'sources', to: join('knowledge', 'sources'), files: () => true },
  { from: 'eval', to: join('test', 'eval'), files: () => true },
  // DESIGN.md is guidance for us, not data the product reads.
  { from: '.', to: 'knowledge', files: (name) => name.endsWith('.md') && name !== 'DESIGN.md' },
];

const filesIn = (dir: string, keep: (name: string) => boolean): string[] =>
  readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isFile() && keep(name))
    .sort();

const describeWithOriginals = existsSync(GIVEN) ? describe : describe.skip;

describeWithOriginals('the copies kept inside the project', () => {
  it.each(COPIES)('$to holds an identical copy of every file in $from', ({ from, to, files }) => {
    const originals = filesIn(join(GIVEN, from), files);
    expect(originals.length).toBeGreaterThan(0);
    for (const name of originals) {
      const copy = join(PROJECT, to, name);
      expect({ name, present: existsSync(copy) }).toEqual({ name, present: true });
      expect({ name, same: readFileSync(copy).equals(readFileSync(join(GIVEN, from, name))) }).toEqual({ name, same: true });
    }
  });
});

describe('what a clone needs without the originals', () => {
  it('has the sources with their licence, the topic contract and the development sets', () => {
    const licence = readFileSync(join(PROJECT, 'knowledge', 'sources', 'README.md'), 'utf8');
    expect(licence).toContain('CC BY 4.0');
    const contract = readFileSync(join(PROJECT, 'knowledge', 'knowledge-topics.md'), 'utf8');
    expect(contract).toContain('`invalid-vault-credentials`');
    for (const set of ['dev.jsonl', 'real-dev.jsonl', 'conversations-dev.jsonl']) {
      const lines = readFileSync(join(PROJECT, 'test', 'eval', set), 'utf8').split('\n').filter((l) => l.trim());
      expect(lines.length).toBeGreaterThan(5);
    }
  });
});
