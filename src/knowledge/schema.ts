import { z } from 'zod';

/**
 * The shape of one knowledge file (knowledge/topics/<id>.yaml).
 * Every user-facing text exists in Dutch and English, so the bot can answer in either.
 */

export const LANGS = ['nl', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const text = z.string().trim().min(1);
export const localizedText = z.object({ nl: text, en: text }).strict();
export const localizedList = z.object({ nl: z.array(text).min(1), en: z.array(text).min(1) }).strict();
const optionalLocalizedList = z
  .object({ nl: z.array(text).default([]), en: z.array(text).default([]) })
  .strict();

const kebabId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9 and dashes)');

export const SOURCE_VERSIONS = ['nl-NL-2019', 'en-US-current', 'nl-NL-2021'] as const;

export const sourceRef = z
  .object({
    version: z.enum(SOURCE_VERSIONS),
    /** The section heading exactly as it stands in that version of the article. */
    section: text,
    /** The heading's anchor in the published page (e.g. "invalid-vault-credentials-provided"). */
    anchor: kebabId,
  })
  .strict();

export const caseSchema = z
  .object({
    id: kebabId,
    title: localizedText,
    /** When this cause applies, in a sentence the admin recognises. */
    when: localizedText,
    /** Phrases in a message that point at this cause rather than another one of the topic. */
    triggers: optionalLocalizedList.default({ nl: [], en: [] }),
    steps: localizedList,
  })
  .strict();

export const followUpOption = z
  .object({
    id: kebabId,
    label: localizedText,
    /** Words a typed answer may contain to pick this option ("ja", "yes", "proxy"). */
    answers: optionalLocalizedList.default({ nl: [], en: [] }),
    /** The case this answer identifies … */
    case: kebabId.optional(),
    /** … or the next question to ask. */
    next: kebabId.optional(),
  })
  .strict()
  .refine((o) => (o.case === undefined) !== (o.next === undefined), {
    message: 'an option leads either to a case or to a next question, exactly one of them',
  });

export const followUpQuestion = z
  .object({
    id: kebabId,
    question: localizedText,
    options: z.array(followUpOption).min(2).max(5),
  })
  .strict();

export const linkSchema = z.object({ title: localizedText, url: z.string().url() }).strict();

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
    /** Where the versions of the article disagree: the current fact and what changed. */
    changes: localizedText.optional(),
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
    topic.followUps.forEach((q, qi) =>
      q.options.forEach((o, oi) => {
        if (o.case && !caseIds.has(o.case)) {
          ctx.addIssue({ code: 'custom', path: ['followUps', qi, 'options', oi, 'case'], message: `unknown case "${o.case}"` });
        }
        if (o.next && !questionIds.has(o.next)) {
          ctx.addIssue({ code: 'custom', path: ['followUps', qi, 'options', oi, 'next'], message: `unknown question "${o.next}"` });
        }
      }),
    );
  });

export type Topic = z.infer<typeof topicSchema>;
export type TopicCase = z.infer<typeof caseSchema>;
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
          link: z.object({ title: localizedText, url: z.string().url() }).strict().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type OutOfScope = z.infer<typeof outOfScopeSchema>;

/**
 * knowledge/intents.yaml: what people say that is not a troubleshooting question — greetings,
 * thanks, asking for help, asking for a human. Whole-message phrases, matched after normalisation.
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
    stepsExhausted: z.object({ topic: kebabId, nl: z.array(text).min(1), en: z.array(text).min(1) }).strict(),
  })
  .strict();
export type Intents = z.infer<typeof intentsSchema>;
