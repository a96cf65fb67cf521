import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Topic } from '../knowledge/schema';
import { DEFAULT_LANG_UNSET, type Lang } from '../shared/lang';
import { createAnalyzer } from './analyzer';
import { readCase, createCaseIndex } from './case-detector';
import { detectLanguage } from './detect-language';
import { createErrorIdCatalog } from './error-ids';
import { createIntentDetector } from './intents';
import { createPhraseSpotter } from './phrase-spotter';
import { createSignatureIndex } from './signature-index';
import { sanitizeInput, stripMarkup, stripTimestamps, tokenize } from './normalize-text';
import { createTopicIndex, type ClassDocument } from './topic-index';
import { THRESHOLDS, combineScore, confidenceFrom } from './thresholds';
import type { Candidate, Matcher, UnderstandOptions, Understanding } from './understanding';

const OUT_OF_SCOPE_PREFIX = 'out-of-scope:';
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

function topicDocument(topic: Topic): ClassDocument {
  const both = (value: { nl: string; en: string }) => [value.nl, value.en];
  const lists = (value: { nl: string[]; en: string[] }) => [...value.nl, ...value.en];
  const caseTriggers = topic.cases.flatMap((c) => lists(c.triggers));
  return {
    id: topic.id,
    fields: [
      { texts: both(topic.title), weight: 2 },
      { texts: lists(topic.errorTexts), weight: 1.5 },
      { texts: lists(topic.triggers), weight: 1 },
      { texts: caseTriggers, weight: 0.8 },
      { texts: topic.cases.flatMap((c) => [...both(c.title), ...both(c.when)]), weight: 0.5 },
      { texts: both(topic.summary), weight: 0.5 },
    ],
    phrases: [...lists(topic.triggers), ...lists(topic.errorTexts), ...both(topic.title), ...caseTriggers],
    errorTexts: lists(topic.errorTexts),
  };
}

export interface MatcherSettings {
  /** DEFAULT_LANG: the reply language when neither the text nor the caller's preference gives one. */
  defaultLang?: Lang;
}

export function createMatcher(kb: KnowledgeBase, settings: MatcherSettings = {}): Matcher {
  const defaultLang = settings.defaultLang ?? DEFAULT_LANG_UNSET;
  const vocabularyTexts: string[] = [];
  const docs: ClassDocument[] = kb.topics.map(topicDocument);
  for (const subject of kb.outOfScope.subjects) {
    docs.push({
      id: OUT_OF_SCOPE_PREFIX + subject.id,
      fields: [{ texts: [...subject.triggers.nl, ...subject.triggers.en], weight: 1 }],
      phrases: [...subject.triggers.nl, ...subject.triggers.en],
      errorTexts: [],
    });
  }
  for (const doc of docs) for (const field of doc.fields) vocabularyTexts.push(...field.texts);

  const analyzer = createAnalyzer(kb.synonyms, vocabularyTexts);
  const index = createTopicIndex(docs, analyzer);
  const caseIndex = createCaseIndex(kb.topics, analyzer);
  const intents = createIntentDetector(kb.intents, analyzer.clean);
  const stepsExhausted = createPhraseSpotter([...kb.intents.stepsExhausted.nl, ...kb.intents.stepsExhausted.en], analyzer.clean);
  // A product the topics themselves talk about (Windows Server Backup clashing with the schedule,
  // a browser for downloading vault credentials) does not make a message someone else's problem.
  const topicText = ` ${kb.topics
    .flatMap((t) => [...t.triggers.nl, ...t.triggers.en, ...t.cases.flatMap((c) => [...c.triggers.nl, ...c.triggers.en])])
    .map((text) => tokenize(analyzer.clean(text)).join(' '))
    .join(' | ')} `;
  const otherProducts = createPhraseSpotter(
    kb.outOfScope.subjects.flatMap((s) => s.products).filter((name) => !topicText.includes(` ${tokenize(analyzer.clean(name)).join(' ')} `)),
    analyzer.clean,
  );

  // Names only one topic ever uses — LastBackupFailedFiles, iexplore.exe — tell as much as an error id.
  const signatureOwner = createSignatureIndex(kb.topics);

  const ownerOfId = new Map<string, string>();
  for (const topic of kb.topics) for (const id of topic.errorIds) ownerOfId.set(id, topic.id);
  const errorIds = createErrorIdCatalog(ownerOfId.keys());
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

  /** The open topic's causes as this message reads them, set while a message is understood. */
  let openTopicReading: Understanding['openTopicCase'];

  const understand = (rawText: string, options: UnderstandOptions = {}): Understanding => {
    openTopicReading = undefined;
    const understood = understandMessage(rawText, options);
    return openTopicReading ? { ...understood, openTopicCase: openTopicReading } : understood;
  };

  const understandMessage = (rawText: string, options: UnderstandOptions): Understanding => {
    const { text, truncated } = sanitizeInput(rawText);
    // Markup and timestamps are stripped, and the text cleaned and cut into words, once per message.
    const stripped = stripTimestamps(stripMarkup(text));
    const cleaned = analyzer.cleanStripped(stripped);
    const tokens = tokenize(cleaned);
    const found = errorIds.extract(stripped);
    const allIds = [...found.strong, ...found.weak];

    const detected = detectLanguage(text, isPastedLine);
    const textLang: Lang | undefined = detected.lang === 'nl' || detected.lang === 'en' ? detected.lang : undefined;
    const lang: Lang = options.forceLang ?? textLang ?? options.preferredLang ?? defaultLang;
    const base = {
      lang,
      langFromText: options.forceLang === undefined && textLang !== undefined,
      errorIds: allIds,
      normalizedText: cleaned,
      truncated,
    };
    const fallback = (candidates: Candidate[] = []): Understanding => ({
      ...base,
      kind: 'fallback',
      topic: null,
      case: null,
      candidates,
      confidence: 0,
    });

    if (cleaned.trim() === '') return fallback();
    // Pasted binary or a file dump: mostly symbols. Only an id of ours makes it a question.
    if (found.strong.length === 0 && looksLikeBinary(typeof rawText === 'string' ? rawText.slice(0, text.length) : '')) return fallback();

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

    const analyzed = analyzer.analyzeTokens(tokens, { correctTypos: true });
    const openTopic = options.openTopic ? kb.byId.get(options.openTopic) : undefined;
    if (openTopic) openTopicReading = readCase(caseIndex, openTopic, cleaned, analyzed.words, analyzer);
    const scores = index.score(analyzed.words, analyzed.sequence);
    // "Did every step for 100050, still failing": the article's own answer is to contact support;
    // but an error id of ours says which problem it is, and outweighs it.
    const ownsAnId = allIds.some((id) => ownerOfId.has(id));
    const exhaustedTopic = !ownsAnId && stepsExhausted.mentionedInTokens(tokens) ? kb.intents.stepsExhausted.topic : undefined;
    const signatures = signatureOwner.ownersIn(text);
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
        (signatures.has(s.id) ? THRESHOLDS.signatureBonus : 0);
      s.score = foreignOnly && !s.id.startsWith(OUT_OF_SCOPE_PREFIX) ? combined * THRESHOLDS.foreignCodePenalty : combined;
    }
    const ranked = scores.sort((a, b) => b.score - a.score);

    const topics = ranked.filter((s) => !s.id.startsWith(OUT_OF_SCOPE_PREFIX));
    const top = topics[0];
    const bestOutOfScope = ranked.find((s) => s.id.startsWith(OUT_OF_SCOPE_PREFIX));
    const candidates: Candidate[] = topics
      .slice(0, 3)
      .filter((s) => s.score > 0)
      .map((s) => ({ topic: s.id, score: Math.round(Math.min(1, s.score) * 1000) / 1000 }));
    if (!top || top.score <= 0) return fallback();

    const hasStrongId = found.strong.some((id) => ownerOfId.has(id));
    // Names another product ("Veeam", "DPM", "Exchange") and nothing that marks the MARS agent:
    // someone else's problem, however much it sounds like ours.
    const namesTheAgent = analyzed.words.includes(MARS_ANCHOR);
    const clearlyOurs = hasStrongId || namesTheAgent || top.score >= THRESHOLDS.strongScore;
    if (!clearlyOurs && otherProducts.mentionedInTokens(tokens)) return fallback(candidates);
    // An out-of-scope subject that matches better than any topic: not ours, unless an id says so.
    const outOfScopeRatio = analyzed.words.includes(MARS_ANCHOR) ? THRESHOLDS.outOfScopeWinsOverAgent : THRESHOLDS.outOfScopeWins;
    if (!hasStrongId && bestOutOfScope && bestOutOfScope.score >= top.score * outOfScopeRatio) {
      return fallback();
    }

    const confidence = confidenceFrom(top.score, topics[1]?.score ?? 0);
    const close = topics.filter((s) => s.score >= top.score * THRESHOLDS.closeCandidate && s.score >= THRESHOLDS.clarifyMinimum);

    if (confidence >= THRESHOLDS.answer && (close.length === 1 || hasStrongId)) {
      const reading = readCase(caseIndex, kb.byId.get(top.id)!, cleaned, analyzed.words, analyzer);
      return {
        ...base,
        kind: 'answer',
        topic: top.id,
        case: reading.case,
        ...(reading.ruledOut.length > 0 ? { ruledOut: reading.ruledOut } : {}),
        candidates,
        confidence,
      };
    }
    if (top.score >= THRESHOLDS.clarifyMinimum && close.length >= 2) {
      const offered = close.slice(0, 3).map((s) => ({ topic: s.id, score: Math.round(Math.min(1, s.score) * 1000) / 1000 }));
      return { ...base, kind: 'clarify', topic: null, case: null, candidates: offered, confidence };
    }
    return fallback(candidates);
  };

  return { understand };
}
