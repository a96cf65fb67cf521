import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { vocabularyOf } from '../../src/conversation/vocabulary';
import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { foldCase } from '../../src/understanding/normalize-text';
import { FIXTURE_KNOWLEDGE_DIR } from './harness';

/**
 * The words marsbot listens for (asking for a person, yes/no, "didn't help", "something else", a
 * change of subject, a language …) are defined once, in knowledge/intents.yaml, and every part of
 * the product reads them from there: no TypeScript file and no locale file repeats them.
 */

const ROOT = join(__dirname, '..', '..');
const knowledge = loadKnowledge();
const intents = knowledge.intents;

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}


const both = (list: { nl: string[]; en: string[] }) => [...list.nl, ...list.en];
const escalation = both(intents.escalate);
type Words = { nl: string[]; en: string[] };
const wordsOf = (list: Words | Words[] | { verbs: Words; people: Words }): [string, string[]][] =>
  Array.isArray(list) ? [['', list.flatMap(both)]] : 'verbs' in list ? [['.verbs', both(list.verbs)], ['.people', both(list.people)]] : [['', both(list)]];
const dialogueLists = Object.entries(intents.dialogue).flatMap(([name, list]) => wordsOf(list).map(([part, words]) => [`${name}${part}`, words] as const));
/** Phrases of more than one word: a quoted copy of one of these in code can only be a second definition. */
const phrases = [...escalation, ...dialogueLists.flatMap(([, words]) => words), ...both(intents.help), ...both(intents.thanks)].filter((p) => p.trim().includes(' '));

describe('one vocabulary, in knowledge/intents.yaml', () => {
  it('lists each request for a person once, and in no other intent', () => {
    const folded = escalation.map(foldCase);
    expect(new Set(folded).size).toBe(folded.length);
    for (const other of ['greeting', 'thanks', 'help', 'goodbye'] as const) {
      const overlap = both(intents[other]).map(foldCase).filter((p) => folded.includes(p));
      expect({ intent: other, overlap }).toEqual({ intent: other, overlap: [] });
    }
  });

  it('has no phrase twice within one list', () => {
    for (const [name, words] of dialogueLists) {
      const folded = words.map(foldCase);
      const repeated = folded.filter((w, i) => folded.indexOf(w) !== i);
      expect({ list: name, repeated }).toEqual({ list: name, repeated: [] });
    }
  });

  it('is not repeated in any TypeScript source', () => {
    // Comments may quote examples; code may not hold the words.
    const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:])\/\/.*$/gm, '$1');
    const sources = filesUnder(join(ROOT, 'src'), '.ts').map((file) => ({ file, text: foldCase(withoutComments(readFileSync(file, 'utf8'))) }));
    const copies = phrases.flatMap((phrase) => {
      const quoted = [`'${foldCase(phrase)}'`, `"${foldCase(phrase)}"`];
      return sources.filter(({ text }) => quoted.some((q) => text.includes(q))).map(({ file }) => `${phrase} in ${file.replace(ROOT, '')}`);
    });
    expect(copies).toEqual([]);
  });

  it('has no word list in any locale file (they hold what the bot says, not what it listens for)', () => {
    const listened = new Set([...escalation, ...dialogueLists.flatMap(([, words]) => words)].map(foldCase));
    const arraysIn = (value: unknown): string[][] =>
      Array.isArray(value)
        ? [value.filter((v): v is string => typeof v === 'string'), ...value.flatMap(arraysIn)]
        : value && typeof value === 'object'
          ? Object.values(value).flatMap(arraysIn)
          : [];
    const wordLists = filesUnder(join(ROOT, 'locales'), '.json').flatMap((file) =>
      arraysIn(JSON.parse(readFileSync(file, 'utf8')))
        .filter((list) => list.filter((s) => listened.has(foldCase(s))).length >= Math.max(2, list.length / 2))
        .map((list) => `${file.replace(ROOT, '')}: ${list.join(', ')}`),
    );
    expect(wordLists).toEqual([]);
  });

  it('is the same file for the engine tests (the fixture links to it)', () => {
    expect(realpathSync(join(FIXTURE_KNOWLEDGE_DIR, 'intents.yaml'))).toBe(realpathSync(join(ROOT, 'knowledge', 'intents.yaml')));
  });

  it('compiles for the engine: the escalate list the engine reads is the one the matcher reads', () => {
    const v = vocabularyOf(knowledge);
    expect(v.escalate.phrases).toHaveLength(escalation.length);
    expect(v.languageNames.get('english')).toBe('en');
    expect(v.languageNames.get('nederlands')).toBe('nl');
    expect(v.ordinals.get('tweede')).toBe(2);
    expect(v.ordinals.get('third')).toBe(3);
  });
});
