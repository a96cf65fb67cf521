import type { Analyzer } from './analyzer';
import type { TopicIndex } from './topic-index';

/**
 * Text in quotes: "…", `…`, “…”, ‘…’, or '…' standing on its own (not the apostrophe of "won't",
 * "'s nachts"). People put the part of an error message they remember in quotes.
 */
const QUOTED = /"([^"\n]{3,120})"|`([^`\n]{3,120})`|“([^”\n]{3,120})”|‘([^’\n]{3,120})’|(?:^|[\s(:])'([^'\n]{3,120})'(?=[\s.,;:!?)]|$)/g;

/**
 * The classes whose agent message contains a quoted fragment of the message word for word ("iets met
 * 'niet ingericht'"): a half-remembered error, too short for the error-run bonus. A fragment that
 * several classes' messages share ("access is denied"), or that holds only generic words, tells nothing.
 */
export function createQuotedFragmentReader(
  index: TopicIndex,
  analyzer: Analyzer,
  isGeneric: (word: string) => boolean,
  counts: (classId: string) => boolean,
): (text: string) => ReadonlySet<string> {
  return (text: string): ReadonlySet<string> => {
    const owners = new Set<string>();
    if (!/["'`“‘]/.test(text)) return owners;
    for (const match of text.matchAll(QUOTED)) {
      // A group that took no part in the match is undefined, whatever lib.d.ts says.
      const fragment = (match.slice(1) as (string | undefined)[]).find((group) => group !== undefined) ?? '';
      const sequence = analyzer.sequenceOf(fragment);
      if (sequence.length < 2 || sequence.every(isGeneric)) continue;
      const found = index.errorTextsContaining(sequence).filter(counts);
      if (found.length === 1) owners.add(found[0]!);
    }
    return owners;
  };
}
