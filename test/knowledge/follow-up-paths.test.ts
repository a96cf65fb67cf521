import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultKnowledgeDir, KnowledgeError, loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load-knowledge';
import type { Topic } from '../../src/knowledge/schema';

/**
 * Every path through every follow-up tree, from every question: each option sequence a user can
 * click. A path must end in a case that none of its answers ruled out ("No, direct internet" →
 * "No antivirus" must not end in the proxy case), and no path may come back to a question.
 */

interface Path {
  topic: string;
  /** "question:option" steps, in order. */
  answers: string[];
  /** Where it ended: a case, or a problem. */
  end: { case: string } | { loop: string } | { dangling: string };
  ruledOut: Set<string>;
}

function walk(topic: Topic): Path[] {
  const paths: Path[] = [];
  const visit = (questionId: string, answers: string[], asked: string[], ruledOut: Set<string>) => {
    const question = topic.followUps.find((q) => q.id === questionId);
    if (!question) {
      paths.push({ topic: topic.id, answers, end: { dangling: questionId }, ruledOut });
      return;
    }
    for (const option of question.options) {
      const now = [...answers, `${question.id}:${option.id}`];
      const out = new Set([...ruledOut, ...option.rulesOut]);
      if (option.case) paths.push({ topic: topic.id, answers: now, end: { case: option.case }, ruledOut: out });
      else if (asked.includes(option.next!)) paths.push({ topic: topic.id, answers: now, end: { loop: option.next! }, ruledOut: out });
      else visit(option.next!, now, [...asked, question.id], out);
    }
  };
  for (const question of topic.followUps) visit(question.id, [], [], new Set());
  return paths;
}

function inconsistentPaths(kb: KnowledgeBase): string[] {
  return kb.topics.flatMap(walk).flatMap((p) => {
    const route = `${p.topic}: ${p.answers.join(' → ')}`;
    if ('loop' in p.end) return [`${route} loops back to ${p.end.loop}`];
    if ('dangling' in p.end) return [`${route} leads to unknown question ${p.end.dangling}`];
    if (p.ruledOut.has(p.end.case)) return [`${route} ends in ${p.end.case}, which an answer on the way ruled out`];
    return [];
  });
}

describe('the follow-up trees', () => {
  const kb = loadKnowledge();
  const paths = kb.topics.flatMap(walk);

  it('are walked in full: every option of every question from every starting question', () => {
    const optionCount = kb.topics.reduce((n, t) => n + t.followUps.reduce((m, q) => m + q.options.length, 0), 0);
    const walkedOptions = new Set(paths.flatMap((p) => p.answers.map((a) => `${p.topic}/${a}`)));
    expect(walkedOptions.size).toBe(optionCount);
    expect(paths.length).toBeGreaterThan(optionCount);
  });

  it('end every path in a case consistent with all answers given, and never loop', () => {
    expect(inconsistentPaths(kb)).toEqual([]);
  });

  it('reach every case of a topic from its first question', () => {
    const unreachable = kb.topics
      .filter((t) => t.followUps.length > 0)
      .flatMap((t) => {
        const first = t.followUps[0]!.id;
        const reached = new Set(walk(t).filter((p) => p.answers[0]?.startsWith(`${first}:`)).flatMap((p) => ('case' in p.end ? [p.end.case] : [])));
        return t.cases.filter((c) => !reached.has(c.id)).map((c) => `${t.id}/${c.id}`);
      });
    expect(unreachable).toEqual([]);
  });

  it('model the answers the issue was about: 34513 fresh file → "No, direct internet" → "No antivirus" rules out all three and ends elsewhere', () => {
    const route = paths.find(
      (p) => p.topic === 'invalid-vault-credentials' && p.answers.join(' → ') === 'file-fresh:fresh → network-path:direct-internet → antivirus-present:antivirus-no',
    )!;
    expect([...route.ruledOut].sort()).toEqual(['antivirus', 'expired-or-invalid-file', 'proxy-or-firewall']);
    expect(route.end).toEqual({ case: 'stale-proxy-setting' });
  });
});

describe('the path walk on a broken tree', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'marsbot-paths-'));
    cpSync(defaultKnowledgeDir(), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  type TopicDoc = { followUps: { id: string; options: Record<string, unknown>[] }[] };
  function edit(id: string, change: (doc: TopicDoc) => void): void {
    const file = join(dir, 'topics', `${id}.yaml`);
    const doc = parse(readFileSync(file, 'utf8')) as TopicDoc;
    change(doc);
    writeFileSync(file, stringify(doc));
  }

  it('finds the old 34513 defect: "No antivirus" after "direct internet" pointing at the proxy case', () => {
    edit('invalid-vault-credentials', (doc) => {
      const noAntivirus = doc.followUps.find((q) => q.id === 'antivirus-present')!.options.find((o) => o['id'] === 'antivirus-no')!;
      noAntivirus['case'] = 'proxy-or-firewall';
      noAntivirus['rulesOut'] = [];
    });
    expect(inconsistentPaths(loadKnowledge(dir))).toEqual([
      'invalid-vault-credentials: file-fresh:fresh → network-path:direct-internet → antivirus-present:antivirus-no ends in proxy-or-firewall, which an answer on the way ruled out',
      'invalid-vault-credentials: network-path:direct-internet → antivirus-present:antivirus-no ends in proxy-or-firewall, which an answer on the way ruled out',
    ]);
  });

  it('is backed by the loader: a loop of questions fails kb check with the file', () => {
    edit('agent-cannot-connect', (doc) => {
      const open = doc.followUps.find((q) => q.id === 'firewall-restricted')!.options.find((o) => o['id'] === 'firewall-no')!;
      delete open['case'];
      open['rulesOut'] = [];
      open['next'] = 'proxy-in-path';
    });
    expect(() => loadKnowledge(dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledge(dir)).toThrow(/agent-cannot-connect\.yaml: followUps: the questions loop: proxy-in-path → firewall-restricted → proxy-in-path/);
  });
});
