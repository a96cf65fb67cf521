import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Lang } from '../shared/lang';
import { stems, words } from './text-match';

/**
 * The words the engine listens for, compiled from knowledge/intents.yaml (never written in TS):
 * both languages at once, because people switch mid-sentence. Recognised, never shown: what the
 * bot says lives in locales/.
 */

export interface WordList {
  /** The single-word entries, folded ("ja", "yes"): for checks on one token. */
  readonly words: ReadonlySet<string>;
  /** Every entry as lightly stemmed tokens: for finding a phrase anywhere in a message. */
  readonly phrases: readonly (readonly string[])[];
  /** Every entry as folded tokens, not stemmed: for phrases that count only in exactly these forms ("get me"). */
  readonly exact: readonly (readonly string[])[];
  /** Every entry as folded tokens joined by one space: for "the whole message is one of these". */
  readonly whole: ReadonlySet<string>;
}

export interface Vocabulary {
  yes: WordList;
  no: WordList;
  dontKnow: WordList;
  negations: WordList;
  solved: WordList;
  stillBroken: WordList;
  /** "But", "maar": a negation does not reach past it. */
  contrast: WordList;
  /** "Errors", "waarschuwingen": with `noTrouble` before them and `cleanRun` near, a run went clean. */
  troubleNouns: WordList;
  noTrouble: WordList;
  cleanRun: WordList;
  /** "Fine", "prima": a success that is a state, not a recovery ("Back Up Now works fine"). */
  steadyState: WordList;
  /** "It", "de back-up": the thing being fixed, as the subject of "works fine". */
  sameSubject: WordList;
  /** "So that's not it": the message rules out what it names. */
  notTheCause: WordList;
  /** "Already": with the words of the steps on screen, those steps were done before. */
  alreadyDone: WordList;
  /** "Is fine", "staat goed": right after a cause's words, that cause is ruled out. */
  inOrder: WordList;
  /** "Wait", "wacht even": at the start of a message, it sets the hand-over aside. */
  interruption: WordList;
  /** "En daarnaast", "and also": where one problem ends and the next begins in a message. */
  alsoWords: WordList;
  /** "Eerst", "the … one first": the words around a pick of a subject just named. */
  pickFiller: WordList;
  didNotHelp: WordList;
  somethingElse: WordList;
  changeSubject: WordList;
  reset: WordList;
  cancel: WordList;
  skip: WordList;
  urgent: WordList;
  vendor: WordList;
  languageCommands: WordList;
  languageFiller: WordList;
  ordinalFiller: WordList;
  politeness: WordList;
  questionOpeners: WordList;
  fresh: WordList;
  stale: WordList;
  vagueSubjects: WordList;
  vagueTroubles: WordList;
  botNames: WordList;
  /** Asking for our support team: the same list the matcher reads as the escalate intent. */
  escalate: WordList;
  /** Verbs of getting, talking or handing over, and the people they go to: a request for a person. */
  askForPerson: { verbs: WordList; people: WordList };
  askForTicket: { verbs: WordList; people: WordList };
  worksAgain: WordList;
  worksAgainPairs: { verbs: WordList; people: WordList };
  gratitude: WordList;
  /** "help", "what can you do": the same list the matcher reads as the help intent. */
  help: WordList;
  /** A language's names ("english", "engels", "nederlands") → the language. */
  languageNames: ReadonlyMap<string, Lang>;
  /** "tweede", "second" → 2. */
  ordinals: ReadonlyMap<string, number>;
}

function wordList(entries: readonly string[]): WordList {
  const tokenized = entries.map(words).filter((tokens) => tokens.length > 0);
  return {
    words: new Set(tokenized.filter((tokens) => tokens.length === 1).map((tokens) => tokens[0]!)),
    phrases: entries.map(stems).filter((tokens) => tokens.length > 0),
    exact: tokenized,
    whole: new Set(tokenized.map((tokens) => tokens.join(' '))),
  };
}

const both = (list: { nl: readonly string[]; en: readonly string[] }): string[] => [...list.nl, ...list.en];

function compile(intents: KnowledgeBase['intents']): Vocabulary {
  const d = intents.dialogue;
  const languageNames = new Map<string, Lang>();
  for (const lang of ['nl', 'en'] as const) {
    for (const name of d.languageNames[lang]) for (const token of words(name)) languageNames.set(token, lang);
  }
  const ordinals = new Map<string, number>();
  d.ordinals.forEach((names, index) => {
    for (const name of both(names)) for (const token of words(name)) ordinals.set(token, index + 1);
  });
  return {
    yes: wordList(both(d.yes)),
    no: wordList(both(d.no)),
    dontKnow: wordList(both(d.dontKnow)),
    negations: wordList(both(d.negations)),
    solved: wordList(both(d.solved)),
    stillBroken: wordList(both(d.stillBroken)),
    contrast: wordList(both(d.contrast)),
    troubleNouns: wordList(both(d.troubleNouns)),
    noTrouble: wordList(both(d.noTrouble)),
    cleanRun: wordList(both(d.cleanRun)),
    steadyState: wordList(both(d.steadyState)),
    sameSubject: wordList(both(d.sameSubject)),
    notTheCause: wordList(both(d.notTheCause)),
    alreadyDone: wordList(both(d.alreadyDone)),
    inOrder: wordList(both(d.inOrder)),
    interruption: wordList(both(d.interruption)),
    alsoWords: wordList(both(d.alsoWords)),
    pickFiller: wordList(both(d.pickFiller)),
    didNotHelp: wordList(both(d.didNotHelp)),
    somethingElse: wordList(both(d.somethingElse)),
    changeSubject: wordList(both(d.changeSubject)),
    reset: wordList(both(d.reset)),
    cancel: wordList(both(d.cancel)),
    skip: wordList(both(d.skip)),
    urgent: wordList(both(d.urgent)),
    vendor: wordList(both(d.vendor)),
    languageCommands: wordList(both(d.languageCommands)),
    languageFiller: wordList(both(d.languageFiller)),
    ordinalFiller: wordList(both(d.ordinalFiller)),
    politeness: wordList(both(d.politeness)),
    questionOpeners: wordList(both(d.questionOpeners)),
    fresh: wordList(both(d.fresh)),
    stale: wordList(both(d.stale)),
    vagueSubjects: wordList(both(d.vagueSubjects)),
    vagueTroubles: wordList(both(d.vagueTroubles)),
    botNames: wordList(both(d.botNames)),
    escalate: wordList(both(intents.escalate)),
    askForPerson: { verbs: wordList(both(d.askForPerson.verbs)), people: wordList(both(d.askForPerson.people)) },
    askForTicket: { verbs: wordList(both(d.askForTicket.verbs)), people: wordList(both(d.askForTicket.people)) },
    worksAgain: wordList(both(d.worksAgain)),
    worksAgainPairs: { verbs: wordList(both(d.worksAgainPairs.verbs)), people: wordList(both(d.worksAgainPairs.people)) },
    gratitude: wordList(both(d.gratitude)),
    help: wordList(both(intents.help)),
    languageNames,
    ordinals,
  };
}

/** Compiled once per loaded knowledge base. */
const compiled = new WeakMap<KnowledgeBase['intents'], Vocabulary>();

export function vocabularyOf(kb: KnowledgeBase): Vocabulary {
  let vocabulary = compiled.get(kb.intents);
  if (!vocabulary) {
    vocabulary = compile(kb.intents);
    compiled.set(kb.intents, vocabulary);
  }
  return vocabulary;
}
