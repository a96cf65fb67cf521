import { z } from 'zod';
import { EMAIL_MAX_CHARS } from '../shared/email';
import { LANGS } from '../shared/lang';
import type { ActionPayload } from './reply';

/**
 * The one schema for what comes back when a button is pressed. Whatever the platform (an Adaptive
 * Card submit in Teams or the web chat, a Slack button value), the payload is untrusted client input:
 * the channel adapters parse it with this, never cast it, and the caps are the same everywhere.
 */

/** Longest escalation description a form may send (the card's input says so too). */
export const DESCRIPTION_MAX_CHARS = 4_000;
/** Longest name a form may send for the person behind a ticket. */
export const NAME_MAX_CHARS = 100;
/** Ids of topics, questions, options and tickets are short; nothing longer is one of ours. */
const ID_MAX_CHARS = 200;

const URGENCIES = ['low', 'normal', 'high'] as const;
export const urgencySchema = z.enum(URGENCIES);

const id = z.string().max(ID_MAX_CHARS);
const actionPayloadSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choose-topic'), topic: id }),
  z.object({ type: z.literal('follow-up'), topic: id, question: id, option: id }),
  z.object({ type: z.literal('solved'), topic: id, case: id.nullable(), solved: z.boolean(), escalate: z.literal(true).optional() }),
  z.object({ type: z.literal('feedback'), topic: id.nullable(), helpful: z.boolean() }),
  z.object({ type: z.literal('escalate') }),
  z.object({ type: z.literal('something-else') }),
  z.object({
    type: z.literal('escalate-submit'),
    description: z.string().max(DESCRIPTION_MAX_CHARS),
    urgency: urgencySchema,
    name: z.string().max(NAME_MAX_CHARS).optional(),
    email: z.string().max(EMAIL_MAX_CHARS).optional(),
  }),
  z.object({ type: z.literal('set-lang'), lang: z.enum(LANGS) }),
  z.object({ type: z.literal('ticket-claim'), ticket: id }),
  z.object({ type: z.literal('ticket-resolve'), ticket: id }),
]);

// Compile-time check that the schema and the shared ActionPayload type stay in step.
type Parsed = z.infer<typeof actionPayloadSchema>;
const sameShape: [Parsed] extends [ActionPayload] ? ([ActionPayload] extends [Parsed] ? true : false) : false = true;
// eslint-disable-next-line @typescript-eslint/no-unused-expressions -- the statement is there for its type only
sameShape;

/** An ActionPayload from anywhere (a card submit, a button value); undefined when it is not one. */
export function parseActionPayload(value: unknown): ActionPayload | undefined {
  const result = actionPayloadSchema.safeParse(value);
  return result.success ? result.data : undefined;
}
