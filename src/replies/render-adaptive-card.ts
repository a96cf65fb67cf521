import { z } from 'zod';
import { LANGS, type Lang } from '../knowledge/schema';
import { t } from '../shared/i18n';
import type { ActionPayload, Reply, ReplyButton, ReplyForm } from './reply';

/**
 * Reply → Adaptive Card 1.5, the format Teams and the web chat render.
 *
 * Every piece of text here is plain text from the engine, the knowledge base or the user. TextBlocks
 * interpret a Markdown subset (links, lists, headings), so such text goes into TextRuns, which never
 * do: a transcript line like "[click](https://evil)" shows exactly as typed. The two harmless marks the
 * knowledge base uses, **bold** and `code`, become bold and monospace runs. Only our own fixed
 * markup (step numbers) uses TextBlocks.
 */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Input ids of the escalation form; the client merges their values into the submit data. */
export const FORM_INPUT_IDS = { description: 'escalationDescription', urgency: 'escalationUrgency' } as const;

export type CardElement = Record<string, unknown> & { type: string };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  msteams?: { width: 'Full' };
}

export interface RenderOptions {
  /** Serialized size the card must stay under. Teams accepts ~28 KB per message including the envelope. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 24_000;
// Field caps keep one runaway string from eating the whole budget.
const MAX_PARAGRAPH_CHARS = 3_000;
const MAX_STEP_CHARS = 1_500;
const MAX_LABEL_CHARS = 120;
const MAX_STEPS = 40;
const MAX_BUTTONS = 12;
// Hosts show at most a handful of buttons per row set (the JS renderer's default is 5).
const BUTTONS_PER_SET = 5;
const DESCRIPTION_MAX_CHARS = 4_000;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function textRun(text: string, style: Record<string, unknown> = {}): CardElement {
  return { type: 'TextRun', text, ...style };
}

// One pass, no nesting, no backtracking: **bold** and `code` spans on one line.
const INLINE_MARKS = /\*\*([^*\n]+)\*\*|`([^`\n]+)`/g;

/** Text → TextRuns; only bold and code spans get a style, everything else stays literal. */
export function inlineRuns(text: string, style: Record<string, unknown> = {}): CardElement[] {
  const runs: CardElement[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE_MARKS)) {
    const index = match.index ?? 0;
    if (index > last) runs.push(textRun(text.slice(last, index), style));
    if (match[1] !== undefined) runs.push(textRun(match[1], { ...style, weight: 'Bolder' }));
    else runs.push(textRun(match[2]!, { ...style, fontType: 'Monospace' }));
    last = index + match[0].length;
  }
  if (last < text.length || runs.length === 0) runs.push(textRun(text.slice(last), style));
  return runs;
}

function plainBlock(text: string, style: Record<string, unknown> = {}, spacing?: string): CardElement {
  return { type: 'RichTextBlock', inlines: inlineRuns(text, style), ...(spacing ? { spacing } : {}) };
}

function submitData(action: ActionPayload): { marsbot: ActionPayload } {
  return { marsbot: action };
}

function submitAction(button: ReplyButton): CardElement {
  return {
    type: 'Action.Submit',
    id: button.id,
    title: cut(button.label, MAX_LABEL_CHARS),
    data: submitData(button.action),
    ...(button.style === 'primary' ? { style: 'positive' } : button.style === 'danger' ? { style: 'destructive' } : {}),
  };
}

function actionSets(actions: CardElement[]): CardElement[] {
  const sets: CardElement[] = [];
  for (let i = 0; i < actions.length; i += BUTTONS_PER_SET) {
    sets.push({ type: 'ActionSet', actions: actions.slice(i, i + BUTTONS_PER_SET) });
  }
  return sets;
}

function stepRows(steps: string[]): CardElement[] {
  return steps.map((step, index) => ({
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      {
        type: 'Column',
        width: 'auto',
        items: [{ type: 'TextBlock', text: `${index + 1}.`, weight: 'Bolder', wrap: false }],
      },
      { type: 'Column', width: 'stretch', items: [plainBlock(cut(step, MAX_STEP_CHARS))] },
    ],
  }));
}

function formElements(form: ReplyForm, lang: Lang): CardElement[] {
  const options = form.urgencyOptions;
  const defaultUrgency = options.find((o) => o.value === 'normal')?.value ?? options[0]?.value;
  return [
    {
      type: 'Input.Text',
      id: FORM_INPUT_IDS.description,
      label: form.descriptionLabel,
      placeholder: form.descriptionPlaceholder,
      isMultiline: true,
      isRequired: true,
      errorMessage: t(lang, 'channels:card.descriptionRequired'),
      maxLength: DESCRIPTION_MAX_CHARS,
    },
    {
      type: 'Input.ChoiceSet',
      id: FORM_INPUT_IDS.urgency,
      label: form.urgencyLabel,
      isMultiSelect: false,
      ...(defaultUrgency ? { value: defaultUrgency } : {}),
      choices: options.map((o) => ({ title: o.label, value: o.value })),
    },
    {
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.Submit',
          id: `${form.id}-submit`,
          title: form.submitLabel,
          style: 'positive',
          associatedInputs: 'auto',
          data: { marsbot: { type: 'escalate-submit' } },
        },
      ],
    },
  ];
}

function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}

interface Content {
  text: string[];
  steps: string[];
  truncated: boolean;
}

function buildCard(reply: Reply, content: Content): AdaptiveCard {
  const body: CardElement[] = [];
  if (reply.title) body.push(plainBlock(cut(reply.title, 300), { weight: 'Bolder', size: 'Medium' }));
  for (const paragraph of content.text) body.push(plainBlock(paragraph));
  body.push(...stepRows(content.steps));
  if (content.truncated) {
    body.push(plainBlock(t(reply.lang, 'channels:card.truncated'), { isSubtle: true, italic: true, size: 'Small' }));
  }
  if (reply.source && isWebUrl(reply.source.url)) {
    body.push({
      type: 'RichTextBlock',
      spacing: 'Medium',
      inlines: [
        textRun(`${t(reply.lang, 'channels:card.source')} `, { size: 'Small', isSubtle: true }),
        textRun(cut(reply.source.label, 300), {
          size: 'Small',
          color: 'Accent',
          selectAction: { type: 'Action.OpenUrl', url: reply.source.url, title: cut(reply.source.label, 300) },
        }),
      ],
    });
  }
  if (reply.prompt) body.push(plainBlock(cut(reply.prompt, MAX_PARAGRAPH_CHARS), { weight: 'Bolder' }, 'Medium'));
  if (reply.choices?.length) body.push(...actionSets(reply.choices.slice(0, MAX_BUTTONS).map(submitAction)));
  if (reply.form) body.push(...formElements(reply.form, reply.lang));
  if (reply.feedback) {
    const { topic, prompt, yesLabel, noLabel } = reply.feedback;
    body.push(plainBlock(cut(prompt, MAX_LABEL_CHARS), { size: 'Small', isSubtle: true }, 'Medium'));
    body.push(
      ...actionSets([
        submitAction({ id: 'feedback-yes', label: `👍 ${yesLabel}`, action: { type: 'feedback', topic, helpful: true } }),
        submitAction({ id: 'feedback-no', label: `👎 ${noLabel}`, action: { type: 'feedback', topic, helpful: false } }),
      ]),
    );
  }
  if (reply.actions?.length) body.push(...actionSets(reply.actions.slice(0, MAX_BUTTONS).map(submitAction)));
  if (reply.footer) body.push(plainBlock(cut(reply.footer, MAX_PARAGRAPH_CHARS), { size: 'Small', isSubtle: true }, 'Medium'));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    msteams: { width: 'Full' },
  };
}

function byteSize(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** Renders one reply. Content beyond the size budget is dropped from the end, with a visible note. */
export function renderAdaptiveCard(reply: Reply, options: RenderOptions = {}): AdaptiveCard {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const allSteps = reply.steps ?? [];
  const content: Content = {
    text: (reply.text ?? []).map((p) => cut(p, MAX_PARAGRAPH_CHARS)),
    steps: allSteps.slice(0, MAX_STEPS),
    truncated: allSteps.length > MAX_STEPS,
  };
  let card = buildCard(reply, content);
  while (byteSize(card) > maxBytes && (content.steps.length > 0 || content.text.length > 0)) {
    // Steps go first (the later ones matter least); then paragraphs, keeping the first as long as possible.
    if (content.steps.length > 0) content.steps = content.steps.slice(0, -1);
    else content.text = content.text.slice(0, -1);
    content.truncated = true;
    card = buildCard(reply, content);
  }
  return card;
}

export function renderAdaptiveCards(replies: Reply[], options?: RenderOptions): AdaptiveCard[] {
  return replies.map((reply) => renderAdaptiveCard(reply, options));
}

/** A Bot Framework attachment carrying the card. */
export function toAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}

// What comes back from a card is untrusted client input: it is parsed, never cast.
const lang = z.enum(LANGS);
const shortText = z.string().max(200);
const urgency = z.enum(['low', 'normal', 'high']);
const actionPayloadSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choose-topic'), topic: shortText }),
  z.object({ type: z.literal('follow-up'), topic: shortText, question: shortText, option: shortText }),
  z.object({ type: z.literal('solved'), topic: shortText, case: shortText.nullable(), solved: z.boolean() }),
  z.object({ type: z.literal('feedback'), topic: shortText.nullable(), helpful: z.boolean() }),
  z.object({ type: z.literal('escalate') }),
  z.object({ type: z.literal('something-else') }),
  z.object({ type: z.literal('escalate-submit'), description: z.string().max(DESCRIPTION_MAX_CHARS), urgency }),
  z.object({ type: z.literal('set-lang'), lang }),
  z.object({ type: z.literal('ticket-claim'), ticket: shortText }),
  z.object({ type: z.literal('ticket-resolve'), ticket: shortText }),
]);

// Compile-time check that the schema and the shared ActionPayload type stay in step.
type Parsed = z.infer<typeof actionPayloadSchema>;
const sameShape: [Parsed] extends [ActionPayload] ? ([ActionPayload] extends [Parsed] ? true : false) : false = true;
void sameShape;

/** Parses an ActionPayload from anywhere (a card submit, a web request); undefined when it is not one. */
export function parseActionPayload(value: unknown): ActionPayload | undefined {
  const result = actionPayloadSchema.safeParse(value);
  return result.success ? result.data : undefined;
}

/**
 * Reads what a card submit sends back: the button's `{ marsbot: ActionPayload }` data, with the
 * escalation form's input values merged in by the client. Undefined when it is not ours or malformed.
 */
export function readCardSubmit(value: unknown): ActionPayload | undefined {
  if (typeof value === 'string') {
    try {
      return readCardSubmit(JSON.parse(value) as unknown);
    } catch {
      return undefined;
    }
  }
  if (!value || typeof value !== 'object') return undefined;
  const data = value as Record<string, unknown>;
  const marsbot = data['marsbot'];
  if (!marsbot || typeof marsbot !== 'object') return undefined;
  if ((marsbot as { type?: unknown }).type === 'escalate-submit') {
    const description = data[FORM_INPUT_IDS.description];
    const chosen = data[FORM_INPUT_IDS.urgency];
    return parseActionPayload({
      type: 'escalate-submit',
      description: typeof description === 'string' ? description.trim().slice(0, DESCRIPTION_MAX_CHARS) : '',
      urgency: urgency.safeParse(chosen).success ? chosen : 'normal',
    });
  }
  return parseActionPayload(marsbot);
}
