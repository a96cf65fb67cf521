import type { Lang } from '../shared/lang';
import { t } from '../shared/i18n';
import { truncate as cut } from '../shared/truncate';
import { EMAIL_MAX_CHARS, EMAIL_PATTERN } from '../shared/email';
import { DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS } from './action-payload';
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

const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Input ids of the escalation form; the client merges their values into the submit data. */
export const FORM_INPUT_IDS = { description: 'escalationDescription', urgency: 'escalationUrgency', name: 'escalationName', email: 'escalationEmail' } as const;

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
const MAX_LABEL_CHARS = 300;
const MAX_STEPS = 40;
const MAX_BUTTONS = 12;
// Hosts show at most a handful of buttons per row set (the JS renderer's default is 5).
const BUTTONS_PER_SET = 5;
/**
 * Longest title a button may carry. Teams renders an action's title on one line and cuts the rest
 * off ("De taak draait onder een ander account dan SYSTE…"); the host owns its HostConfig, so a card
 * cannot make the title wrap. Only our own short labels (Escalate, Send, Claim) go on buttons.
 */
export const BUTTON_TITLE_MAX_CHARS = 25;


function textRun(text: string, style: Record<string, unknown> = {}): CardElement {
  return { type: 'TextRun', text, ...style };
}

// One pass, no nesting, no backtracking: **bold** and `code` spans on one line.
const INLINE_MARKS = /\*\*([^*\n]+)\*\*|`([^`\n]+)`/g;

/** Text → TextRuns; only bold and code spans get a style, everything else stays literal. */
function inlineRuns(text: string, style: Record<string, unknown> = {}): CardElement[] {
  const runs: CardElement[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE_MARKS)) {
    const index = match.index;
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

/**
 * The choices of a question as a vertical list of full-width rows that wrap: each row is a container
 * the user taps, showing the option's whole text. A button title would be cut off in Teams and
 * pushed out of a narrow card; text in a container wraps on every host and width. The action's
 * title is what screen readers announce and what the web chat shows as the user's choice.
 */
function optionRows(choices: ReplyButton[]): CardElement[] {
  return choices.map((button, index) => ({
    type: 'Container',
    style: button.style === 'primary' ? 'accent' : 'emphasis',
    ...(index > 0 ? { spacing: 'Small' } : {}),
    selectAction: { type: 'Action.Submit', title: cut(button.label, MAX_LABEL_CHARS), data: submitData(button.action) },
    items: [{ type: 'RichTextBlock', inlines: inlineRuns(cut(button.label, MAX_LABEL_CHARS), { color: 'Accent', weight: 'Bolder' }) }],
  }));
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

/** Name and e-mail inputs, for a platform that does not say who the user is. Both required; the address is checked before it is sent. */
function contactInputs(form: ReplyForm): CardElement[] {
  const contact = form.contact;
  if (!contact) return [];
  return [
    {
      type: 'Input.Text',
      id: FORM_INPUT_IDS.name,
      label: contact.nameLabel,
      isRequired: true,
      errorMessage: contact.nameError,
      maxLength: NAME_MAX_CHARS,
      ...(form.values?.name ? { value: form.values.name } : {}),
    },
    {
      type: 'Input.Text',
      id: FORM_INPUT_IDS.email,
      label: contact.emailLabel,
      placeholder: contact.emailPlaceholder,
      style: 'Email',
      isRequired: true,
      regex: EMAIL_PATTERN,
      errorMessage: contact.emailError,
      maxLength: EMAIL_MAX_CHARS,
      ...(form.values?.email ? { value: form.values.email } : {}),
    },
  ];
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
      ...(form.values?.description ? { value: cut(form.values.description, DESCRIPTION_MAX_CHARS) } : {}),
    },
    {
      type: 'Input.ChoiceSet',
      id: FORM_INPUT_IDS.urgency,
      label: form.urgencyLabel,
      isMultiSelect: false,
      ...(defaultUrgency ? { value: defaultUrgency } : {}),
      choices: options.map((o) => ({ title: o.label, value: o.value })),
    },
    ...contactInputs(form),
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
  if (reply.choices?.length) body.push(...optionRows(reply.choices.slice(0, MAX_BUTTONS)));
  if (reply.form) body.push(...formElements(reply.form, reply.lang));
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

/** A Bot Framework attachment carrying the card. */
export function toAttachment(card: AdaptiveCard): { contentType: string; content: AdaptiveCard } {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
