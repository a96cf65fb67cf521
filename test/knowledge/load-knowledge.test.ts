import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultKnowledgeDir, KnowledgeError, loadKnowledge } from '../../src/knowledge/load-knowledge';

const CONTRACT = readFileSync(join(__dirname, '..', '..', 'knowledge', 'knowledge-topics.md'), 'utf8');
const contractIds = [...CONTRACT.matchAll(/^\| `([a-z0-9-]+)` \| (seed|current) \|/gm)].map((m) => ({ id: m[1]!, tier: m[2]! }));

describe('the knowledge base', () => {
  const kb = loadKnowledge();

  it('has exactly one valid topic for every id of the contract, in its tier', () => {
    expect(contractIds).toHaveLength(21);
    for (const { id, tier } of contractIds) expect(kb.byId.get(id)?.tier).toBe(tier);
  });

  it('gives every topic steps in both languages and follow-ups where there are several causes', () => {
    for (const topic of kb.topics) {
      for (const c of topic.cases) {
        expect(c.steps.nl.length).toBe(c.steps.en.length);
      }
      if (topic.cases.length > 1) expect(topic.followUps.length).toBeGreaterThan(0);
    }
  });

  it('asks follow-up questions for 34513 that lead to each of its three causes', () => {
    const topic = kb.byId.get('invalid-vault-credentials')!;
    expect(topic.errorIds).toContain('34513');
    const reachable = new Set(topic.followUps.flatMap((q) => q.options.map((o) => o.case).filter(Boolean)));
    expect(reachable.size).toBe(topic.cases.length);
    expect(topic.cases.length).toBeGreaterThanOrEqual(3);
  });

  it('states the current validity of vault credentials and what changed', () => {
    const topic = kb.byId.get('invalid-vault-credentials')!;
    expect(topic.changes?.en).toMatch(/10 days/);
    expect(topic.changes?.en).toMatch(/48 hours/);
    expect(topic.changes?.nl).toMatch(/10 dagen/);
  });

  it('keeps the agent messages verbatim in both Dutch wordings', () => {
    const topic = kb.byId.get('invalid-vault-credentials')!;
    const all = [...topic.errorTexts.en, ...topic.errorTexts.nl].join('\n');
    expect(all).toContain('Invalid vault credentials provided.');
    expect(all).toContain('Er zijn ongeldige kluisreferenties opgegeven.');
  });
});

describe('an invalid knowledge file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marsbot-kb-'));
    cpSync(defaultKnowledgeDir(), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function edit(id: string, change: (doc: Record<string, unknown>) => void): string {
    const file = join(dir, 'topics', `${id}.yaml`);
    const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    change(doc);
    writeFileSync(file, stringify(doc));
    return file;
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

  it('is rejected with the file name and the exact field', () => {
    const file = edit('activation-failed', (doc) => {
      (doc['title'] as Record<string, unknown>)['nl'] = '';
    });
    const error = loadError();
    expect(error.file).toBe(file);
    expect(error.message).toContain('title.nl');
  });

  it('is rejected when a follow-up option points at a case that does not exist', () => {
    edit('invalid-vault-credentials', (doc) => {
      const questions = doc['followUps'] as { options: { case?: string; next?: string }[] }[];
      const option = questions[0]!.options[0]!;
      delete option.next;
      option.case = 'no-such-case';
    });
    expect(loadError().message).toMatch(/followUps\.0\.options\.0\.case: unknown case "no-such-case"/);
  });

  it('is rejected when its id does not match its file name', () => {
    edit('sal-bitmap-error', (doc) => {
      doc['id'] = 'sal-bitmap';
    });
    expect(loadError().message).toContain('does not match the file name');
  });

  it('is rejected when it is not YAML at all', () => {
    writeFileSync(join(dir, 'topics', 'job-already-running.yaml'), 'id: [unclosed\n');
    expect(loadError().message).toContain('not valid YAML');
  });
});
