import { z } from 'zod';
import { dialogueSchema } from './dialogue-schema';

/**
 * The shape of one knowledge file (knowledge/topics/<id>.yaml).
 * Every user-facing text exists in Dutch and English, so the bot can answer in either.
 */

const text = z.string().trim().min(1);
export const localizedText = z.object({ nl: text, en: text }).strict();
const localizedList = z.object({ nl: z.array(text).min(1), en: z.array(text).min(1) }).strict();
const optionalLocalizedList = z
  .object({ nl: z.array(text).default([]), en: z.array(text).default([]) })
  .strict();

const kebabId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9 and dashes)');

export const SOURCE_VERSIONS = ['nl-NL-2019', 'en-US-current', 'nl-NL-2021'] as const;

const sourceRef = z
  .object({
    version: z.enum(SOURCE_VERSIONS),
    /** The section heading exactly as it stands in that version of the article. */
    section: text,
    /** The heading's anchor in the published page (e.g. "invalid-vault-credentials-provided"). */
    anchor: kebabId,
    /**
     * False when the section is gone from the article as Microsoft publishes it today (it exists
     * only in that old version): the bot then never links to its anchor.
     */
    published: z.boolean().default(true),
  })
  .strict();

/**
 * One step of a case or procedure as written in a knowledge file: its text, or a reference to a
 * shared procedure (knowledge/procedures/<id>.yaml) whose steps stand in its place. References
 * are resolved when the knowledge base is loaded, so everything that reads steps sees text.
 */
const procedureRef = z.object({ procedure: kebabId }).strict();
const stepEntry = z.union([text, procedureRef]);
const stepList = z.object({ nl: z.array(stepEntry).min(1), en: z.array(stepEntry).min(1) }).strict();
export type StepList = z.infer<typeof stepList>;

const caseSchema = z
  .object({
    id: kebabId,
    title: localizedText,
    /** When this cause applies, in a sentence the admin recognises. */
    when: localizedText,
    /** Phrases in a message that point at this cause rather than another one of the topic. */
    triggers: optionalLocalizedList.default({ nl: [], en: [] }),
    /**
     * Phrases in a message that say this is not the cause ("het bestand is van gisteren" against
     * an expired file). A `#` word stands for a number, `#<10` for a number below 10, `*` for
     * up to three words ("downloaded * today").
     */
    ruledOutBy: optionalLocalizedList.default({ nl: [], en: [] }),
    steps: stepList,
  })
  .strict();

const followUpOption = z
  .object({
    id: kebabId,
    label: localizedText,
    /** Words a typed answer may contain to pick this option ("ja", "yes", "proxy"). */
    answers: optionalLocalizedList.default({ nl: [], en: [] }),
    /** The case this answer identifies … */
    case: kebabId.optional(),
    /** … or the next question to ask. */
    next: kebabId.optional(),
    /** Cases this answer excludes ("No, direct internet" excludes the proxy case): no path through it may end there. */
    rulesOut: z.array(kebabId).default([]),
  })
  .strict()
  .refine((o) => (o.case === undefined) !== (o.next === undefined), {
    error: 'an option leads either to a case or to a next question, exactly one of them',
  })
  .refine((o) => o.case === undefined || !o.rulesOut.includes(o.case), {
    error: 'an option cannot lead to a case it rules out',
  });

const followUpQuestion = z
  .object({
    id: kebabId,
    question: localizedText,
    options: z.array(followUpOption).min(2).max(5),
  })
  .strict();

/** A chain of `next` questions that comes back to a question it already asked, or undefined. */
function followUpLoop(questions: readonly { id: string; options: readonly { next?: string | undefined }[] }[]): string[] | undefined {
  const byId = new Map(questions.map((q) => [q.id, q] as const));
  const walk = (id: string, path: readonly string[]): string[] | undefined => {
    if (path.includes(id)) return [...path, id];
    const question = byId.get(id);
    for (const option of question?.options ?? []) {
      const loop = option.next ? walk(option.next, [...path, id]) : undefined;
      if (loop) return loop;
    }
    return undefined;
  };
  for (const q of questions) {
    const loop = walk(q.id, []);
    if (loop) return loop;
  }
  return undefined;
}

const linkSchema = z.object({ title: localizedText, url: z.url() }).strict();

/**
 * Where the versions of the article disagree: the current fact and what changed. For maintainers
 * and the support team (it goes on the ticket); shown under an answer only with `showInAnswer`,
 * where the difference changes what the admin does (48 hours → 10 days for vault credentials).
 */
const changeNote = z
  .object({ nl: text, en: text, showInAnswer: z.boolean().default(false) })
  .strict();

export const topicSchema = z
  .object({
    id: kebabId,
    tier: z.enum(['seed', 'current']),
    title: localizedText,
    /** One or two sentences: what is going on. Shown above the steps. */
    summary: localizedText,
    /** Error ids and codes this topic owns, normalised: "34513", "0x1FC07", "SalLowDiskSpace". */
    errorIds: z.array(z.string().regex(/^(\d{3,6}|0x[0-9A-F]{5,8}|Sal[A-Za-z]+)$/)).default([]),
    /** The agent's own messages, verbatim (English, and the Dutch wordings of both Dutch versions). */
    errorTexts: optionalLocalizedList.default({ nl: [], en: [] }),
    /** How admins describe it: casual, terse, with and without the id. */
    triggers: localizedList,
    cases: z.array(caseSchema).min(1),
    /** Questions that find the cause; the first one is asked first. Needed when there are several cases. */
    followUps: z.array(followUpQuestion).default([]),
    /** Where the versions of the article disagree: see changeNote. */
    changes: changeNote.optional(),
    links: z.array(linkSchema).default([]),
    related: z.array(kebabId).default([]),
    source: z.array(sourceRef).min(1),
  })
  .strict()
  .superRefine((topic, ctx) => {
    const caseIds = new Set(topic.cases.map((c) => c.id));
    const questionIds = new Set(topic.followUps.map((q) => q.id));
    if (topic.cases.length > 1 && topic.followUps.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['followUps'], message: 'a topic with several cases needs follow-up questions' });
    }
    const loop = followUpLoop(topic.followUps);
    if (loop) ctx.addIssue({ code: 'custom', path: ['followUps'], message: `the questions loop: ${loop.join(' → ')}` });
    topic.followUps.forEach((q, qi) =>
      q.options.forEach((o, oi) => {
        if (o.case && !caseIds.has(o.case)) {
          ctx.addIssue({ code: 'custom', path: ['followUps', qi, 'options', oi, 'case'], message: `unknown case "${o.case}"` });
        }
        if (o.next && !questionIds.has(o.next)) {
          ctx.addIssue({ code: 'custom', path: ['followUps', qi, 'options', oi, 'next'], message: `unknown question "${o.next}"` });
        }
        o.rulesOut.forEach((id, ri) => {
          if (!caseIds.has(id)) {
            ctx.addIssue({ code: 'custom', path: ['followUps', qi, 'options', oi, 'rulesOut', ri], message: `unknown case "${id}"` });
          }
        });
      }),
    );
  });

/** A topic as written in its file: steps may still name shared procedures. */
export type RawTopic = z.infer<typeof topicSchema>;
type RawCase = z.infer<typeof caseSchema>;

/** A case as everything after the loader sees it: procedures resolved into plain steps. */
export type TopicCase = Omit<RawCase, 'steps'> & {
  steps: { nl: string[]; en: string[] };
  /** The shared procedures its steps include, in order (also those nested in a procedure). */
  procedures: string[];
};
export type Topic = Omit<RawTopic, 'cases'> & { cases: TopicCase[] };

/**
 * knowledge/procedures/<id>.yaml: a procedure several cases share (moving the scratch folder,
 * antivirus exclusions, deleting a server from the vault …), written once so it cannot drift.
 */
export const procedureSchema = z
  .object({
    id: kebabId,
    /** What it does, for maintainers and `kb list`: never shown on its own. */
    title: localizedText,
    steps: stepList,
    /** Where its facts come from (article sections, FAQ answers). */
    links: z.array(linkSchema).default([]),
  })
  .strict();
export type Procedure = z.infer<typeof procedureSchema>;

/**
 * knowledge/glossary.yaml: every label of a user interface a step names. Steps mark a label (or a
 * path of labels joined by " > ") in **bold** with its English text, as the console and the
 * portal often are English on a Dutch Windows; Dutch steps add the Dutch label in brackets
 * after it where a Dutch interface names it differently: "**Schedule Backup** (Back-up plannen)".
 */
export const glossarySchema = z
  .object({
    labels: z
      .array(
        z
          .object({
            en: text,
            /** The Dutch interface's label; absent where the Dutch interface keeps the English one. */
            nl: text.optional(),
            /** Where the label is seen: "MARS console", "Azure portal", "Task Scheduler" … */
            where: text,
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type Glossary = z.infer<typeof glossarySchema>;
export type FollowUpQuestion = z.infer<typeof followUpQuestion>;
export type FollowUpOption = z.infer<typeof followUpOption>;
export type LocalizedText = z.infer<typeof localizedText>;

/** knowledge/synonyms.yaml: groups of words that mean the same to the matcher. */
export const synonymsSchema = z
  .object({
    /** Each group is folded onto its first entry before matching. Entries may be several words. */
    groups: z.array(z.array(z.string().trim().min(1)).min(2)),
  })
  .strict();
export type Synonyms = z.infer<typeof synonymsSchema>;

/**
 * knowledge/out-of-scope.yaml: subjects people bring to the bot that are not about the MARS agent.
 * The matcher treats them as a class of their own, so they win over a weak topic match.
 */
export const outOfScopeSchema = z
  .object({
    subjects: z.array(
      z
        .object({
          id: kebabId,
          triggers: localizedList,
          /**
           * Names of other products that settle it: a message naming one of these, and not the
           * MARS agent or one of its error ids, is about that product.
           */
          products: z.array(text).default([]),
          /** What the subject is, as the fallback names it ("Azure VM backup", "Microsoft Azure Backup Server (MABS) and DPM"). */
          name: localizedText.optional(),
          /** The Microsoft Learn page that does cover it, offered with the fallback. */
          link: z.object({ title: localizedText, url: z.url() }).strict().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type OutOfScope = z.infer<typeof outOfScopeSchema>;

/**
 * knowledge/intents.yaml: what people say that is not a troubleshooting question — greetings,
 * thanks, asking for help, asking for a human — and every other word the engine listens for.
 */
const intentPhrases = localizedList;
export const intentsSchema = z
  .object({
    greeting: intentPhrases,
    thanks: intentPhrases,
    help: intentPhrases,
    goodbye: intentPhrases,
    /** Asking for a person of our own support team (not Microsoft's: that is the contact-support topic). */
    escalate: intentPhrases,
    /**
     * "I already did every step": phrases that, anywhere in a message, point to the topic that
     * says what to do when the article's steps are exhausted.
     */
    stepsExhausted: z
      .object({
        topic: kebabId,
        nl: z.array(text).min(1),
        en: z.array(text).min(1),
        /**
         * Words that name the troubleshooting article itself ("the article", "the troubleshooting doc").
         * Every step *of the article* done for an error id is the article's own case for contacting
         * support, so next to those words the phrases above outweigh an error id of ours.
         */
        article: localizedList,
      })
      .strict(),
    /** The conversation engine's words (yes, no, "didn't help", "something else" …): see dialogue-schema.ts. */
    dialogue: dialogueSchema,
  })
  .strict();
export type Intents = z.infer<typeof intentsSchema>;
