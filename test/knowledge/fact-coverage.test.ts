import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { FACT_DOCUMENT_PAGES, FACT_DOCUMENTS, factSourceUrl, type FactDocument } from '../../src/knowledge/fact-schema';
import { defaultKnowledgeDir, KnowledgeError, loadKnowledge } from '../../src/knowledge/load-knowledge';

/**
 * The info tier against its sources: every fact cites a question of the MARS FAQ or a section of
 * the support matrix that exists in our copy (knowledge/sources/), with the anchor Microsoft Learn
 * gives it; every question and section is answered by a fact or listed, with a reason, as left out.
 */
const SOURCES_DIR = join(__dirname, '..', '..', 'knowledge', 'sources');
const kb = loadKnowledge();

interface Section {
  text: string;
  anchor: string;
  /** The section a support-matrix sub-section (###) belongs to. */
  parent?: string;
}

/** Learn's anchor for a question of a YamlMime:FAQ page: lower case, every run of other characters one dash. */
function faqAnchor(question: string): string {
  return question.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-/, '');
}

/** Learn's anchor for a Markdown heading. */
function headingAnchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/\s+/g, '-');
}

function faqQuestions(): Section[] {
  const faq = parse(readFileSync(join(SOURCES_DIR, FACT_DOCUMENT_PAGES['mars-faq'].file), 'utf8')) as { sections: { questions: { question: string }[] }[] };
  return faq.sections.flatMap((s) => s.questions.map((q) => ({ text: q.question.trim(), anchor: faqAnchor(q.question) })));
}

function matrixSections(): Section[] {
  const markdown = readFileSync(join(SOURCES_DIR, FACT_DOCUMENT_PAGES['mars-support-matrix'].file), 'utf8');
  const sections: Section[] = [];
  let parent: string | undefined;
  for (const line of markdown.split('\n')) {
    const match = /^(#{2,3}) (.*)$/.exec(line);
    if (!match) continue;
    const text = match[2]!.trim();
    if (match[1] === '##') parent = text;
    sections.push({ text, anchor: headingAnchor(text), ...(match[1] === '###' ? { parent } : {}) });
  }
  return sections;
}

const SECTIONS: Record<FactDocument, Section[]> = { 'mars-faq': faqQuestions(), 'mars-support-matrix': matrixSections() };

describe('the facts of the info tier', () => {
  it('parses the sources it is checked against (31 FAQ questions, the support matrix sections)', () => {
    expect(SECTIONS['mars-faq']).toHaveLength(31);
    expect(SECTIONS['mars-support-matrix'].map((s) => s.text)).toEqual(
      expect.arrayContaining(['Supported operating systems', 'Retention limits', 'Supported file types for backup', 'Support for initial offline backup']),
    );
  });

  it('cite questions and sections that exist, word for word, with the anchor Microsoft Learn gives them', () => {
    const wrong = kb.facts.flatMap((fact) =>
      fact.source
        .filter((ref) => !SECTIONS[ref.document].some((s) => s.text === ref.section && s.anchor === ref.anchor))
        .map((ref) => `${fact.id}: ${ref.document} "${ref.section}" #${ref.anchor}`),
    );
    expect(wrong).toEqual([]);
  });

  it('answer every FAQ question and every support-matrix section, or say why one is left out', () => {
    const cited = new Set(kb.facts.flatMap((f) => f.source.map((ref) => `${ref.document}|${ref.section}`)));
    const leftOut = new Set(kb.factsNotCovered.sections.map((s) => `${s.document}|${s.section}`));
    const missing = FACT_DOCUMENTS.flatMap((document) => {
      const sections = SECTIONS[document];
      return sections
        .filter((section) => {
          const key = `${document}|${section.text}`;
          if (cited.has(key) || leftOut.has(key)) return false;
          // A section made of sub-sections ("Backup limits") is covered when each of them is.
          const children = sections.filter((s) => s.parent === section.text);
          return children.length === 0 || !children.every((c) => cited.has(`${document}|${c.text}`) || leftOut.has(`${document}|${c.text}`));
        })
        .map((section) => `${document}: ${section.text}`);
    });
    expect(missing).toEqual([]);
  });

  it('list as left out only sections that exist, each with a reason', () => {
    for (const entry of kb.factsNotCovered.sections) {
      expect(SECTIONS[entry.document].map((s) => s.text)).toContain(entry.section);
      expect(entry.reason.length).toBeGreaterThan(10);
    }
  });

  it('link to the cited section on Microsoft Learn', () => {
    const fact = kb.factsById.get('server-core-not-supported')!;
    expect(factSourceUrl(fact.source[0]!)).toBe('https://learn.microsoft.com/en-us/azure/backup/backup-support-matrix-mars-agent#supported-operating-systems');
    const validity = kb.factsById.get('vault-credentials-validity')!;
    expect(factSourceUrl(validity.source[0]!)).toBe('https://learn.microsoft.com/en-us/azure/backup/backup-azure-file-folder-backup-faq#how-long-are-vault-credentials-valid-');
  });

  it('cover at least what admins ask next to the article', () => {
    const needed = [
      'supported-windows-versions', 'server-core-not-supported', 'linux-not-supported', 'system-state-support', '64-bit-only', 'admin-rights',
      'download-agent', 'download-vault-credentials', 'vault-credentials-validity', 'passphrase-characters', 'lost-passphrase',
      'restore-to-another-machine', 'restore-to-older-os', 'rename-server', 'register-other-region', 'cache-folder-size', 'cache-folder-location',
      'cache-folder-attributes', 'cache-folder-check', 'cache-folder-move', 'unsupported-file-types', 'unsupported-volumes', 'bandwidth-throttling',
      'jobs-stuck-in-progress', 'backups-not-configured-warning', 'retention-limits', 'offline-seeding', 'duplicate-machine-names',
    ];
    expect(needed.filter((id) => !kb.factsById.has(id))).toEqual([]);
  });

  it('say the facts in both languages, with the numbers of the source in each', () => {
    for (const fact of kb.facts) {
      expect(fact.points.nl).toHaveLength(fact.points.en.length);
      expect(fact.triggers.nl.length).toBeGreaterThanOrEqual(3);
      expect(fact.triggers.en.length).toBeGreaterThanOrEqual(3);
      // The same numbers (days, GB, versions) in the Dutch and the English text.
      const numbers = (text: string) => (text.match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replace(/[.,]/g, '')).sort();
      const nl = numbers([fact.answer.nl, ...fact.points.nl].join(' '));
      const en = numbers([fact.answer.en, ...fact.points.en].join(' '));
      expect({ id: fact.id, numbers: nl }).toEqual({ id: fact.id, numbers: en });
    }
    expect(kb.factsById.get('vault-credentials-validity')!.answer.nl).toMatch(/10 dagen/);
    expect(kb.factsById.get('retention-limits')!.points.en).toContain('Yearly: 1 to 99 years.');
    expect(kb.factsById.get('cache-folder-size')!.points.nl.join(' ')).toMatch(/30 à 35 GB/);
  });

  it('lead only to topics that exist', () => {
    for (const fact of kb.facts) for (const id of fact.related) expect(kb.byId.has(id)).toBe(true);
  });
});

describe('an invalid fact file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marsbot-facts-'));
    cpSync(defaultKnowledgeDir(), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function edit(file: string, change: (doc: Record<string, unknown>) => void): void {
    const path = join(dir, 'facts', file);
    const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    change(doc);
    writeFileSync(path, stringify(doc));
  }

  it('fails with the file and the field when a language is missing', () => {
    edit('admin-rights.yaml', (doc) => {
      (doc['answer'] as Record<string, unknown>)['nl'] = undefined;
    });
    expect(() => loadKnowledge(dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledge(dir)).toThrow(/admin-rights\.yaml: answer\.nl/);
  });

  it('fails when it leads to a topic that does not exist', () => {
    edit('cache-folder-size.yaml', (doc) => {
      doc['related'] = ['no-such-topic'];
    });
    expect(() => loadKnowledge(dir)).toThrow(/cache-folder-size\.yaml: related: unknown topic\(s\) no-such-topic/);
  });

  it('fails when it cites a document we do not have, or its points differ per language', () => {
    edit('retention-limits.yaml', (doc) => {
      (doc['source'] as Record<string, unknown>[])[0]!['document'] = 'mars-blog';
    });
    expect(() => loadKnowledge(dir)).toThrow(/retention-limits\.yaml: source\.0\.document/);
    cpSync(join(defaultKnowledgeDir(), 'facts', 'retention-limits.yaml'), join(dir, 'facts', 'retention-limits.yaml'));
    edit('retention-limits.yaml', (doc) => {
      (doc['points'] as Record<string, string[]>)['nl']!.pop();
    });
    expect(() => loadKnowledge(dir)).toThrow(/retention-limits\.yaml: points: nl has 3 points, en has 4/);
  });
});
