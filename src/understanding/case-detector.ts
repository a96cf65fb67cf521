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

interface CaseCues {
  caseId: string;
  /** Stems that point at this case and no other case of the topic. */
  words: Set<string>;
  /** Its trigger phrases as folded tokens: a negation inside one ("no internet") is part of the cause. */
  triggerTokens: string[][];
  /** Its `ruledOutBy` phrases as token patterns. */
  ruledOutBy: string[][];
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

/** Whether one message token fits one pattern token: a word (by stem), `#` (a number) or `#<N`. */
function fits(token: string, pattern: string): boolean {
  if (pattern.startsWith('#')) {
    const n = numberOf(token);
    if (n === undefined) return false;
    const below = /^#<(\d+)$/.exec(pattern);
    return below ? n < Number(below[1]) : pattern === '#';
  }
  return token === pattern || stem(token) === stem(pattern);
}

/** Up to how many words a `*` in a pattern stands for. */
const GAP_WORDS = 3;

/** Whether `pattern` matches the tokens from `at` on; `*` skips zero to GAP_WORDS tokens. */
function occursAt(tokens: readonly string[], at: number, pattern: readonly string[]): boolean {
  if (pattern.length === 0) return true;
  const [head, ...rest] = pattern;
  if (head === '*') {
    for (let skip = 0; skip <= GAP_WORDS && at + skip <= tokens.length; skip++) if (occursAt(tokens, at + skip, rest)) return true;
    return false;
  }
  return at < tokens.length && fits(tokens[at]!, head!) && occursAt(tokens, at + 1, rest);
}

function occurs(tokens: readonly string[], pattern: readonly string[]): boolean {
  if (pattern.length === 0) return false;
  for (let at = 0; at < tokens.length; at++) if (occursAt(tokens, at, pattern)) return true;
  return false;
}

/** Tokens of a phrase as the message is tokenised; `#` and `*` slots are kept as they are. */
function patternTokens(analyzer: Analyzer, phrase: string): string[] {
  return phrase
    .split(/\s+/)
    .flatMap((part) => (part.startsWith('#') || part === '*' ? [part] : tokenize(analyzer.clean(part))));
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
        ruledOutBy: [...c.ruledOutBy.nl, ...c.ruledOutBy.en].map((p) => patternTokens(analyzer, p)),
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

/** Cases a clause rules out: their words next to "tried" or after a negation, or one of their `ruledOutBy` phrases. */
function ruledOutIn(clause: readonly string[], cases: readonly CaseCues[], analyzer: Analyzer): Set<string> {
  const out = new Set<string>();
  for (const c of cases) if (c.ruledOutBy.some((pattern) => occurs(clause, pattern))) out.add(c.caseId);
  const cued = clause.some((tok) => TRIED.has(tok) || NEGATIONS.has(tok));
  if (!cued) return out;
  clause.forEach((token, at) => {
    // Error ids and codes are facts from a log: nothing rules their cause out.
    if (CODE.test(token)) return;
    const stems = analyzer.analyzeTokens([token]).words;
    for (const c of cases) {
      if (out.has(c.caseId) || !stems.some((s) => c.words.has(s))) continue;
      if (triedNear(clause, at) || negatedAt(clause, at, c)) out.add(c.caseId);
    }
  });
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
  for (const clause of cleaned.split(CLAUSE_BREAK)) {
    for (const id of ruledOutIn(tokenize(clause), cases, analyzer)) excluded.add(id);
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
