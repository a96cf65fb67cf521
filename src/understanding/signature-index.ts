import type { Topic } from '../knowledge/schema';

/**
 * Identifiers in the knowledge base — CamelCase names and file names such as LastBackupFailedFiles,
 * OnlineBackup.KEK, iexplore.exe — that belong to exactly one topic. A message naming one is about
 * that topic as surely as if it quoted an error id.
 */
const IDENTIFIER = /\b(?:[A-Z][a-z]+(?:[A-Z][a-z0-9]+){2,}|[A-Za-z][\w-]*\.(?:exe|kek|msc|ps1|log|txt))\b/g;

export interface SignatureIndex {
  /** The topics whose signature identifiers the text names. */
  ownersIn(text: string): ReadonlySet<string>;
}

function topicTexts(topic: Topic): string[] {
  const both = (v: { nl: string; en: string }) => [v.nl, v.en];
  const lists = (v: { nl: string[]; en: string[] }) => [...v.nl, ...v.en];
  return [
    ...lists(topic.triggers),
    ...lists(topic.errorTexts),
    ...both(topic.summary),
    ...topic.cases.flatMap((c) => [...lists(c.triggers), ...lists(c.steps), ...both(c.when)]),
  ];
}

export function createSignatureIndex(topics: readonly Topic[]): SignatureIndex {
  const owners = new Map<string, Set<string>>();
  for (const topic of topics) {
    for (const text of topicTexts(topic)) {
      for (const match of text.matchAll(IDENTIFIER)) {
        const key = match[0].toLowerCase();
        // Error ids are handled on their own; Sal* names are ids.
        if (key.startsWith('sal')) continue;
        const set = owners.get(key) ?? new Set<string>();
        set.add(topic.id);
        owners.set(key, set);
      }
    }
  }
  const signatureOf = new Map([...owners].filter(([, set]) => set.size === 1).map(([key, set]) => [key, [...set][0]!] as const));

  const ownersIn = (text: string): ReadonlySet<string> => {
    const found = new Set<string>();
    for (const match of text.matchAll(IDENTIFIER)) {
      const owner = signatureOf.get(match[0].toLowerCase());
      if (owner) found.add(owner);
    }
    return found;
  };
  return { ownersIn };
}
