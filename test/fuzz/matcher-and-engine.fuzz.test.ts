import fc from 'fast-check';
import { z } from 'zod';
import { buildAskReply } from '../../src/cli/ask-reply';
import { createEngine } from '../../src/conversation/create-engine';
import { loadKnowledge } from '../../src/knowledge/load-knowledge';
import { renderAdaptiveCard } from '../../src/replies/render-adaptive-card';
import { renderBlockKit } from '../../src/replies/render-block-kit';
import { renderText } from '../../src/replies/render-text';
import { createMemoryStore } from '../../src/storage/memory-store';
import { createMatcher } from '../../src/understanding/create-matcher';

/**
 * Whatever people paste into a chat — any Unicode, lone surrogates, direction marks, binary read
 * as text, nested Markdown and Slack markup, megabytes of log, text built to make regexes
 * backtrack — the matcher and the engine answer with a well-formed reply and never throw.
 *
 * Budget (2 cores, < 60 s): the matcher sees 10,000 generated messages, the engine 2,000 (each
 * with its own memory store, and the reply rendered for Teams, Slack and the CLI).
 */

const MATCHER_RUNS = 10_000;
const ENGINE_RUNS = 2_000;

const knowledge = loadKnowledge();
const matcher = createMatcher(knowledge);
const topicIds = new Set(knowledge.topics.map((t) => t.id));
const factIds = new Set(knowledge.facts.map((f) => f.id));

// --- The contracts -------------------------------------------------------------------------------

const lang = z.enum(['nl', 'en']);

/** `marsbot ask --json` (test/eval/README.md, our copy of the contract). */
const askReplySchema = z
  .object({
    kind: z.enum(['answer', 'clarify', 'fallback', 'info', 'escalate', 'smalltalk']),
    info: z.string().min(1).nullable(),
    topic: z.string().min(1).nullable(),
    case: z.string().min(1).nullable(),
    candidates: z.array(z.object({ topic: z.string().min(1), score: z.number() })),
    confidence: z.number().min(0).max(1),
    lang,
    errorIds: z.array(z.string().min(1)),
    title: z.string().min(1),
    steps: z.array(z.string().min(1)),
    followUps: z.array(z.object({ id: z.string().min(1), label: z.string().min(1) })),
    prompt: z.string().optional(),
    smalltalk: z.string().optional(),
    answer: z.string().min(1).optional(),
    link: z.object({ label: z.string().min(1), url: z.url() }).strict().optional(),
    subject: z.string().min(1).optional(),
  })
  .strict()
  .refine((r) => r.kind !== 'answer' || (r.topic !== null && topicIds.has(r.topic) && r.steps.length > 0), 'an answer names a known topic and has steps')
  .refine((r) => r.kind === 'answer' || r.topic === null, 'only an answer has a topic')
  .refine((r) => (r.kind === 'info') === (r.info !== null && factIds.has(r.info) && r.answer !== undefined && r.link !== undefined), 'an info reply names a known fact, with its text and link');

const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choose-topic'), topic: z.string() }),
  z.object({ type: z.literal('follow-up'), topic: z.string(), question: z.string(), option: z.string() }),
  z.object({ type: z.literal('solved'), topic: z.string(), case: z.string().nullable(), solved: z.boolean(), escalate: z.literal(true).optional() }).strict(),
  z.object({ type: z.literal('feedback'), topic: z.string().nullable(), helpful: z.boolean() }),
  z.object({ type: z.literal('escalate') }),
  z.object({ type: z.literal('something-else') }),
  z.object({ type: z.literal('escalate-submit'), description: z.string(), urgency: z.enum(['low', 'normal', 'high']) }),
  z.object({ type: z.literal('set-lang'), lang }),
  z.object({ type: z.literal('ticket-claim'), ticket: z.string() }),
  z.object({ type: z.literal('ticket-resolve'), ticket: z.string() }),
]);
const buttonSchema = z.object({ id: z.string().min(1), label: z.string().min(1), action: actionSchema, style: z.enum(['primary', 'danger']).optional() }).strict();

/** The channel-neutral Reply (src/replies/reply.ts). */
const replySchema = z
  .object({
    kind: z.enum(['answer', 'question', 'clarify', 'fallback', 'info', 'smalltalk', 'escalate', 'notice']),
    lang,
    title: z.string().optional(),
    text: z.array(z.string()).optional(),
    steps: z.array(z.string().min(1)).optional(),
    prompt: z.string().optional(),
    choices: z.array(buttonSchema).optional(),
    reprompt: z.literal(true).optional(),
    actions: z.array(buttonSchema).optional(),
    form: z
      .object({
        id: z.literal('escalation'),
        descriptionLabel: z.string(),
        descriptionPlaceholder: z.string(),
        urgencyLabel: z.string(),
        urgencyOptions: z.array(z.object({ value: z.enum(['low', 'normal', 'high']), label: z.string() })),
        submitLabel: z.string(),
      })
      .optional(),
    source: z.object({ label: z.string(), url: z.url() }).optional(),
    footer: z.string().optional(),
  })
  .strict()
  .refine((r) => Boolean(r.title || r.text?.length || r.steps?.length || r.prompt || r.form), 'a reply says something');

function expectValid<T>(schema: z.ZodType<T>, value: unknown, input: string): void {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(`invalid reply for input ${JSON.stringify(input.slice(0, 200))}:\n${z.prettifyError(result.error)}\n${JSON.stringify(value).slice(0, 1000)}`);
  }
}

// --- What people paste ---------------------------------------------------------------------------

const REAL_FRAGMENTS = [
  'Error 34513', '(ID: 34506)', 'ID: 100050', '0x1FC07', '[0x80070005]', 'SalLowDiskSpace', 'SalChecksumStore…', '345O6', '(407) Proxy Authentication Required',
  'Invalid vault credentials provided', 'De kluisreferenties zijn ongeldig', 'geplande back-up draait niet', 'scheduled backup not running',
  'The encryption passphrase stored on this computer is not correctly configured', 'wachtwoordzin', 'proxy', 'Sophos', 'MARS agent',
  'hallo', 'thanks', 'help', 'escaleer', 'in English please', 'Windows Server 2019', '03-02-2024 10:15:22', 'C:\\Program Files\\Microsoft Azure Recovery Services Agent\\Temp',
];
const MARKUP = ['**', '__', '*', '_', '~', '`', '```', '> ', '# ', '- ', '1. ', '<@U012AB>', '<!channel>', '<!here>', '<http://evil.example|x>', '[x](https://evil.example)', '![i](x.png)', '<at>bot</at>', '&amp;', '&lt;', '\\', '|', '<b>', '</b>', '<script>'];
const MARKS = ['\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u061C', '\u200B', '\u200C', '\u200D', '\uFEFF', '\u00AD', '\u0000', '\u001B[31m', '\r\n', '\t', '\u2028', '\u2029'];
const SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE00', '😀', '👨‍👩‍👧‍👦', '🏳️‍🌈'];

/** Text shaped to hurt backtracking regexes: long runs of what patterns repeat, with a twist at the end. */
const adversarial = fc
  .tuple(
    fc.constantFrom('a', '0', '1', 'x', ' ', '=', '-', '.', ':', 'ID: ', '0x', '3451', '(', ')', '[', '*', '_', 'password: ', 'Bearer ', 'eyJ', '<', 'https://', '%', 'ab', 'sv=', '&sig='),
    fc.integer({ min: 100, max: 5_000 }),
    fc.constantFrom('', '!', '\u0000', 'X', ')', ']', '>', '\n', '€'),
  )
  .map(([unit, times, tail]) => unit.repeat(times) + tail);

const binary = fc.uint8Array({ maxLength: 3_000 }).chain((bytes) =>
  fc.constantFrom(Buffer.from(bytes).toString('latin1'), Buffer.from(bytes).toString('utf8'), Buffer.from(bytes).toString('utf16le')),
);

const huge = fc
  .tuple(fc.oneof(fc.constantFrom(...REAL_FRAGMENTS), fc.string({ minLength: 1, maxLength: 30 })), fc.integer({ min: 2_000, max: 40_000 }))
  .map(([unit, times]) => `${unit} `.repeat(times));

const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }) },
  { weight: 6, arbitrary: fc.constantFrom(...REAL_FRAGMENTS) },
  { weight: 4, arbitrary: fc.constantFrom(...MARKUP) },
  { weight: 3, arbitrary: fc.constantFrom(...MARKS) },
  { weight: 2, arbitrary: fc.constantFrom(...SURROGATES) },
  { weight: 1, arbitrary: binary },
  { weight: 1, arbitrary: adversarial },
);

/** Markup wrapped around markup: **_`<@U1> [a](b)`_** and deeper. */
const nested: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...REAL_FRAGMENTS, 'x'),
    fc.tuple(fc.constantFrom(...MARKUP), tie('node'), fc.constantFrom(...MARKUP)).map(([open, inner, close]) => open + inner + close),
    fc.tuple(tie('node'), tie('node')).map(([a, b]) => `${a} ${b}`),
  ),
})).node;

// About 1 in 50 messages is a huge paste: each costs the matcher ~100 ms (it reads the first 8,000 characters).
const message = fc.oneof(
  { weight: 40, arbitrary: fc.array(fragment, { maxLength: 8 }).map((parts) => parts.join(' ')) },
  { weight: 6, arbitrary: nested },
  { weight: 3, arbitrary: adversarial },
  { weight: 3, arbitrary: binary },
  { weight: 1, arbitrary: huge },
);

// --- The properties ------------------------------------------------------------------------------

describe('fuzzing the matcher and the engine', () => {
  it(`the matcher understands ${MATCHER_RUNS.toLocaleString('en')} generated messages, each with a valid ask reply`, () => {
    fc.assert(
      fc.property(message, fc.constantFrom(undefined, 'nl' as const, 'en' as const), (text, preferredLang) => {
        const understanding = matcher.understand(text, { preferredLang });
        expectValid(askReplySchema, buildAskReply(knowledge, understanding), text);
      }),
      { numRuns: MATCHER_RUNS },
    );
  });

  it(`the engine answers ${ENGINE_RUNS.toLocaleString('en')} generated messages with valid replies that every channel can render`, async () => {
    await fc.assert(
      fc.asyncProperty(message, fc.constantFrom(undefined, 'nl-NL', 'en-US', 'de-DE', '\u202E'), async (text, locale) => {
        const engine = createEngine({ knowledge, matcher, conversations: createMemoryStore(), defaultLang: 'nl' });
        const replies = await engine.handle({ channel: 'web', conversationId: 'fuzz-conversation', userId: 'fuzz-user', userName: text.slice(0, 40), kind: 'message', text, locale });
        expect(replies.length).toBeGreaterThan(0);
        for (const reply of replies) {
          expectValid(replySchema, reply, text);
          expect(JSON.stringify(renderAdaptiveCard(reply)).length).toBeLessThan(28_000);
          expect(renderBlockKit(reply, { conversationId: 'D1' }).blocks.length).toBeLessThanOrEqual(50);
          expect(typeof renderText(reply)).toBe('string');
        }
      }),
      { numRuns: ENGINE_RUNS },
    );
  });
});
