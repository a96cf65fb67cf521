import type { EvidenceVocabulary } from '../knowledge/fact-schema';
import type { Topic } from '../knowledge/schema';
import type { Analyzer } from './analyzer';
import { createPhraseMasker, createPhraseSpotter } from './phrase-spotter';
import { STOPWORDS } from './stopwords';
import { THRESHOLDS } from './thresholds';

/**
 * Does a topic explain the message, or does the message merely share a word with it? Troubleshooting
 * steps need evidence: the topic's error id or the agent's own message (decided in the matcher), or
 * its symptom words. This module judges the words.
 *
 * Each topic's trigger vocabulary (its title, triggers, its causes' triggers and the agent's messages
 * it owns) is split once, at start-up, into
 *   - generic vocabulary: what every topic talks about ("backup", "restore", "passphrase",
 *     "support", "server") and everyday words ("need", "first", "says"): knowledge/evidence.yaml;
 *     stopwords and numbers (error ids are judged on their own); counting and comparing ("two",
 *     "different", "the same": evidence.yaml `comparisons`) is no symptom either, though it ties a
 *     message to a fact's question ("restore to another machine");
 *   - words too many topics use to tell them apart ("error", "fails": more than
 *     THRESHOLDS.symptomTopics topics);
 *   - symptom vocabulary: the rest — what goes wrong and with what ("not running", "rejects",
 *     "iscsi", "scratch", "time zone"); distinctive when at most THRESHOLDS.distinctiveTopics
 *     topics use the word ("psexec", "tijdzone").
 * Symptom evidence for a topic is one of its symptom words in a message about Azure Backup; two of
 * them, or a distinctive one, in a question about a fact ("is … supported", "how long") that reports
 * no failure; a distinctive one in a message that never names backup, the agent, a vault or the like
 * (knowledge/evidence.yaml `domain`). A message that only shares generic words with a topic
 * ("When will MARS support Server 2019?") is evidence for none. A failure word inside a question's
 * own phrase ("is that going to be a problem?") reports nothing.
 *
 * Next to a fact, the reading says which of the topic's distinctive words the fact's questions use
 * as well, and which words of the fact's title the topic never uses: "jobs stuck 'In progress' in the
 * portal" shares "in progress" with the job-already-running topic, and "portal" is the fact's alone.
 *
 * Windows' own messages that a topic quotes for its Windows codes ("Access is denied") every program
 * shows: their words are no symptom vocabulary of the topic (shared-error-texts.ts tells them apart).
 */

export interface MessageReading {
  /** The message describes something going wrong. */
  reportsFailure: boolean;
  /** The message asks for a fact (support, limits, what happens if) rather than reporting a failure. */
  asksForFact: boolean;
  /** The message names Azure Backup, the agent, a vault or the like. */
  namesDomain: boolean;
  /** The topic's symptom words in the message (stems). */
  symptomWords(topicId: string): string[];
  /** Those of them that at most THRESHOLDS.distinctiveTopics topics use. */
  distinctiveWords(topicId: string): string[];
  /** Those distinctive words that the neighbour's questions (a fact, a subject) do not use. */
  distinctiveWordsBeyond(topicId: string, neighbourId: string): string[];
  /**
   * Words of the neighbour's title (the question a fact answers) in the message that the topic never
   * uses anywhere, generic or not: "portal" in "jobs stuck 'In progress' in the portal" is what the
   * fact is about and the job-already-running topic never mentions.
   */
  titleWordsBeyond(neighbourId: string, topicId: string): string[];
  /** Whether the topic's symptom words in the message amount to evidence (see above). */
  hasSymptomEvidence(topicId: string): boolean;
  /**
   * Whether the message shares a word with a neighbour's questions (a fact, an out-of-scope subject)
   * that is neither generic nor a failure word: "Is Server Core supported?" has "core" for the Server
   * Core fact; a neighbour that only "backup" or "fails" ties to is no answer.
   */
  hasNeighbourEvidence(neighbourId: string): boolean;
  /** How many such words the message shares with the neighbour. */
  neighbourWords(neighbourId: string): number;
}

export interface EvidenceReader {
  /**
   * `tokens`: the message's clean tokens (fact questions are spotted on these: "supported" is not
   * "support"); `sequence` and `words`: the message as the analyzer returns it (stems, typos corrected);
   * `failureTokens`: the clean tokens of the part whose failure words report a failure, when that is
   * not the whole message (questions about what would happen left out).
   */
  read(tokens: readonly string[], sequence: readonly string[], words: readonly string[], failureTokens?: readonly string[]): MessageReading;
  /** Whether a stemmed word names something every topic talks about. */
  isGeneric(word: string): boolean;
  /**
   * The clean tokens with every boilerplate sentence ("retry the operation after some time") replaced
   * by a break, so a pasted message is matched on what is its own.
   */
  withoutBoilerplate(tokens: readonly string[]): readonly string[];
}

export interface EvidenceReaderOptions {
  /** Per topic, its error texts that are Windows' own messages ("Access is denied"). */
  windowsMessages: ReadonlyMap<string, readonly string[]>;
  /** The neighbours (facts, out-of-scope subjects) by class id, with the texts a message must share a word with. */
  neighbours: ReadonlyMap<string, readonly string[]>;
  /** The neighbours' titles (a fact's question) by class id. */
  neighbourTitles?: ReadonlyMap<string, readonly string[]>;
}

/** Stands in for a removed stretch of text: no knowledge text contains it, so a run of words stops there. */
const BREAK = '|';
const NUMBER_OR_CODE = /^(\d+|0x[0-9a-f]+|[0-9a-f]{5,8})$/;

function vocabularyTexts(topic: Topic): string[] {
  const lists = (value: { nl: string[]; en: string[] }) => [...value.nl, ...value.en];
  return [topic.title.nl, topic.title.en, ...lists(topic.triggers), ...lists(topic.errorTexts), ...topic.cases.flatMap((c) => lists(c.triggers))];
}

export function createEvidenceReader(
  topics: readonly Topic[],
  vocabulary: EvidenceVocabulary,
  analyzer: Analyzer,
  options: EvidenceReaderOptions,
): EvidenceReader {
  const genericWords = new Set([...vocabulary.generic.nl, ...vocabulary.generic.en].flatMap((entry) => analyzer.analyze(entry).words));
  const isGeneric = (word: string): boolean => genericWords.has(word) || STOPWORDS.has(word) || NUMBER_OR_CODE.test(word);

  // "Two", "different", "the same": no topic's symptom words, though they tie a message to a fact.
  const comparisons = new Set([...vocabulary.comparisons.nl, ...vocabulary.comparisons.en].flatMap((entry) => analyzer.analyze(entry).words));
  const symptomVocabulary = new Map<string, Set<string>>();
  /** Every word a topic uses anywhere a message could echo it (title, summary, triggers, causes, agent messages). */
  const wholeVocabulary = new Map<string, Set<string>>();
  const topicsUsing = new Map<string, number>();
  for (const topic of topics) {
    const words = new Set<string>();
    const whole = new Set<string>();
    const wholeTexts = [...vocabularyTexts(topic), topic.summary.nl, topic.summary.en, ...topic.cases.flatMap((c) => [c.title.nl, c.title.en, c.when.nl, c.when.en])];
    for (const text of wholeTexts) for (const word of analyzer.analyze(text).words) whole.add(word);
    wholeVocabulary.set(topic.id, whole);
    for (const text of vocabularyTexts(topic)) for (const word of analyzer.analyze(text).words) if (!isGeneric(word) && !comparisons.has(word)) words.add(word);
    for (const word of words) topicsUsing.set(word, (topicsUsing.get(word) ?? 0) + 1);
    for (const text of options.windowsMessages.get(topic.id) ?? []) for (const word of analyzer.analyze(text).words) words.delete(word);
    symptomVocabulary.set(topic.id, words);
  }
  for (const words of symptomVocabulary.values()) {
    for (const word of [...words]) if ((topicsUsing.get(word) ?? 0) > THRESHOLDS.symptomTopics) words.delete(word);
  }
  // Version numbers ("Server 2019", "Windows 7") are what support questions are about: they count here.
  const isVersion = (word: string): boolean => /^\d{1,4}$/.test(word);
  const failureWords = new Set([...vocabulary.failure.nl, ...vocabulary.failure.en].flatMap((entry) => analyzer.analyze(entry).words));
  const neighbourVocabulary = new Map<string, Set<string>>();
  for (const [id, texts] of options.neighbours) {
    const words = texts.flatMap((text) => analyzer.analyze(text).words);
    neighbourVocabulary.set(id, new Set(words.filter((word) => (!isGeneric(word) || isVersion(word)) && !failureWords.has(word))));
  }
  const titleVocabulary = new Map<string, Set<string>>();
  for (const [id, titles] of options.neighbourTitles ?? []) {
    titleVocabulary.set(id, new Set(titles.flatMap((title) => analyzer.analyze(title).words).filter((word) => !STOPWORDS.has(word) && !NUMBER_OR_CODE.test(word))));
  }
  const isDistinctive = (word: string): boolean => (topicsUsing.get(word) ?? 0) <= THRESHOLDS.distinctiveTopics;

  // Spotted on the analyzed sequence (stems, typos corrected), so "not runing" is "not running".
  const asSequence = (text: string): string => analyzer.analyze(text).sequence.join(' ');
  const failure = createPhraseSpotter([...vocabulary.failure.nl, ...vocabulary.failure.en], asSequence);
  const factQuestion = createPhraseSpotter([...vocabulary.factQuestions.nl, ...vocabulary.factQuestions.en], analyzer.clean);
  // A failure word inside a question's own phrase ("is that going to be a problem?") reports nothing.
  // Masked in the clean tokens, before typo correction can turn the phrase into something else
  // ("going" into "ging"); only the few phrases that hold a failure word need it.
  // So are the phrases that hold a failure word but report nothing ("no problem", "hangt aan").
  const questionsWithFailureWords = [...vocabulary.factQuestions.nl, ...vocabulary.factQuestions.en].filter((phrase) =>
    failure.mentionedInTokens(analyzer.analyze(phrase).sequence),
  );
  const withoutQuestions = createPhraseMasker(
    [...questionsWithFailureWords, ...vocabulary.notFailures.nl, ...vocabulary.notFailures.en],
    analyzer.clean,
    BREAK,
  );
  const domain = createPhraseSpotter([...vocabulary.domain.nl, ...vocabulary.domain.en], asSequence);

  const boilerplateByFirst = new Map<string, string[][]>();
  for (const sentence of [...vocabulary.boilerplate.nl, ...vocabulary.boilerplate.en]) {
    const words = analyzer.clean(sentence).match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [];
    if (words.length === 0) continue;
    const list = boilerplateByFirst.get(words[0]!) ?? [];
    list.push(words);
    boilerplateByFirst.set(words[0]!, list);
  }
  // Longest first, so the longer of two overlapping sentences is removed whole.
  for (const list of boilerplateByFirst.values()) list.sort((a, b) => b.length - a.length);
  const withoutBoilerplate = (tokens: readonly string[]): readonly string[] => {
    let out: string[] | undefined;
    for (let i = 0; i < (out ?? tokens).length; i++) {
      const current = out ?? tokens;
      const match = boilerplateByFirst.get(current[i]!)?.find((words) => words.every((w, k) => current[i + k] === w));
      if (!match) continue;
      out ??= tokens.slice();
      out.splice(i, match.length, BREAK);
    }
    return out ?? tokens;
  };

  const read = (tokens: readonly string[], sequence: readonly string[], words: readonly string[], failureTokens?: readonly string[]): MessageReading => {
    const masked = withoutQuestions(failureTokens ?? tokens);
    const reportsFailure = failure.mentionedInTokens(
      masked === tokens ? sequence : analyzer.analyzeTokens(masked, { correctTypos: true }).sequence,
    );
    // A question about what would happen ("Will open files be skipped?") asks for a fact as well.
    const asksForFact = factQuestion.mentionedInTokens(tokens) || failureTokens !== undefined;
    const own = [...new Set(words)].filter((word) => !isGeneric(word));
    const symptomWords = (topicId: string): string[] => {
      const vocabularyOfTopic = symptomVocabulary.get(topicId);
      return vocabularyOfTopic ? own.filter((word) => vocabularyOfTopic.has(word)) : [];
    };
    const namesDomain = domain.mentionedInTokens(sequence);
    const hasSymptomEvidence = (topicId: string): boolean => {
      const found = symptomWords(topicId);
      if (!namesDomain) return found.some(isDistinctive);
      if (asksForFact && !reportsFailure) return found.length >= THRESHOLDS.symptomWordsInFactQuestion || found.some(isDistinctive);
      return found.length > 0;
    };
    const versions = [...new Set(words)].filter(isVersion);
    const neighbourWords = (neighbourId: string): number => {
      const vocabularyOfNeighbour = neighbourVocabulary.get(neighbourId);
      if (vocabularyOfNeighbour === undefined) return 0;
      // A letter left over from "é" or "e-mail" ties nothing together.
      return own.filter((word) => word.length >= 2 && vocabularyOfNeighbour.has(word)).length + versions.filter((word) => vocabularyOfNeighbour.has(word)).length;
    };
    const hasNeighbourEvidence = (neighbourId: string): boolean => neighbourWords(neighbourId) > 0;
    const distinctiveWords = (topicId: string): string[] => symptomWords(topicId).filter(isDistinctive);
    const distinctiveWordsBeyond = (topicId: string, neighbourId: string): string[] => {
      const vocabularyOfNeighbour = neighbourVocabulary.get(neighbourId);
      return distinctiveWords(topicId).filter((word) => !vocabularyOfNeighbour?.has(word));
    };
    const titleWordsBeyond = (neighbourId: string, topicId: string): string[] => {
      const title = titleVocabulary.get(neighbourId);
      const topicWords = wholeVocabulary.get(topicId);
      if (title === undefined || topicWords === undefined) return [];
      return [...new Set(words)].filter((word) => title.has(word) && !topicWords.has(word));
    };
    return {
      titleWordsBeyond,
      reportsFailure,
      asksForFact,
      namesDomain,
      symptomWords,
      distinctiveWords,
      distinctiveWordsBeyond,
      hasSymptomEvidence,
      hasNeighbourEvidence,
      neighbourWords,
    };
  };

  return { read, isGeneric, withoutBoilerplate };
}
