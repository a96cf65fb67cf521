import { z } from 'zod';

/**
 * The `dialogue` section of knowledge/intents.yaml: the words the conversation engine listens for
 * (yes, no, "that didn't help", "something else", a change of subject, a language …). They are
 * recognised, never shown; the engine reads them from here and nowhere else.
 */
const word = z.string().trim().min(1);
const words = z.object({ nl: z.array(word).min(1), en: z.array(word).min(1) }).strict();

/** A verb and what goes with it, a few words apart in either order: "speak to an actual human", "iemand … spreken", "draait … weer". */
const pairs = z.object({ verbs: words, people: words }).strict();

export const dialogueSchema = z
  .object({
    yes: words,
    no: words,
    askForPerson: pairs,
    askForTicket: pairs,
    dontKnow: words,
    negations: words,
    solved: words,
    worksAgain: words,
    worksAgainPairs: pairs,
    gratitude: words,
    contrast: words,
    troubleNouns: words,
    noTrouble: words,
    cleanRun: words,
    steadyState: words,
    sameSubject: words,
    notTheCause: words,
    alreadyDone: words,
    inOrder: words,
    interruption: words,
    alsoWords: words,
    pickFiller: words,
    stillBroken: words,
    didNotHelp: words,
    somethingElse: words,
    changeSubject: words,
    reset: words,
    cancel: words,
    skip: words,
    urgent: words,
    vendor: words,
    languageNames: words,
    languageCommands: words,
    languageFiller: words,
    /** Position n (1-based) is entry n-1. */
    ordinals: z.array(words).min(1),
    ordinalFiller: words,
    politeness: words,
    questionOpeners: words,
    fresh: words,
    stale: words,
    vagueSubjects: words,
    vagueTroubles: words,
    botNames: words,
  })
  .strict();
