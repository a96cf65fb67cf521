import type { KnowledgeBase } from '../knowledge/load-knowledge';
import { DEFAULT_LANG_UNSET, type Lang } from '../shared/lang';
import { createAnalyzer } from './analyzer';
import { readCase, createCaseIndex } from './case-detector';
import { classDocuments, FACT_PREFIX, isTopicClass, OUT_OF_SCOPE_PREFIX } from './class-documents';
import { commandToolIn, withoutCommands } from './command-tools';
import { detectLanguage } from './detect-language';
import { createErrorIdCatalog } from './error-ids';
import { createErrorLineFinder } from './error-lines';
import { createEvidenceReader, type MessageReading } from './evidence';
import { createIntentDetector } from './intents';
import { excerptForScoring } from './long-paste';
import { createProgramReader } from './other-programs';
import { createTopicNames } from './topic-names';
import { createPhraseFinder, createPhraseLocator, createPhraseSpotter, type PhraseSpan } from './phrase-spotter';
import { createQuotedFragmentReader } from './quoted-fragments';
import { createSharedErrorTexts, WINDOWS_CODE } from './shared-error-texts';
import { createSignatureIndex } from './signature-index';
import { createFooterCutter } from './tracker-footer';
import { sanitizeInput, stripMarkup, stripTimestamps, tokenize } from './normalize-text';
import { createTopicIndex, type ClassScore } from './topic-index';
import { THRESHOLDS, combineScore, confidenceFrom } from './thresholds';
import type { Candidate, EvidenceKind, Matcher, UnderstandOptions, Understanding } from './understanding';

/** The word every name of the agent is folded onto by knowledge/synonyms.yaml ("MARS agent", "Azure Backup agent", "CBEngine" …). */
const MARS_ANCHOR = 'mars';

// Letters of any script, digits, white space and everyday punctuation: what people and logs write.
const PLAIN_CHAR = /^[\p{L}\p{N}\p{Zs}\s.,:;'"()[\]{}<>\-/\\_=+#@!?%&*|~`$^]$/u;
/** PLAIN_CHAR for each ASCII code, worked out once from the pattern itself. */
const PLAIN_ASCII: readonly boolean[] = Array.from({ length: 128 }, (_, code) => PLAIN_CHAR.test(String.fromCharCode(code)));

function looksLikeBinary(text: string): boolean {
  if (text.length < 40) return false;
  // Counts characters (code points) that match PLAIN_CHAR, without collecting them.
  let plain = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      if (PLAIN_ASCII[code]) plain++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    if (PLAIN_CHAR.test(text.slice(i, pair ? i + 2 : i + 1))) plain++;
    if (pair) i++;
  }
  return plain / text.length < 0.85;
}

/** The checks to do before any specific error: the answer to a failure nothing pins down. */
const FIRST_CHECKS_TOPIC = 'basic-troubleshooting';
/** Where a sentence ends: a full stop, question or exclamation mark before white space, or a line break. */
const SENTENCE_END = /(?<=[.!?])\s+|\n+/;

const rounded = (score: number): number => Math.round(Math.min(1, score) * 1000) / 1000;

export interface MatcherSettings {
  /** DEFAULT_LANG: the reply language when neither the text nor the caller's preference gives one. */
  defaultLang?: Lang;
}

export function createMatcher(kb: KnowledgeBase, settings: MatcherSettings = {}): Matcher {
  const defaultLang = settings.defaultLang ?? DEFAULT_LANG_UNSET;
  const docs = classDocuments(kb);
  const vocabularyTexts = docs.flatMap((doc) => doc.fields.flatMap((field) => field.texts));
  const analyzer = createAnalyzer(kb.synonyms, vocabularyTexts);
  const index = createTopicIndex(docs, analyzer);
  const caseIndex = createCaseIndex(kb.topics, analyzer);
  const intents = createIntentDetector(kb.intents, analyzer.clean);
  const stepsExhausted = createPhraseSpotter([...kb.intents.stepsExhausted.nl, ...kb.intents.stepsExhausted.en], analyzer.clean);
  const namesArticle = createPhraseSpotter([...kb.intents.stepsExhausted.article.nl, ...kb.intents.stepsExhausted.article.en], analyzer.clean);
  const requests = createPhraseSpotter([...kb.evidence.requests.nl, ...kb.evidence.requests.en], analyzer.clean);
  const wishes = createPhraseLocator([...kb.evidence.requests.wishes.nl, ...kb.evidence.requests.wishes.en], analyzer.clean);
  const wishedOf = createPhraseLocator([...kb.evidence.requests.wishedOf.nl, ...kb.evidence.requests.wishedOf.en], analyzer.clean);
  const corrections = createPhraseLocator([...kb.evidence.requests.corrections.nl, ...kb.evidence.requests.corrections.en], analyzer.clean);
  const correctionOf = createPhraseLocator([...kb.evidence.requests.correctionOf.nl, ...kb.evidence.requests.correctionOf.en], analyzer.clean);
  /** Words between two spans, whichever comes first; overlapping spans are 0 apart. */
  const wordsBetween = (a: PhraseSpan, b: PhraseSpan): number => Math.max(0, a.start >= b.end ? a.start - b.end : b.start - a.end);
  /**
   * A feature request or feedback on the documentation: one of its phrases, a wish about the
   * product or its documentation a few words on ("it would be great if the agent could…"; not "it
   * would be great if someone could help"), or a correction asked for a few words from the part of
   * the documentation it is about ("please fix the article"; not "can you fix this? I followed the doc").
   */
  const isRequest = (tokens: readonly string[]): boolean => {
    if (requests.mentionedInTokens(tokens)) return true;
    const found = wishes(tokens);
    const targets = found.length > 0 ? wishedOf(tokens) : [];
    if (found.some((wish) => targets.some((target) => target.start >= wish.end && target.start - wish.end <= THRESHOLDS.wordsFromWishToProduct))) {
      return true;
    }
    const asked = corrections(tokens);
    if (asked.length === 0) return false;
    const docs = correctionOf(tokens);
    return asked.some((correction) => docs.some((doc) => wordsBetween(correction, doc) <= THRESHOLDS.wordsFromCorrectionToDoc));
  };
  const cutFooter = createFooterCutter(kb.evidence.footers);
  // A product the topics themselves talk about (Windows Server Backup clashing with the schedule,
  // a browser for downloading vault credentials) does not make a message someone else's problem.
  const topicNames = createTopicNames(kb, analyzer);
  const otherProducts = createPhraseFinder(
    kb.outOfScope.subjects.flatMap((s) => s.products.filter((name) => !topicNames.usedByTopics(name)).map((name) => ({ phrase: name, value: s.id }))),
    analyzer.clean,
  );
  // Every product name, also those the topics talk about, and the programs that show Windows' codes
  // too: next to a code every program shows, they say whose code it is ("Windows Update fails with
  // 0x80070005").
  const anyProgram = createPhraseSpotter(
    [...kb.outOfScope.subjects.flatMap((s) => s.products), ...kb.evidence.programs.nl, ...kb.evidence.programs.en],
    analyzer.clean,
  );
  const subjectIds = new Set(kb.outOfScope.subjects.map((s) => s.id));
  const readPrograms = createProgramReader(kb, analyzer, topicNames);

  // Names only one topic ever uses — LastBackupFailedFiles, iexplore.exe — tell as much as an error id.
  const signatureOwner = createSignatureIndex(kb.topics);

  const ownerOfId = new Map<string, string>();
  for (const topic of kb.topics) for (const id of topic.errorIds) ownerOfId.set(id, topic.id);
  const errorIds = createErrorIdCatalog(ownerOfId.keys());
  // Windows' own messages for the Windows codes a topic owns ("Access is denied") and HTTP reasons:
  // other programs show those too, so a pasted one is shared evidence, not the agent's own words.
  const sharedErrorTexts = createSharedErrorTexts(kb.topics, errorIds, analyzer);
  const evidenceReader = createEvidenceReader(kb.topics, kb.evidence, analyzer, {
    windowsMessages: sharedErrorTexts.windowsMessages,
    neighbours: new Map(
      docs.filter((doc) => !isTopicClass(doc.id)).map((doc) => [doc.id, [...doc.phrases]] as const),
    ),
    neighbourTitles: new Map(kb.facts.map((fact) => [FACT_PREFIX + fact.id, [fact.title.nl, fact.title.en]] as const)),
  });
  /** How many of these ids each topic owns. */
  const noCounts: ReadonlyMap<string, number> = new Map();
  const countByOwner = (ids: readonly string[]): ReadonlyMap<string, number> => {
    if (ids.length === 0) return noCounts;
    const counts = new Map<string, number>();
    for (const id of ids) {
      const owner = ownerOfId.get(id);
      if (owner !== undefined) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    return counts;
  };

  const carriesError = createErrorLineFinder(kb.topics, errorIds, index, analyzer);
  const topicsQuoted = createQuotedFragmentReader(index, analyzer, evidenceReader.isGeneric, isTopicClass);

  // A line or sentence that carries an agent message or error id is pasted, not the user's own words.
  const isPastedLine = (line: string): boolean => {
    if (errorIds.containsOwnId(line)) return true;
    if (/\b(exception|stack ?trace|categoryinfo|at line|char:\d)/i.test(line)) return true;
    if (line.length > 300) return false;
    // Most of an agent message in a row, or a stretch of text that is nearly all agent message:
    // a paste, whatever language it is in.
    const sequence = analyzer.sequenceOf(line);
    const run = index.errorRuns(sequence);
    return run.share >= 0.75 || (run.length >= 3 && run.length >= 0.7 * sequence.length);
  };

  const hypotheticalOpeners = new Set([...kb.evidence.hypotheticals.nl, ...kb.evidence.hypotheticals.en].map((word) => analyzer.clean(word)));
  const conditionOpeners = new Set([...kb.evidence.conditions.nl, ...kb.evidence.conditions.en].map((word) => analyzer.clean(word)));
  const firstWord = (text: string): string | undefined => {
    const first = /^[\p{L}']+/u.exec(text.trim())?.[0];
    return first === undefined ? undefined : analyzer.clean(first);
  };
  /**
   * A question about what would happen: "Will those files be skipped?" reports no failure, also after
   * a condition ("If a file is open during the backup, will it be skipped?").
   */
  const isHypotheticalQuestion = (sentence: string): boolean => {
    const trimmed = sentence.trim();
    if (!trimmed.endsWith('?')) return false;
    const opener = firstWord(trimmed);
    if (opener !== undefined && hypotheticalOpeners.has(opener)) return true;
    const comma = trimmed.indexOf(',');
    if (opener === undefined || !conditionOpeners.has(opener) || comma < 0) return false;
    const afterCondition = firstWord(trimmed.slice(comma + 1));
    return afterCondition !== undefined && hypotheticalOpeners.has(afterCondition);
  };
  /** The clean tokens of the message without its questions about what would happen; undefined when it has none. */
  const withoutHypotheticalQuestions = (stripped: string): readonly string[] | undefined => {
    if (!stripped.includes('?')) return undefined;
    const sentences = stripped.split(SENTENCE_END);
    if (!sentences.some(isHypotheticalQuestion)) return undefined;
    return tokenize(analyzer.cleanStripped(sentences.filter((sentence) => !isHypotheticalQuestion(sentence)).join('\n')));
  };

  /** The open topic's causes as this message reads them, set while a message is understood. */
  let openTopicReading: Understanding['openTopicCase'];

  const understand = (rawText: string, options: UnderstandOptions = {}): Understanding => {
    openTopicReading = undefined;
    const understood = understandMessage(rawText, options);
    // understandMessage sets it through a closure, which the type checker's narrowing does not follow.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    return openTopicReading ? { ...understood, openTopicCase: openTopicReading } : understood;
  };

  const understandMessage = (rawText: string, options: UnderstandOptions): Understanding => {
    const { text: sanitized, truncated } = sanitizeInput(rawText);
    const whole = cutFooter(sanitized);
    // Error ids are searched in the whole message; words are scored in an excerpt of a long paste.
    const strippedWhole = stripTimestamps(stripMarkup(whole));
    const foundInWhole = errorIds.extract(strippedWhole);
    const { text, partial } = excerptForScoring(whole, carriesError);
    const stripped = partial ? stripTimestamps(stripMarkup(text)) : strippedWhole;
    // Our own ids count wherever they stand; HTTP codes and other products' codes only where the
    // excerpt has them, with their context (a long log is full of numbers like 403).
    const foundInExcerpt = partial ? errorIds.extract(stripped) : foundInWhole;
    const found = { strong: foundInWhole.strong, weak: foundInExcerpt.weak, foreign: foundInExcerpt.foreign };
    // Markup and timestamps are stripped, and the text cleaned and cut into words, once per message.
    const cleaned = analyzer.cleanStripped(stripped);
    const tokens = tokenize(cleaned);
    // Words Microsoft's messages share ("retry the operation after some time") are matched as nothing.
    const matchTokens = evidenceReader.withoutBoilerplate(tokens);
    const allIds = [...found.strong, ...found.weak];

    const detected = detectLanguage(text, isPastedLine);
    const textLang: Lang | undefined = detected.lang === 'nl' || detected.lang === 'en' ? detected.lang : undefined;
    const lang: Lang = options.forceLang ?? textLang ?? options.preferredLang ?? defaultLang;
    const base: Pick<Understanding, 'lang' | 'langFromText' | 'errorIds' | 'normalizedText' | 'truncated' | 'neighbours'> = {
      lang,
      langFromText: options.forceLang === undefined && textLang !== undefined,
      errorIds: allIds,
      normalizedText: cleaned,
      truncated,
    };
    const fallback = (candidates: Candidate[] = [], subject?: string, evidence?: EvidenceKind): Understanding => ({
      ...base,
      kind: 'fallback',
      topic: null,
      case: null,
      candidates,
      confidence: 0,
      ...(subject ? { subject } : {}),
      ...(evidence ? { evidence } : {}),
    });

    if (cleaned.trim() === '') return fallback();
    // Pasted binary or a file dump: mostly symbols. Only an id of ours makes it a question.
    if (found.strong.length === 0 && looksLikeBinary(text)) return fallback();

    if (allIds.length === 0) {
      const intent = intents.detectTokens(tokens);
      if (intent === 'escalate' && !intents.namesVendor(stripped)) {
        return { ...base, kind: 'escalate', topic: null, case: null, candidates: [], confidence: 1 };
      }
      if (intent && intent !== 'escalate') {
        return { ...base, kind: 'smalltalk', smalltalk: intent, topic: null, case: null, candidates: [], confidence: 1 };
      }
      // A language we do not speak, without an error id of ours: never guess.
      if (detected.lang === 'other') return fallback();
    }

    const analyzed = analyzer.analyzeTokens(matchTokens, { correctTypos: true });
    const reading = evidenceReader.read(tokens, analyzed.sequence, analyzed.words, withoutHypotheticalQuestions(stripped));
    /** How the evidence reader reads a part of the message (markup and timestamps already stripped). */
    const readPart = (part: string): MessageReading => {
      const partTokens = tokenize(analyzer.cleanStripped(part));
      const partWords = analyzer.analyzeTokens(evidenceReader.withoutBoilerplate(partTokens), { correctTypos: true });
      return evidenceReader.read(partTokens, partWords.sequence, partWords.words);
    };
    const openTopic = options.openTopic ? kb.byId.get(options.openTopic) : undefined;
    if (openTopic) openTopicReading = readCase(caseIndex, openTopic, cleaned, analyzed.words, analyzer);
    const scores = index.score(analyzed.words, analyzed.sequence);
    // "Did every step, still failing": the article's own answer is to contact support. An error id of
    // ours says which problem it is and outweighs a bare "tried everything" (its topic has more to
    // offer), but not "every step of the article for 34506": that is the article's own case.
    const ownsAnId = allIds.some((id) => ownerOfId.has(id));
    const exhausted = stepsExhausted.mentionedInTokens(tokens) && (!ownsAnId || namesArticle.mentionedInTokens(tokens));
    const exhaustedTopic = exhausted ? kb.intents.stepsExhausted.topic : undefined;
    const signatures = signatureOwner.ownersIn(text);
    const quotedOwners = topicsQuoted(text);
    const onlyIds = analyzed.words.every((w) => /^(error|fout|id|code|foutcode|0x[0-9a-f]+|[0-9a-f]{5,8}|\d+)$/.test(w));
    const strongOwned = countByOwner(found.strong);
    const weakOwned = countByOwner(found.weak);
    // Another product's error code and none of ours: most likely not a MARS problem.
    const foreignOnly = found.foreign.length > 0 && found.strong.length === 0;
    // score() hands out fresh objects: fill in the combined score in place.
    for (const s of scores) {
      const combined =
        combineScore(s, strongOwned.get(s.id) ?? 0, weakOwned.get(s.id) ?? 0, onlyIds) +
        (s.id === exhaustedTopic ? THRESHOLDS.stepsExhaustedBonus : 0) +
        (signatures.has(s.id) ? THRESHOLDS.signatureBonus : 0) +
        (quotedOwners.has(s.id) ? THRESHOLDS.quotedErrorBonus : 0);
      s.score = foreignOnly && isTopicClass(s.id) ? combined * THRESHOLDS.foreignCodePenalty : combined;
    }
    const ranked = scores.sort((a, b) => b.score - a.score);

    const topics = ranked.filter((s) => isTopicClass(s.id));
    const top = topics[0];
    const bestOutOfScope = ranked.find((s) => s.id.startsWith(OUT_OF_SCOPE_PREFIX) && reading.hasNeighbourEvidence(s.id));
    // The best fact and subject whose questions the message shares more than a generic word with.
    const bestFact = ranked.find((s) => s.id.startsWith(FACT_PREFIX) && reading.hasNeighbourEvidence(s.id));
    base.neighbours = {
      ...(bestFact ? { fact: { id: bestFact.id.slice(FACT_PREFIX.length), score: rounded(bestFact.score) } } : {}),
      ...(bestOutOfScope ? { subject: { id: bestOutOfScope.id.slice(OUT_OF_SCOPE_PREFIX.length), score: rounded(bestOutOfScope.score) } } : {}),
    };
    const candidates: Candidate[] = topics
      .slice(0, 3)
      .filter((s) => s.score > 0)
      .map((s) => ({ topic: s.id, score: rounded(s.score) }));

    // An id of the agent itself (not one of Windows' codes) decides the topic.
    const agentIds = found.strong.filter((id) => ownerOfId.has(id) && !WINDOWS_CODE.test(id));
    const hasAgentId = agentIds.length > 0;
    const pointsElsewhere = found.foreign.length > 0;
    let pastedLine: boolean | undefined;
    const hasPastedLine = (): boolean =>
      (pastedLine ??= text
        .split('\n')
        .slice(0, 200)
        .some((line) => {
          if (line.length > 300) return false;
          const sequence = analyzer.sequenceOf(line);
          const run = index.errorRuns(sequence);
          return run.length >= 3 && run.length >= 0.7 * sequence.length;
        }));
    const mostlyPasted = (): boolean => {
      const pasted = index.errorRuns(analyzed.sequence);
      return pasted.length >= 3 && pasted.length >= 0.6 * analyzed.sequence.length;
    };
    let sharedRuns: ReadonlyMap<string, number> | undefined;
    /** Whether the topic's longest run of error text in the message is one that other programs show too. */
    const runIsShared = (s: ClassScore): boolean => ((sharedRuns ??= sharedErrorTexts.runsIn(analyzed.sequence)).get(s.id) ?? 0) >= s.errorRun;
    /** Whether it is one of Windows' own messages ("Access is denied"). */
    const runIsWindows = (s: ClassScore): boolean => (sharedErrorTexts.windowsRunsIn(analyzed.sequence).get(s.id) ?? 0) >= s.errorRun;
    const evidenceOf = (s: ClassScore): EvidenceKind => {
      if (agentIds.some((id) => ownerOfId.get(id) === s.id)) return 'id';
      const ownErrorText = s.errorRun >= 0.5 && !runIsShared(s);
      if (ownErrorText && s.errorRun >= THRESHOLDS.errorTextShare) return 'error-text';
      // A shorter run counts when it stands on a line of its own: "> Job could not be started…".
      if (ownErrorText && hasPastedLine()) return 'error-text';
      if (signatures.has(s.id)) return 'signature';
      // "Did every step, still failing": the message itself says the steps are exhausted.
      if (reading.hasSymptomEvidence(s.id) || s.id === exhaustedTopic) return 'symptom';
      // A Windows code the topic owns, or a pasted Windows message that is most of the message: other
      // programs show those too, so they count unless the message points at another product's code,
      // or names another program and nothing of Azure Backup ("Windows Update fails with 0x80070005").
      if (pointsElsewhere) return 'none';
      if ((strongOwned.get(s.id) ?? 0) > 0 && (onlyIds || reading.namesDomain || !anyProgram.mentionedInTokens(tokens))) return 'shared-code';
      if (s.errorRun >= 0.5 && runIsWindows(s) && mostlyPasted()) return 'shared-code';
      // An HTTP status the agent shows too (403, 407): only on its own or in a message about Azure Backup.
      if ((weakOwned.get(s.id) ?? 0) > 0 && (onlyIds || reading.namesDomain)) return 'shared-code';
      return 'none';
    };
    const evidence: EvidenceKind = top && top.score > 0 ? evidenceOf(top) : 'none';
    // Another program named and nothing of Azure Backup: the agent's words in it are that program's
    // ("Failed to set the encryption key" from BitLocker); only an id of the agent decides.
    const programs = readPrograms(tokens, top?.id);
    const aboutAnotherProgram = programs.aboutAnotherProgram && !hasAgentId;
    const decisive = evidence === 'id' || (!aboutAnotherProgram && (evidence === 'error-text' || evidence === 'signature'));

    const subjectOf = (s: ClassScore | undefined): string | undefined => (s ? s.id.slice(OUT_OF_SCOPE_PREFIX.length) : undefined);
    // A feature request or feedback on the documentation asks for a change: no steps, whatever it quotes;
    // a name the documentation uses (LastBackupFailedFiles) is what the feedback is about, not a paste.
    const agentWordsPasted = evidence === 'id' || (evidence === 'error-text' && !aboutAnotherProgram);
    if (!agentWordsPasted && !hasAgentId && isRequest(tokens)) return fallback(candidates, kb.evidence.requests.subject, evidence);
    // Another product or one of the scripting tools around Azure Backup, and nothing that is the
    // agent's own: someone else's problem, however much it sounds like ours.
    const namesTheAgent = analyzed.words.includes(MARS_ANCHOR);
    // A message that names the agent next to another product is the agent's problem only when it
    // reports a failure with a symptom that hardly any other topic has ("since Veeam was installed the
    // MARS agent rejects the vault credentials"); a question about how the two relate ("does
    // onboarding to Azure Arc install the agent?") is not, nor a shared word next to a failure.
    const product = otherProducts.findInTokens(tokens);
    // Only the sentences that name the agent or no other product say what fails in the agent: in "ASR
    // replication stuck … process server health is green. Which MARS agent do the docs mean?" the
    // failure and its words are the other product's.
    const agentFailsBeside = (): boolean => {
      if (!namesTheAgent || evidence !== 'symptom' || top === undefined || !reading.reportsFailure) return false;
      const ownSentences = stripped.split(SENTENCE_END).filter((sentence) => {
        const sentenceTokens = tokenize(analyzer.cleanStripped(sentence));
        return otherProducts.findInTokens(sentenceTokens) === undefined || analyzer.analyzeTokens(sentenceTokens).words.includes(MARS_ANCHOR);
      });
      const own = readPart(ownSentences.join('\n'));
      return own.reportsFailure && own.distinctiveWords(top.id).length > 0;
    };
    if (product && !decisive && !agentFailsBeside()) {
      // A question about the agent itself that names another product as the alternative ("is the MARS
      // agent supported on Server Core, or do we need MABS?") is answered by the fact that fits it
      // better than that product's own subject does.
      const productScore = ranked.find((s) => s.id === OUT_OF_SCOPE_PREFIX + product)?.score ?? 0;
      const asksAboutAgent = namesTheAgent && (reading.asksForFact || text.includes('?')) && !reading.reportsFailure;
      if (asksAboutAgent && bestFact && bestFact.score >= THRESHOLDS.factMinimum && bestFact.score > productScore) return info(bestFact);
      return fallback(candidates, product, evidence);
    }
    // A command of Az PowerShell or the Azure CLI asks how to use that tool; so does one of the agent's
    // own cmdlets (Start-OBBackup), unless the message reports a failure and the rest of it, outside
    // the commands, shows symptoms of ours: a cmdlet's own name and parameters (Start…,
    // -WorkHourBandwidth) are no symptom, and "how do I run it from a script?" reports nothing.
    const tool = commandToolIn(text);
    const toolSubject = tool && subjectIds.has(tool) ? tool : undefined;
    const symptomsBesideCmdlet = (): boolean => {
      if (evidence !== 'symptom' || !top || !reading.reportsFailure) return false;
      return readPart(withoutCommands(stripped)).symptomWords(top.id).length >= THRESHOLDS.symptomWordsNextToCmdlet;
    };
    if (tool && !decisive && (tool !== 'mars-powershell' || !symptomsBesideCmdlet())) return fallback(candidates, toolSubject, evidence);
    if (aboutAnotherProgram) return fallback(candidates, programs.subject, evidence);
    if (!top || top.score <= 0) {
      if (bestFact && bestFact.score >= THRESHOLDS.factMinimum) return info(bestFact);
      return fallback([], undefined, 'none');
    }
    // An out-of-scope subject that matches better than any topic: not ours, unless an id says so.
    // A topic whose own words the message uses (two that hardly any other topic has) is not out-argued
    // by a subject that only matches as well.
    const wellEvidenced = evidence === 'symptom' && reading.namesDomain && reading.distinctiveWords(top.id).length >= THRESHOLDS.distinctiveWordsOverSubject;
    const outOfScopeRatio = namesTheAgent
      ? THRESHOLDS.outOfScopeWinsOverAgent
      : wellEvidenced
        ? THRESHOLDS.outOfScopeWinsOverSymptoms
        : THRESHOLDS.outOfScopeWins;
    // …and unless a fact of the info tier answers it better.
    // Every fact is about the MARS agent: in a message that does not name it, the fact has to beat the
    // other product's subject clearly ("how do I back up an Azure VM" is Azure VM backup).
    const factMargin = namesTheAgent ? 1 : THRESHOLDS.factOverSubjectWithoutAgent;
    const factAnswersBetter =
      bestFact !== undefined && bestFact.score >= THRESHOLDS.factMinimum && bestFact.score > (bestOutOfScope?.score ?? 0) * factMargin;
    if (!hasAgentId && !factAnswersBetter && bestOutOfScope && bestOutOfScope.score >= top.score * outOfScopeRatio) {
      return fallback([], subjectOf(bestOutOfScope), evidence);
    }

    // A fact from the FAQ or the support matrix, when the topic has no more than symptoms to show.
    function info(fact: ClassScore): Understanding {
      return {
        ...base,
        kind: 'info',
        info: fact.id.slice(FACT_PREFIX.length),
        topic: null,
        case: null,
        candidates,
        confidence: confidenceFrom(fact.score, Math.max(top?.score ?? 0, 0)),
        evidence,
      };
    }
    const asks = reading.asksForFact || text.includes('?');
    if (!decisive && !hasAgentId && bestFact && bestFact.score >= THRESHOLDS.factMinimum) {
      // Without a failure in the message, the fact only has to match at least as well as the topic.
      const ratio = bestFact.score / top.score;
      // The topic's telling words are the fact's words too ("jobs stuck 'In progress'" is the topic's
      // "in progress" and the fact's), and the message names what the fact's question is about but
      // the topic never mentions ("in the portal"): a question like that goes to the fact when it
      // matches nearly as well, failure words or not.
      const telling = reading.distinctiveWords(top.id);
      const factExplainsSymptoms =
        asks &&
        evidence === 'symptom' &&
        telling.length > 0 &&
        reading.distinctiveWordsBeyond(top.id, bestFact.id).length === 0 &&
        reading.titleWordsBeyond(bestFact.id, top.id).length > 0 &&
        ratio >= THRESHOLDS.factOverSharedSymptoms;
      if (
        evidence === 'none' ||
        (!reading.reportsFailure && asks && ratio >= THRESHOLDS.factOverQuestion) ||
        (!reading.reportsFailure && reading.asksForFact && ratio >= THRESHOLDS.factOverFactQuestion) ||
        ratio >= THRESHOLDS.factOverSymptoms ||
        factExplainsSymptoms
      ) {
        return info(bestFact);
      }
    }

    const confidence = confidenceFrom(top.score, topics[1]?.score ?? 0);
    const close = topics.filter((s) => s.score >= top.score * THRESHOLDS.closeCandidate && s.score >= THRESHOLDS.clarifyMinimum);

    // Close rivals that the knowledge base links both ways (passphrase-not-configured and
    // activation-failed) are one answer with a related topic, not a question back.
    const related = (a: string, b: string): boolean => (kb.byId.get(a)?.related.includes(b) ?? false) && (kb.byId.get(b)?.related.includes(a) ?? false);
    const rivalsRelated = reading.distinctiveWords(top.id).length > 0 && close.every((s) => s.id === top.id || related(top.id, s.id));
    const strongEnough = top.score >= THRESHOLDS.clarifyMinimum || hasAgentId;
    const answer = (topic: ClassScore, answerEvidence: EvidenceKind): Understanding => {
      const caseReading = readCase(caseIndex, kb.byId.get(topic.id)!, cleaned, analyzed.words, analyzer);
      return {
        ...base,
        kind: 'answer',
        topic: topic.id,
        case: caseReading.case,
        ...(caseReading.ruledOut.length > 0 ? { ruledOut: caseReading.ruledOut } : {}),
        candidates,
        confidence,
        evidence: answerEvidence,
      };
    };
    if ((evidence !== 'none' || hasAgentId) && strongEnough && confidence >= THRESHOLDS.answer && (close.length === 1 || hasAgentId || rivalsRelated)) {
      return answer(top, evidence);
    }
    // Not sure which topic: a fact that fits nearly as well is a better answer than a guess, when the
    // fact leads to one of the topics in the running, or shares more than one word of its own with
    // the message and matches it well ("vault credentials" alone, or "agent version" in a question
    // about something else, is a reason to ask back).
    const leadsToRunner = (fact: ClassScore): boolean =>
      kb.factsById.get(fact.id.slice(FACT_PREFIX.length))?.related.some((id) => close.some((s) => s.id === id)) ?? false;
    const factFits =
      bestFact !== undefined &&
      // A bare subject ("kluisreferenties") says too little to pick a fact for it: ask which topic.
      (asks || analyzed.words.length >= THRESHOLDS.factSentenceWords) &&
      (leadsToRunner(bestFact) || (reading.neighbourWords(bestFact.id) >= 2 && bestFact.score >= THRESHOLDS.factOnItsOwn));
    if (!hasAgentId && bestFact && factFits && bestFact.score >= THRESHOLDS.factMinimum && bestFact.score >= top.score * THRESHOLDS.factOverUnsure) {
      return info(bestFact);
    }
    // A failure of Azure Backup that nothing in the message pins down ("backups on three servers fail
    // now and then, no consistent error, where do I start?"): the first checks, not a list of guesses.
    // Either no topic explains the failure, or the first checks lead and no rival shows a word that
    // tells it apart.
    const firstChecks = topics.find((s) => s.id === FIRST_CHECKS_TOPIC);
    const vagueFailure =
      allIds.length === 0 &&
      reading.reportsFailure &&
      reading.namesDomain &&
      firstChecks !== undefined &&
      firstChecks.score >= THRESHOLDS.clarifyMinimum &&
      (evidence === 'none' || (top.id === FIRST_CHECKS_TOPIC && close.every((s) => s.id === top.id || reading.distinctiveWords(s.id).length === 0)));
    if (vagueFailure) return answer(firstChecks, evidence === 'none' ? 'symptom' : evidence);
    // Thin evidence or close rivals: offer the closest topics rather than guess.
    const offered = (evidence === 'none' ? topics.filter((s) => s.score >= THRESHOLDS.clarifyMinimum) : close)
      .slice(0, 3)
      .map((s) => ({ topic: s.id, score: rounded(s.score) }));
    // Nothing of ours in it and not even about Azure Backup: not a question to ask back about.
    const aboutUs = evidence !== 'none' || reading.namesDomain;
    if (aboutUs && top.score >= THRESHOLDS.clarifyMinimum && (close.length >= 2 || evidence === 'none') && offered.length > 0) {
      return { ...base, kind: 'clarify', topic: null, case: null, candidates: offered, confidence, evidence };
    }
    return fallback(candidates, undefined, evidence);
  };

  return { understand };
}
