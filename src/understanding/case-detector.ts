import type { Topic } from '../knowledge/schema';
import type { Analyzer } from './analyzer';
import { stem, tokenize } from './normalize-text';

/**
 * Within a topic, which cause does the message already name, and which does it rule out?
 * "34513 … we are behind a proxy" names the proxy case; "I tried Chrome and Edge" rules out the
 * browser case instead of picking it; "we have no antivirus" rules out the antivirus case;
 * "the file is from 3 days ago" rules out the expired-file case (its `ruledOutBy` phrases).
 * Only words that belong to one case's triggers count, so words every case shares decide nothing.
 */

export interface CaseReading {
  /** The case the message names, when exactly one case has the most evidence and is not ruled out. */
  case: string | null;
  /** Cases the message says are not it, in the knowledge file's order. */
  ruledOut: string[];
}

/** One element of a `ruledOutBy` phrase: a word (compared by stem), a number slot or a gap. */
type PatternPart = { word: string; stem: string } | { below: number } | 'gap';

interface CaseCues {
  caseId: string;
  /** Stems that point at this case and no other case of the topic. */
  words: Set<string>;
  /** Its trigger phrases as folded tokens: a negation inside one ("no internet") is part of the cause. */
  triggerTokens: string[][];
  /** Its `ruledOutBy` phrases as patterns. */
  ruledOutBy: PatternPart[][];
}

/** A clause as the cue readers look at it: its folded tokens, their stems and the numbers among them. */
interface Clause {
  tokens: readonly string[];
  stems: readonly string[];
  /** Every token and stem: a pattern with a word not in here cannot occur. */
  vocabulary: ReadonlySet<string>;
  numbers: readonly (number | undefined)[];
}

function clauseOf(text: string): Clause {
  const tokens = tokenize(text);
  const stems = tokens.map(stem);
  return { tokens, stems, vocabulary: new Set([...tokens, ...stems]), numbers: tokens.map(numberOf) };
}

export type CaseIndex = ReadonlyMap<string, CaseCues[]>;

/** Words that say what was already tried: the case words next to them are ruled out, not picked. */
const TRIED = new Set([
  'tried',
  'tested',
  'attempted',
  'geprobeerd',
  'geprobeert',
  'uitgeprobeerd',
  'uitgeprobeert',
  'probeerde',
  'probeerden',
  'getest',
  'uitgetest',
]);
/** Words that negate what follows them ("geen proxy", "don't have a proxy"). */
const NEGATIONS = new Set(
  "geen niet zonder nooit no not without never don't dont doesn't doesnt didn't didnt isn't isnt aren't arent haven't havent hasn't hasnt nor".split(' '),
);
/**
 * How far a "tried" word reaches to its objects: further back, since Dutch puts the verb last
 * ("Edge heb ik ook al geprobeerd"), than forward ("tried Edge and Chrome").
 */
const TRIED_REACH_BACK = 6;
const TRIED_REACH_FORWARD = 4;
/** How far a negation reaches forward: "no proxy", "geen enkele proxy", "don't have a proxy". */
const NEGATION_REACH = 3;
/** Sentences and contrasts end what a "tried" or a negation is about: "Chrome geprobeerd, maar Edge …". */
const CLAUSE_BREAK = /[.!?;\n]+|\s(?:maar|but|however|though|although|alleen|behalve|except)\s/;

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  een: 1, one: 1, twee: 2, two: 2, drie: 3, three: 3, vier: 4, four: 4, vijf: 5, five: 5,
  zes: 6, six: 6, zeven: 7, seven: 7, acht: 8, eight: 8, negen: 9, nine: 9, tien: 10, ten: 10,
};

function numberOf(token: string): number | undefined {
  if (/^\d{1,6}$/.test(token)) return Number(token);
  return NUMBER_WORDS[token];
}

/** Whether the clause's token at `at` fits one pattern part. */
function fits(clause: Clause, at: number, part: Exclude<PatternPart, 'gap'>): boolean {
  if ('below' in part) {
    const n = clause.numbers[at];
    return n !== undefined && n < part.below;
  }
  return clause.tokens[at] === part.word || clause.stems[at] === part.stem;
}

/** Up to how many words a `*` in a pattern stands for. */
const GAP_WORDS = 3;

/** Whether `pattern` matches the clause from `at` on; a gap skips zero to GAP_WORDS tokens. */
function occursAt(clause: Clause, at: number, pattern: readonly PatternPart[], from = 0): boolean {
  if (from === pattern.length) return true;
  const part = pattern[from]!;
  if (part === 'gap') {
    for (let skip = 0; skip <= GAP_WORDS && at + skip <= clause.tokens.length; skip++) if (occursAt(clause, at + skip, pattern, from + 1)) return true;
    return false;
  }
  return at < clause.tokens.length && fits(clause, at, part) && occursAt(clause, at + 1, pattern, from + 1);
}

function occurs(clause: Clause, pattern: readonly PatternPart[]): boolean {
  if (!pattern.every((part) => part === 'gap' || 'below' in part || clause.vocabulary.has(part.word) || clause.vocabulary.has(part.stem))) {
    return false;
  }
  // Most patterns start with a word: only its places need a full look.
  const first = pattern[0];
  for (let at = 0; at < clause.tokens.length; at++) {
    if (first && first !== 'gap' && !fits(clause, at, first)) continue;
    if (occursAt(clause, at, pattern)) return true;
  }
  return false;
}

/** A phrase as a pattern: `#` is any number, `#<N` a number below N, `*` a gap; the rest are words. */
function patternOf(analyzer: Analyzer, phrase: string): PatternPart[] {
  return phrase.split(/\s+/).flatMap((part): PatternPart[] => {
    if (part === '*') return ['gap'];
    if (part === '#') return [{ below: Number.POSITIVE_INFINITY }];
    const below = /^#<(\d+)$/.exec(part);
    if (below) return [{ below: Number(below[1]) }];
    return tokenize(analyzer.clean(part)).map((word) => ({ word, stem: stem(word) }));
  });
}

/** A word used by at least this share of all topics ("server", "backup", "file") is the domain's, not a cause's. */
const DOMAIN_WORD_SHARE = 0.45;

/** Words so common across the knowledge base that naming them says nothing about a cause. */
function domainWords(topics: readonly Topic[], analyzer: Analyzer): Set<string> {
  const topicsUsing = new Map<string, number>();
  for (const topic of topics) {
    const texts = [topic.title, topic.summary].flatMap((t) => [t.nl, t.en]);
    texts.push(...topic.triggers.nl, ...topic.triggers.en);
    for (const c of topic.cases) texts.push(c.title.nl, c.title.en, ...c.triggers.nl, ...c.triggers.en);
    for (const w of new Set(texts.flatMap((t) => analyzer.analyze(t).words))) topicsUsing.set(w, (topicsUsing.get(w) ?? 0) + 1);
  }
  return new Set([...topicsUsing].filter(([, n]) => n >= DOMAIN_WORD_SHARE * topics.length).map(([w]) => w));
}

/**
 * Words of the topic itself say which topic, not which cause: its title, and what all its error
 * messages of one language share. A word only one of its messages has ("proxy" in "(407) Proxy
 * Authentication Required") can still point at a cause.
 */
function topicWords(topic: Topic, analyzer: Analyzer): Set<string> {
  const generic = new Set([topic.title.nl, topic.title.en].flatMap((t) => analyzer.analyze(t).words));
  for (const texts of [topic.errorTexts.nl, topic.errorTexts.en]) {
    const perText = texts.map((t) => new Set(analyzer.analyze(t).words));
    const [first, ...rest] = perText;
    for (const w of first ?? []) if (rest.every((other) => other.has(w))) generic.add(w);
  }
  return generic;
}

export function createCaseIndex(topics: readonly Topic[], analyzer: Analyzer): CaseIndex {
  const index = new Map<string, CaseCues[]>();
  const domain = domainWords(topics, analyzer);
  for (const topic of topics) {
    if (topic.cases.length < 2) continue;
    const perCase: CaseCues[] = topic.cases.map((c) => {
      const triggers = [...c.triggers.nl, ...c.triggers.en];
      return {
        caseId: c.id,
        words: new Set(triggers.flatMap((t) => analyzer.analyze(t).words)),
        triggerTokens: triggers.map((t) => tokenize(analyzer.clean(t))),
        ruledOutBy: [...c.ruledOutBy.nl, ...c.ruledOutBy.en].map((p) => patternOf(analyzer, p)),
      };
    });
    // Keep only the words that are distinctive for one case: not shared with another case, not
    // the topic's own name or error message, not a word half the knowledge base uses.
    const generic = new Set([...topicWords(topic, analyzer), ...domain]);
    const counts = new Map<string, number>();
    for (const c of perCase) for (const w of c.words) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const c of perCase) for (const w of [...c.words]) if ((counts.get(w) ?? 0) > 1 || generic.has(w)) c.words.delete(w);
    index.set(topic.id, perCase);
  }
  return index;
}

/** Words a negation may reach across to its object: "don't have a proxy", "niet achter een proxy". */
const NEGATION_BRIDGE = new Set(
  'have has had use uses using behind through via any installed running a an the our een de het onze ons enkele achter gebruiken gebruikt geinstalleerd draait op on'.split(' '),
);
/** An error id or code token ("34513", "0x80070005"). */
const CODE = /^(0x)?[0-9a-f]*\d[0-9a-f]*$/;

/**
 * A negation right before `at` (only bridge words in between) that is not part of one of the
 * case's own trigger phrases ("no internet on the server").
 */
function negatedAt(tokens: readonly string[], at: number, cues: CaseCues): boolean {
  for (let k = at - 1; k >= Math.max(0, at - NEGATION_REACH); k--) {
    if (!NEGATIONS.has(tokens[k]!)) {
      if (NEGATION_BRIDGE.has(tokens[k]!)) continue;
      return false;
    }
    const span = tokens.slice(k, at + 1);
    const inTrigger = cues.triggerTokens.some((trigger) => trigger.some((_, s) => span.every((tok, j) => trigger[s + j] === tok)));
    if (!inTrigger) return true;
  }
  return false;
}

/** A "tried" word after the case word (within TRIED_REACH_BACK) or before it (within TRIED_REACH_FORWARD). */
function triedNear(tokens: readonly string[], at: number): boolean {
  const from = Math.max(0, at - TRIED_REACH_FORWARD);
  const to = Math.min(tokens.length - 1, at + TRIED_REACH_BACK);
  for (let k = from; k <= to; k++) if (TRIED.has(tokens[k]!)) return true;
  return false;
}

/** Where the words next to a "tried" word or after a negation are: the only places a cause can be ruled out by them. */
function cuedPositions(tokens: readonly string[]): Set<number> {
  const at = new Set<number>();
  tokens.forEach((token, i) => {
    if (TRIED.has(token)) for (let k = i - TRIED_REACH_BACK; k <= i + TRIED_REACH_FORWARD; k++) at.add(k);
    if (NEGATIONS.has(token)) for (let k = i + 1; k <= i + NEGATION_REACH; k++) at.add(k);
  });
  return at;
}

/** Cases a clause rules out: their words next to "tried" or after a negation, or one of their `ruledOutBy` phrases. */
function ruledOutIn(clause: Clause, cases: readonly CaseCues[], analyzer: Analyzer): Set<string> {
  const out = new Set<string>();
  for (const c of cases) if (c.ruledOutBy.some((pattern) => occurs(clause, pattern))) out.add(c.caseId);
  const { tokens } = clause;
  for (const at of cuedPositions(tokens)) {
    const token = tokens[at];
    // Error ids and codes are facts from a log: nothing rules their cause out.
    if (token === undefined || CODE.test(token)) continue;
    const stems = analyzer.analyzeTokens([token]).words;
    for (const c of cases) {
      if (out.has(c.caseId) || !stems.some((s) => c.words.has(s))) continue;
      if (triedNear(tokens, at) || negatedAt(tokens, at, c)) out.add(c.caseId);
    }
  }
  return out;
}

/**
 * Reads the cause from a message: `cleaned` is the message as the analyzer cleans it, `words` its
 * analysed words (typos corrected), which decide what the message points at.
 */
export function readCase(index: CaseIndex, topic: Topic, cleaned: string, words: readonly string[], analyzer: Analyzer): CaseReading {
  const cases = index.get(topic.id);
  if (!cases) return { case: null, ruledOut: [] };
  const excluded = new Set<string>();
  for (const text of cleaned.split(CLAUSE_BREAK)) {
    for (const id of ruledOutIn(clauseOf(text), cases, analyzer)) excluded.add(id);
  }
  const message = new Set(words);
  const ranked = cases
    .filter((c) => !excluded.has(c.caseId))
    .map((c) => ({ caseId: c.caseId, hits: [...c.words].filter((w) => message.has(w)).length }))
    .sort((a, b) => b.hits - a.hits);
  const [best, second] = ranked;
  const picked = !best || best.hits === 0 || (second && second.hits === best.hits) ? null : best.caseId;
  return { case: picked, ruledOut: cases.map((c) => c.caseId).filter((id) => excluded.has(id)) };
}
