import type { Lang } from '../shared/lang';
import type { Glossary } from './schema';

/**
 * The rule for naming what the admin clicks: a label, or a path of labels joined by " > ", is one
 * **bold** span with the English label (the MARS console and the Azure portal are often English
 * on a Dutch Windows); a Dutch step adds the Dutch interface's label in brackets right after it
 * where that differs: "**Schedule Backup** (Back-up plannen)". Every label comes from
 * knowledge/glossary.yaml, so one thing is always called the same.
 */

const BOLD_SPAN = /\*\*([^*]+)\*\*/g;
const PATH_SEPARATOR = ' > ';

export interface GlossaryIndex {
  /** English label → the Dutch interface's label (the English one where Dutch keeps it). */
  dutchOf: ReadonlyMap<string, string>;
  /** Dutch-only labels, to point a writer at the English one. */
  englishOf: ReadonlyMap<string, string>;
}

export function indexGlossary(glossary: Glossary): GlossaryIndex {
  const dutchOf = new Map<string, string>();
  const englishOf = new Map<string, string>();
  for (const label of glossary.labels) {
    dutchOf.set(label.en, label.nl ?? label.en);
    if (label.nl && label.nl !== label.en) englishOf.set(label.nl, label.en);
  }
  return { dutchOf, englishOf };
}

/** What is wrong with the UI labels of one step, in words a knowledge writer can act on. */
export function uiLabelProblems(step: string, lang: Lang, glossary: GlossaryIndex): string[] {
  const problems: string[] = [];
  for (const match of step.matchAll(BOLD_SPAN)) {
    const inner = match[1]!;
    const after = step.slice(match.index + match[0].length);
    const parts = inner.split(PATH_SEPARATOR).map((part) => part.trim());
    const unknown = parts.filter((part) => !glossary.dutchOf.has(part));
    for (const part of unknown) {
      const english = glossary.englishOf.get(part);
      problems.push(english ? `"${part}" is a Dutch label: write **${english}** (${part})` : `"${part}" is not in knowledge/glossary.yaml`);
    }
    if (/^ ?> ?\*\*/.test(after)) problems.push(`"${inner}": write a path of labels as one bold span ("**A > B**")`);
    if (unknown.length > 0) continue;
    const dutch = parts.map((part) => glossary.dutchOf.get(part)!).join(PATH_SEPARATOR);
    const bracketed = after.startsWith(` (${dutch})`);
    if (lang === 'nl' && dutch !== inner && !bracketed) problems.push(`"**${inner}**" needs its Dutch label after it: "**${inner}** (${dutch})"`);
    if (lang === 'en' && dutch !== inner && bracketed) problems.push(`"**${inner}**": an English step names the English label only`);
  }
  return problems;
}
