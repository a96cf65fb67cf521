import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Analyzer } from './analyzer';
import { stem, tokenize } from './normalize-text';
import { createPhraseLocator, type PhraseSpan } from './phrase-spotter';
import type { TopicNames } from './topic-names';

/**
 * Is the message about another program that merely shows what the agent shows? BitLocker says
 * "Failed to set the encryption key", SQL Server Agent refuses a job "because the job is already
 * running", Windows Server Backup runs out of shadow copy space: the agent's words, someone else's
 * problem. A message is about another program when it names one (a product of
 * knowledge/out-of-scope.yaml, also those the topics talk about, or one of evidence.yaml `programs`)
 * and, outside those names, nothing of Azure Backup (evidence.yaml `domain`):
 *   - next to another backup product (Veeam, Synology: a product of evidence.yaml `activities.subjects`),
 *     backing up and restoring are that product's business, unless the topics themselves talk about it:
 *     "our scheduled backups stopped since Windows Server Backup runs at the same time" is the
 *     schedule topic's own case;
 *   - a name of ours right after a negation ("geen Azure", "not the MARS agent"), and no other name
 *     of ours, says the message is not about us, whatever backing up it mentions.
 * Windows' own parts that the topics talk about ("scheduled backup stopped after Windows updates",
 * "Verkenner") are no other program: the agent's problems are told next to them. A product that a
 * topic talks about (the browser that downloads the vault credentials, Windows Server Backup clashing
 * with the schedule) is no other program when that topic is the one the message points at: "I tried
 * Chrome and Edge, still 403" is the download topic's, while Windows Server Backup out of shadow copy
 * space is Windows Server Backup's.
 */

export interface ProgramReading {
  /** Another program is named and nothing of Azure Backup outside its name. */
  aboutAnotherProgram: boolean;
  /** The out-of-scope subject of the product named, when it is one. */
  subject: string | undefined;
}

interface NamedProgram {
  words: string[];
  /** The out-of-scope subject the name is a product of. */
  subject: string | undefined;
  /** Whether backing up and restoring next to it are the product's own (a backup product the topics never talk about). */
  ownsActivities: boolean;
  /** The topics whose triggers name it. */
  talkedAboutBy: ReadonlySet<string>;
}

/** Words between a negation and the name it negates: "not the MARS agent", "geen Azure". */
const ARTICLES = new Set(['a', 'an', 'the', 'de', 'het', 'een']);
const BREAK = '|';

export function createProgramReader(
  kb: KnowledgeBase,
  analyzer: Analyzer,
  { topicsNaming, usedByTopics }: TopicNames,
): (tokens: readonly string[], topTopic?: string) => ProgramReading {
  const cleanWords = (text: string): string[] => tokenize(analyzer.clean(text));
  const backupSubjects = new Set(kb.evidence.activities.subjects);
  const programs: NamedProgram[] = [
    ...kb.outOfScope.subjects.flatMap((s) =>
      s.products.map((name) => ({
        words: cleanWords(name),
        subject: s.id,
        ownsActivities: backupSubjects.has(s.id) && !usedByTopics(name),
        talkedAboutBy: topicsNaming(name),
      })),
    ),
    ...[...kb.evidence.programs.nl, ...kb.evidence.programs.en]
      .filter((name) => !usedByTopics(name))
      .map((name) => ({ words: cleanWords(name), subject: undefined, ownsActivities: false, talkedAboutBy: new Set<string>() })),
  ].filter((program) => program.words.length > 0);
  const byFirstWord = new Map<string, NamedProgram[]>();
  for (const program of programs) {
    const list = byFirstWord.get(program.words[0]!) ?? [];
    list.push(program);
    byFirstWord.set(program.words[0]!, list);
  }
  const negations = new Set([...kb.intents.dialogue.negations.nl, ...kb.intents.dialogue.negations.en].flatMap(cleanWords));
  // Compared by stem, so "restored" and "backups" name what "restore" and "backup" do.
  const stemmed = (text: string): string => cleanWords(text).map(stem).join(' ');
  const locateDomain = createPhraseLocator([...kb.evidence.domain.nl, ...kb.evidence.domain.en], stemmed);
  const activities = new Set([...kb.evidence.activities.nl, ...kb.evidence.activities.en].map(stemmed));
  const disclaimersBefore = createPhraseLocator([...kb.evidence.disclaimers.before.nl, ...kb.evidence.disclaimers.before.en], stemmed);
  const disclaimersAfter = new Set([...kb.evidence.disclaimers.after.nl, ...kb.evidence.disclaimers.after.en].map((word) => stemmed(word).split(' ')[0]!));
  /** Words a disclaimer may have between it and the domain word: "nothing to do with the backup". */
  const DISCLAIMER_GAP = 2;

  return (tokens, topTopic) => {
    const named: { span: PhraseSpan; program: NamedProgram }[] = [];
    for (let i = 0; i < tokens.length; i++) {
      for (const program of byFirstWord.get(tokens[i]!) ?? []) {
        if (program.words.every((w, k) => tokens[i + k] === w)) named.push({ span: { start: i, end: i + program.words.length }, program });
      }
    }

    const rest = tokens.slice();
    for (const { span } of named) rest.fill(BREAK, span.start, span.end);
    const negated = (at: number): boolean => {
      let k = at - 1;
      if (k >= 0 && ARTICLES.has(rest[k]!)) k--;
      return k >= 0 && negations.has(rest[k]!);
    };
    const restStems = rest.map(stem);
    const disclaimerEnds = disclaimersBefore(restStems).map((span) => span.end);
    const disclaimed = (start: number, end: number, negatedBefore: boolean): boolean =>
      disclaimerEnds.some((at) => at <= start && start - at <= DISCLAIMER_GAP) ||
      (negatedBefore && end < restStems.length && disclaimersAfter.has(restStems[end]!));
    const mentions = locateDomain(restStems).map(({ start, end }) => {
      const isNegated = negated(start);
      const isDisclaimed = disclaimed(start, end, isNegated);
      return {
        activity: activities.has(restStems.slice(start, end).join(' ')) && !isDisclaimed,
        negated: isNegated || isDisclaimed,
        disclaimed: isDisclaimed,
      };
    });
    // "Nothing to do with backup, just our own script": with no other program named, a message that
    // disclaims every word of ours it uses is not about us.
    if (named.length === 0) return { aboutAnotherProgram: mentions.length > 0 && mentions.every((m) => m.disclaimed), subject: undefined };
    // The longest name at the first place a product is named says whose subject it is.
    const product = named.filter((n) => n.program.subject !== undefined).sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end)[0];
    const saysNotUs = mentions.some((m) => !m.activity && m.negated) && !mentions.some((m) => !m.activity && !m.negated);
    // A name the topic at hand talks about is part of that topic's story, not another program,
    // unless the message says outright that it is not about us ("gewoon Windows Server Backup, geen Azure").
    if (!saysNotUs && topTopic !== undefined && named.every((n) => n.program.talkedAboutBy.has(topTopic))) {
      return { aboutAnotherProgram: false, subject: undefined };
    }
    const activitiesAreTheirs = named.some((n) => n.program.ownsActivities);
    const namesUs =
      mentions.some((m) => !m.activity && !m.negated) ||
      (!mentions.some((m) => !m.activity && m.negated) && !activitiesAreTheirs && mentions.some((m) => m.activity));
    return { aboutAnotherProgram: !namesUs, subject: product?.program.subject };
  };
}
