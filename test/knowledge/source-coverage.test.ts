import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { SOURCE_VERSIONS } from '../../src/knowledge/schema';

/**
 * Nothing in the Microsoft article is left out: every error id or code in its tables and every
 * troubleshooting section of every version maps to a topic of the knowledge base.
 */
const SOURCES_DIR = join(__dirname, '..', '..', 'knowledge', 'sources');
const kb = loadKnowledge();

// Headings that are navigation, not troubleshooting.
const NOT_TROUBLESHOOTING = new Set(['next-steps']);

interface Heading {
  level: number;
  anchor: string;
  text: string;
  parent?: string;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/\s+/g, '-');
}

function headingsOf(markdown: string): Heading[] {
  const headings: Heading[] = [];
  let parent: string | undefined;
  for (const line of markdown.split('\n')) {
    const match = /^(#{2,3}) (.*)$/.exec(line);
    if (!match) continue;
    const named = /<a name="([^"]+)"><\/a>(.*)/.exec(match[2]!);
    const anchor = named ? named[1]! : slug(match[2]!);
    const level = match[1]!.length;
    if (level === 2) parent = anchor;
    headings.push({ level, anchor, text: named ? named[2]! : match[2]!, parent: level === 3 ? parent : undefined });
  }
  return headings;
}

function errorIdsIn(markdown: string): string[] {
  // The whole article, not only its tables: some codes stand in lists under a heading.
  const text = markdown;
  const ids = new Set<string>();
  for (const m of text.matchAll(/\(ID:\s*(\d+)\)/g)) ids.add(m[1]!);
  for (const m of text.matchAll(/(?:Error|Fout bij het|Fout)\s+(\d{5,6})\b/g)) ids.add(m[1]!);
  for (const m of text.matchAll(/\((\d{3})\)\s+[Pp]roxy/g)) ids.add(m[1]!);
  for (const m of text.matchAll(/\b0x([0-9A-Fa-f]{5,8})\b/g)) ids.add(`0x${m[1]!.toUpperCase()}`);
  for (const m of text.matchAll(/\bSal[A-Z][A-Za-z]+/g)) ids.add(m[0]);
  return [...ids];
}

describe.each(SOURCE_VERSIONS)('the %s article', (version) => {
  const markdown = readFileSync(join(SOURCES_DIR, `${version}.md`), 'utf8');
  const referenced = new Set(
    kb.topics.flatMap((t) => t.source.filter((s) => s.version === version).map((s) => s.anchor)),
  );

  it('has every error id and code it mentions owned by a topic', () => {
    const owned = new Set(kb.topics.flatMap((t) => t.errorIds));
    const ids = errorIdsIn(markdown);
    // Sanity check on the extraction itself: the 2019 article has 6 ids, the newer ones 16.
    expect(ids.length).toBeGreaterThanOrEqual(version === 'nl-NL-2019' ? 6 : 16);
    expect(ids.filter((id) => !owned.has(id))).toEqual([]);
  });

  it('has every section covered by a topic that cites it', () => {
    const headings = headingsOf(markdown);
    const uncovered = headings.filter((h) => {
      if (NOT_TROUBLESHOOTING.has(h.anchor) || referenced.has(h.anchor)) return false;
      if (h.level === 3) return !(h.parent && referenced.has(h.parent));
      // A section whose sub-sections are each a topic of their own ("Common issues") is covered by them.
      const children = headings.filter((c) => c.parent === h.anchor);
      return children.length === 0 || !children.every((c) => referenced.has(c.anchor));
    });
    expect(uncovered.map((h) => `${h.anchor} (${h.text})`)).toEqual([]);
  });

  it('is cited with the section headings exactly as that version writes them', () => {
    const headings = new Map(headingsOf(markdown).map((h) => [h.anchor, h.text.trim()] as const));
    const wrong = kb.topics.flatMap((t) =>
      t.source
        .filter((s) => s.version === version && headings.get(s.anchor) !== s.section)
        .map((s) => `${t.id}: "${s.section}" vs "${headings.get(s.anchor) ?? '(no such anchor)'}"`),
    );
    expect(wrong).toEqual([]);
  });
});

describe('links into the published article', () => {
  // The page as Microsoft publishes it today: the newest English and Dutch revisions.
  const published = new Set(
    ['en-US-current', 'nl-NL-2021'].flatMap((version) => headingsOf(readFileSync(join(SOURCES_DIR, `${version}.md`), 'utf8')).map((h) => h.anchor)),
  );
  const ARTICLE = /backup-azure-mars-troubleshoot#([a-z0-9-]+)$/;

  it('point at sections that exist (a 2019-only section such as "Need help? Contact support" is not linked)', () => {
    const dead = kb.topics.flatMap((t) => [
      ...t.links.filter((l) => ARTICLE.test(l.url) && !published.has(ARTICLE.exec(l.url)![1]!)).map((l) => `${t.id}: ${l.url}`),
      ...t.source.filter((s) => s.published && !published.has(s.anchor)).map((s) => `${t.id}: source ${s.version} #${s.anchor} is marked published`),
    ]);
    const procedureLinks = [...kb.procedures.values()].flatMap((p) =>
      p.links.filter((l) => ARTICLE.test(l.url) && !published.has(ARTICLE.exec(l.url)![1]!)).map((l) => `procedure ${p.id}: ${l.url}`),
    );
    expect([...dead, ...procedureLinks]).toEqual([]);
  });

  it('marks the sections only an old version has as unpublished', () => {
    const stale = kb.topics.flatMap((t) => t.source.filter((s) => !s.published && published.has(s.anchor)).map((s) => `${t.id}: #${s.anchor}`));
    expect(stale).toEqual([]);
    expect(kb.byId.get('contact-support')!.source).toEqual([expect.objectContaining({ anchor: 'need-help-contact-support', published: false })]);
  });
});
