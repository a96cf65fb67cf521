import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultKnowledgeDir, KnowledgeError, loadKnowledge } from '../../src/knowledge/load-knowledge';
import { caseStepLists } from './knowledge-texts';

/**
 * UI labels: a step marks what the admin clicks as **bold**, with the English label (the console
 * and the portal are often English on a Dutch Windows) and, in a Dutch step, the Dutch label in
 * brackets right after it where the Dutch interface names it differently. Every marked label
 * comes from knowledge/glossary.yaml. These tests read the step texts themselves, independently
 * of the loader's own check, and then show that the loader (and so `kb check`) enforces it.
 */
const kb = loadKnowledge();
const glossary = kb.glossary!;
const dutchOf = new Map(glossary.labels.map((l) => [l.en, l.nl ?? l.en] as const));
const BOLD = /\*\*([^*]+)\*\*/g;

describe('UI labels in the steps', () => {
  const lists = caseStepLists(kb);
  const marked = lists.flatMap(({ where, lang, steps }) =>
    steps.flatMap((step, i) =>
      [...step.matchAll(BOLD)].map((m) => ({ where: `${where} step ${i + 1}`, lang, path: m[1]!.split(' > '), after: step.slice(m.index + m[0].length) })),
    ),
  );

  it('are marked in bold across the knowledge base', () => {
    expect(marked.length).toBeGreaterThan(100);
  });

  it('all come from the glossary', () => {
    const unknown = marked.flatMap((m) => m.path.filter((label) => !dutchOf.has(label)).map((label) => `${m.where}: "${label}"`));
    expect(unknown).toEqual([]);
  });

  it('carry the Dutch label in brackets in Dutch steps where the Dutch interface differs, and never in English ones', () => {
    const wrong = marked.flatMap((m) => {
      const dutch = m.path.map((label) => dutchOf.get(label) ?? label).join(' > ');
      const differs = dutch !== m.path.join(' > ');
      const bracketed = m.after.startsWith(` (${dutch})`);
      if (m.lang === 'nl' && differs && !bracketed) return [`${m.where}: "**${m.path.join(' > ')}**" wants " (${dutch})" after it, has "${m.after.slice(0, 40)}"`];
      if (m.lang === 'en' && differs && bracketed) return [`${m.where}: Dutch label in an English step`];
      return [];
    });
    expect(wrong).toEqual([]);
  });

  it('name a path of labels in one bold span ("**Tools > Internet options**"), never bold piece by piece', () => {
    const split = lists.flatMap(({ where, steps }) => steps.filter((s) => /\*\* ?> ?\*\*/.test(s)).map((s) => `${where}: ${s}`));
    expect(split).toEqual([]);
  });

  it('never bold a Dutch label on its own', () => {
    const dutchOnly = new Set(glossary.labels.filter((l) => l.nl && l.nl !== l.en).map((l) => l.nl!));
    const bolded = marked.flatMap((m) => m.path.filter((label) => dutchOnly.has(label)).map((label) => `${m.where}: **${label}**`));
    expect(bolded).toEqual([]);
  });

  it('has no label in the glossary that no step uses (a glossary that drifts is no help)', () => {
    const used = new Set(marked.flatMap((m) => m.path));
    expect(glossary.labels.map((l) => l.en).filter((label) => !used.has(label))).toEqual([]);
  });

  it('show the issue\'s examples the agreed way', () => {
    const all = lists.flatMap((l) => l.steps).join('\n');
    expect(all).toContain('**Schedule Backup** (Back-up plannen)');
    expect(all).toContain('**Backup Infrastructure > Protected Servers** (Back-upinfrastructuur > Beveiligde servers)');
  });
});

describe('the loader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marsbot-glossary-'));
    cpSync(defaultKnowledgeDir(), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function editFirstDutchStep(id: string, change: (step: string) => string): void {
    const file = join(dir, 'topics', `${id}.yaml`);
    const doc = parse(readFileSync(file, 'utf8')) as { cases: { steps: { nl: unknown[] } }[] };
    const steps = doc.cases[0]!.steps.nl;
    const at = steps.findIndex((s) => typeof s === 'string');
    steps[at] = change(steps[at] as string);
    writeFileSync(file, stringify(doc));
  }

  function loadError(): KnowledgeError {
    try {
      loadKnowledge(dir);
    } catch (err) {
      if (err instanceof KnowledgeError) return err;
      throw err;
    }
    throw new Error('expected the knowledge base to be rejected');
  }

  it('rejects a bold label that is not in the glossary, naming the step', () => {
    editFirstDutchStep('job-already-running', (step) => `${step} Kies daarna **Eigenschappen opslaan**.`);
    const error = loadError();
    expect(error.file).toMatch(/glossary\.yaml$/);
    expect(error.message).toContain('topics/job-already-running.yaml cases.0.steps.nl.2: "Eigenschappen opslaan" is not in knowledge/glossary.yaml');
  });

  it('rejects a Dutch label in bold and says how to write it', () => {
    editFirstDutchStep('job-already-running', (step) => step.replace('**Settings** (Instellingen)', '**Instellingen**'));
    expect(loadError().message).toContain('"Instellingen" is a Dutch label: write **Settings** (Instellingen)');
  });

  it('rejects a Dutch step that leaves out the Dutch label', () => {
    editFirstDutchStep('job-already-running', (step) => step.replace('**Settings** (Instellingen)', '**Settings**'));
    expect(loadError().message).toContain('"**Settings**" needs its Dutch label after it: "**Settings** (Instellingen)"');
  });
});
