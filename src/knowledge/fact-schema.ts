import { z } from 'zod';
import { localizedText } from './schema';

/**
 * The info tier: short, exact answers to the questions admins ask next to the troubleshooting
 * article, taken from the MARS agent FAQ and the MARS support matrix (knowledge/facts/<id>.yaml).
 * A fact is not a troubleshooting topic: it has no causes or follow-up questions, only the fact,
 * where Microsoft states it, and the topic that usually comes next.
 */

/** The two companion pages in knowledge/sources/ that facts are taken from. */
export const FACT_DOCUMENTS = ['mars-faq', 'mars-support-matrix'] as const;
export type FactDocument = (typeof FACT_DOCUMENTS)[number];

/** Each document's file in knowledge/sources/ and its page on Microsoft Learn. */
export const FACT_DOCUMENT_PAGES: Readonly<Record<FactDocument, { file: string; page: string }>> = {
  'mars-faq': { file: 'en-US-mars-faq.yml', page: 'https://learn.microsoft.com/en-us/azure/backup/backup-azure-file-folder-backup-faq' },
  'mars-support-matrix': {
    file: 'en-US-mars-support-matrix.md',
    page: 'https://learn.microsoft.com/en-us/azure/backup/backup-support-matrix-mars-agent',
  },
};

const text = z.string().trim().min(1);
const kebabId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9 and dashes)');
const localizedTriggers = z.object({ nl: z.array(text).min(3), en: z.array(text).min(3) }).strict();
const optionalLocalizedList = z.object({ nl: z.array(text).default([]), en: z.array(text).default([]) }).strict();

const factSourceSchema = z
  .object({
    document: z.enum(FACT_DOCUMENTS),
    /** The FAQ question or the support-matrix heading, exactly as the source writes it. */
    section: text,
    /** The section's anchor on the Learn page ("supported-operating-systems"). */
    anchor: z.string().regex(/^[a-z0-9]+(-[a-z0-9]*)*$/, 'must be a lower-case anchor (a-z, 0-9 and dashes)'),
  })
  .strict();

export const factSchema = z
  .object({
    id: kebabId,
    /** The question the fact answers, in our words: the reply's heading. */
    title: localizedText,
    /** The fact itself in one to three sentences, with the numbers, names and paths of the source. */
    answer: localizedText,
    /** Short points that belong to the answer (versions, limits, exceptions); same number in both languages. */
    points: optionalLocalizedList.default({ nl: [], en: [] }),
    /** How admins ask it, casual and terse, at least three per language. */
    triggers: localizedTriggers,
    /** The troubleshooting topics that usually come next (offered as a button); at most two. */
    related: z.array(kebabId).max(2).default([]),
    /** Where Microsoft states it; the first one is the link shown with the answer. */
    source: z.array(factSourceSchema).min(1),
  })
  .strict()
  .superRefine((fact, ctx) => {
    if (fact.points.nl.length !== fact.points.en.length) {
      ctx.addIssue({ code: 'custom', path: ['points'], message: `nl has ${fact.points.nl.length} points, en has ${fact.points.en.length}` });
    }
  });

export type Fact = z.infer<typeof factSchema>;
export type FactSource = z.infer<typeof factSourceSchema>;

/**
 * knowledge/facts/_not-covered.yaml: sections of the FAQ and the support matrix that have no fact,
 * each with the reason, so the source-coverage test can tell "left out on purpose" from "forgotten".
 */
export const factsNotCoveredSchema = z
  .object({
    sections: z.array(z.object({ document: z.enum(FACT_DOCUMENTS), section: text, reason: text }).strict()),
  })
  .strict();
export type FactsNotCovered = z.infer<typeof factsNotCoveredSchema>;

/**
 * knowledge/evidence.yaml: the words the matcher uses to tell a failure report from a question
 * about facts, and the vocabulary every topic shares (which on its own is no evidence for any).
 */
const wordList = z.object({ nl: z.array(text).min(1), en: z.array(text).min(1) }).strict();
export const evidenceVocabularySchema = z
  .object({
    /** Words and phrases that report something going wrong: an error, a failure, a hang. */
    failure: wordList,
    /** Sentence openings that ask for a fact: "is … supported", "when will", "can I", "how long". */
    factQuestions: wordList,
    /** Phrases that hold a failure word but report nothing: "no problem", "die aan de server hangt" (is attached to). */
    notFailures: wordList,
    /**
     * First words of a question about what would happen ("Will those files be skipped?", "Worden ze
     * overgeslagen?"): a failure word in such a question reports nothing.
     */
    hypotheticals: wordList,
    /** Words that open a condition before such a question: "If a file is open, will it be skipped?". */
    conditions: wordList,
    /**
     * Saying a message is not about us: phrases right before a word of the domain ("nothing to do
     * with backup") and words right after a negated one ("not backup related").
     */
    disclaimers: z.object({ before: wordList, after: wordList }).strict(),
    /** Words of the domain that name a thing every topic talks about; alone they point nowhere. */
    generic: wordList,
    /** Sentences many products' error messages share: a pasted run of these is nobody's evidence. */
    boilerplate: wordList,
    /** Words that say a message is about Azure Backup at all ("backup", "vault", "MARS", "kluis"). */
    domain: wordList,
    /** Counting and comparing ("two", "different", "the same"): no topic's symptom, but they tie a fact's question. */
    comparisons: wordList,
    /** Programs that show Windows' own error codes too: next to one, a Windows code is that program's. */
    programs: wordList,
    /**
     * What every backup program does ("backup", "restore"): next to another backup product (a product
     * of one of `subjects`) these words are that product's, and no sign that the message is about
     * Azure Backup.
     */
    activities: z
      .object({
        nl: z.array(text).min(1),
        en: z.array(text).min(1),
        subjects: z.array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)).min(1),
      })
      .strict(),
    /**
     * Feature requests and feedback on the documentation ("feature request", "vertaalfout", "should
     * say"): not a problem to troubleshoot. `subject` is the out-of-scope subject such a message gets.
     */
    requests: z
      .object({
        subject: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
        nl: z.array(text).min(1),
        en: z.array(text).min(1),
        /** Wishes ("it would be great if"): a request only with one of `wishedOf` a few words on. */
        wishes: wordList,
        /** What a wish about the product or its documentation names ("the agent", "the docs"). */
        wishedOf: wordList,
        /** Asking for a correction ("please fix", "typo"): a request only with one of `correctionOf` a few words away. */
        corrections: wordList,
        /** What a correction of the documentation names ("the article", "this section"). */
        correctionOf: wordList,
      })
      .strict(),
    /**
     * Headings of the template footers that issue trackers add below a message ("Document Details" on
     * Microsoft Learn's GitHub issues): everything from such a heading on is not the admin's words.
     */
    footers: z.array(text).min(1),
  })
  .strict();
export type EvidenceVocabulary = z.infer<typeof evidenceVocabularySchema>;

/** The Learn URL of a fact's source section. */
export function factSourceUrl(source: FactSource): string {
  return `${FACT_DOCUMENT_PAGES[source.document].page}#${source.anchor}`;
}
