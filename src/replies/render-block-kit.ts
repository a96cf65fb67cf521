import type { types } from '@slack/bolt';
import { z } from 'zod';
import { LANGS, type Lang } from '../knowledge/schema';
import { t } from '../shared/i18n';
import type { ActionPayload, Reply, ReplyButton, ReplyForm } from './reply';

/**
 * Reply → Slack Block Kit. One reply becomes one message: blocks plus a plain `text` that Slack
 * shows in notifications and screen readers. Slack rejects a whole message when one limit is
 * exceeded, so every limit is enforced here by truncating, never by throwing.
 */

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  actionsElements: 25,
  buttonValue: 2000,
  blockId: 255,
  fallbackText: 3000,
  /** The `text` of a whole message; one reply's fallback stays within fallbackText. */
  messageText: 40000,
  modalTitle: 24,
  modalButton: 24,
  inputLabel: 2000,
  placeholder: 150,
  optionText: 75,
  privateMetadata: 3000,
  descriptionMax: 3000,
} as const;

/** Buttons whose value is a JSON ActionPayload for the engine. */
export const ACTION_ID_PREFIX = 'marsbot:';
/** The button that opens the escalation modal; its value carries the form, not an ActionPayload. */
export const FORM_ACTION_ID_PREFIX = 'marsbot-form:';
export const ESCALATION_CALLBACK_ID = 'marsbot_escalation';
export const ESCALATION_BLOCKS = { description: 'description', urgency: 'urgency' } as const;

// Interactive blocks carry the conversation they belong to, so a click finds its conversation even
// where Slack's payload lacks the thread (ephemeral messages, the support channel).
const BLOCK_ID_PREFIX = 'mb~';

export interface BlockKitMessage {
  text: string;
  blocks: types.KnownBlock[];
}

export interface RenderOptions {
  /** Stamped into the block ids of interactive blocks; read back with conversationFromBlockId. */
  conversationId?: string;
  /**
   * Prefixes this reply's action and block ids, so several replies can share one message: Slack
   * refuses a message whose ids repeat. No "~" (it separates the conversation in block ids).
   */
  idScope?: string;
}

const ELLIPSIS = '…';

/** Escapes the three characters Slack treats as control sequences, so text cannot mention, link or ping. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Plain reply text → Slack mrkdwn: escaped, with the knowledge base's **bold** turned into Slack's
 * *bold* (`code` is the same in both). Nothing else in the text gains a meaning.
 */
export function toMrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*/g, '*$1*');
}

/** Cuts to at most `max` UTF-16 units with an ellipsis, without splitting a surrogate pair or an entity. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  let head = text.slice(0, end);
  // An escaped entity cut in half ("&am") would show as noise; drop the fragment.
  const amp = head.lastIndexOf('&');
  if (amp !== -1 && amp >= head.length - 5 && !head.slice(amp).includes(';')) head = head.slice(0, amp);
  return head + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max) || ' ', emoji: true };
}

function mrkdwnSection(escaped: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(escaped, SLACK_LIMITS.sectionText) } };
}

function context(escaped: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(escaped, SLACK_LIMITS.sectionText) }] };
}

/** Greedily packs lines into chunks of at most `max` characters; a single over-long line is truncated. */
function pack(lines: string[], separator: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current === '') current = line;
    else if (current.length + separator.length + line.length <= max) current += separator + line;
    else {
      chunks.push(current);
      current = line;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

function chunkList<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function encodeActionValue(action: ActionPayload): string {
  return JSON.stringify(action);
}

const urgency = z.enum(['low', 'normal', 'high']);
const actionPayloadSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('choose-topic'), topic: z.string() }),
  z.object({ type: z.literal('follow-up'), topic: z.string(), question: z.string(), option: z.string() }),
  z.object({ type: z.literal('solved'), topic: z.string(), case: z.string().nullable(), solved: z.boolean() }),
  z.object({ type: z.literal('feedback'), topic: z.string().nullable(), helpful: z.boolean() }),
  z.object({ type: z.literal('escalate') }),
  z.object({ type: z.literal('something-else') }),
  z.object({ type: z.literal('escalate-submit'), description: z.string(), urgency }),
  z.object({ type: z.literal('set-lang'), lang: z.enum(LANGS) }),
  z.object({ type: z.literal('ticket-claim'), ticket: z.string() }),
  z.object({ type: z.literal('ticket-resolve'), ticket: z.string() }),
]) satisfies z.ZodType<ActionPayload>;

/** Reads a button value back; anything that is not a well-formed ActionPayload gives undefined. */
export function decodeActionValue(value: string | undefined): ActionPayload | undefined {
  if (!value) return undefined;
  try {
    const parsed = actionPayloadSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const formSchema = z.object({
  l: z.enum(LANGS),
  f: z.object({
    id: z.literal('escalation'),
    descriptionLabel: z.string(),
    descriptionPlaceholder: z.string(),
    urgencyLabel: z.string(),
    urgencyOptions: z.array(z.object({ value: urgency, label: z.string() })).min(1),
    submitLabel: z.string(),
  }),
});

/** The form button's value: the form itself, its texts clamped so the value stays under Slack's 2,000 characters. */
export function encodeFormValue(form: ReplyForm, lang: Lang): string {
  const clamped: ReplyForm = {
    id: form.id,
    descriptionLabel: truncate(form.descriptionLabel, 400),
    descriptionPlaceholder: truncate(form.descriptionPlaceholder, SLACK_LIMITS.placeholder),
    urgencyLabel: truncate(form.urgencyLabel, 400),
    urgencyOptions: form.urgencyOptions.slice(0, 3).map((o) => ({ value: o.value, label: truncate(o.label, SLACK_LIMITS.optionText) })),
    submitLabel: truncate(form.submitLabel, SLACK_LIMITS.modalButton),
  };
  return JSON.stringify({ l: lang, f: clamped });
}

export function decodeFormValue(value: string | undefined): { form: ReplyForm; lang: Lang } | undefined {
  if (!value) return undefined;
  try {
    const parsed = formSchema.safeParse(JSON.parse(value));
    return parsed.success ? { form: parsed.data.f, lang: parsed.data.l } : undefined;
  } catch {
    return undefined;
  }
}

/** The conversation an interactive block was rendered for, if it was stamped with one. */
export function conversationFromBlockId(blockId: string | undefined): string | undefined {
  if (!blockId?.startsWith(BLOCK_ID_PREFIX)) return undefined;
  const rest = blockId.slice(BLOCK_ID_PREFIX.length);
  const sep = rest.indexOf('~');
  const conversation = sep === -1 ? '' : rest.slice(sep + 1);
  return conversation === '' ? undefined : conversation;
}

function linkTo(url: string, label: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeMrkdwn(label);
  // Inside <url|label> a "|" or ">" would end the link early: percent-encode them in the url.
  const safeUrl = url.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/&/g, '&amp;').replace(/\s/g, '%20');
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

export function renderBlockKit(reply: Reply, options: RenderOptions = {}): BlockKitMessage {
  let actionCounter = 0;
  let interactiveCounter = 0;
  const scope = (options.idScope ?? '').replace(/~/g, '-');
  const nextActionId = (prefix: string): string => `${prefix}${scope}${actionCounter++}`;
  const blockId = (): string | undefined => {
    if (!options.conversationId) return undefined;
    const id = `${BLOCK_ID_PREFIX}${scope}${interactiveCounter++}~${options.conversationId}`;
    return id.length <= SLACK_LIMITS.blockId ? id : undefined;
  };
  const withBlockId = <B extends types.ActionsBlock | types.ContextActionsBlock>(block: B): B => {
    const id = blockId();
    return id ? { ...block, block_id: id } : block;
  };

  const button = (b: ReplyButton): types.Button | undefined => {
    const value = encodeActionValue(b.action);
    if (value.length > SLACK_LIMITS.buttonValue) return undefined;
    return {
      type: 'button',
      action_id: nextActionId(ACTION_ID_PREFIX),
      text: plain(b.label, SLACK_LIMITS.buttonText),
      value,
      ...(b.style ? { style: b.style } : {}),
    };
  };
  const actionBlocks = (buttons: ReplyButton[]): types.ActionsBlock[] =>
    chunkList(
      buttons.map(button).filter((b): b is types.Button => b !== undefined),
      SLACK_LIMITS.actionsElements,
    ).map((elements) => withBlockId({ type: 'actions', elements }));

  // The tail (questions, buttons, small print) is what makes a reply actionable: it is kept whole,
  // and the body (paragraphs, steps) gets the blocks that remain.
  const head: types.KnownBlock[] = [];
  if (reply.title?.trim()) head.push({ type: 'header', text: plain(reply.title.trim(), SLACK_LIMITS.headerText) });

  const tail: types.KnownBlock[] = [];
  if (reply.prompt?.trim()) tail.push(mrkdwnSection(toMrkdwn(reply.prompt.trim())));
  if (reply.choices?.length) tail.push(...actionBlocks(reply.choices).slice(0, 4));
  if (reply.form) {
    tail.push(
      withBlockId({
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: nextActionId(FORM_ACTION_ID_PREFIX),
            text: plain(t(reply.lang, 'slack:form.open'), SLACK_LIMITS.buttonText),
            style: 'primary',
            value: encodeFormValue(reply.form, reply.lang),
          },
        ],
      }),
    );
  }
  if (reply.actions?.length) tail.push(...actionBlocks(reply.actions).slice(0, 2));
  if (reply.feedback) {
    const { topic, prompt, yesLabel, noLabel } = reply.feedback;
    if (prompt.trim()) tail.push(context(toMrkdwn(prompt.trim())));
    tail.push(
      withBlockId({
        type: 'context_actions',
        elements: [
          {
            type: 'feedback_buttons',
            action_id: nextActionId(ACTION_ID_PREFIX),
            positive_button: {
              text: plain(yesLabel, SLACK_LIMITS.buttonText),
              accessibility_label: truncate(yesLabel, SLACK_LIMITS.buttonText),
              value: encodeActionValue({ type: 'feedback', topic, helpful: true }),
            },
            negative_button: {
              text: plain(noLabel, SLACK_LIMITS.buttonText),
              accessibility_label: truncate(noLabel, SLACK_LIMITS.buttonText),
              value: encodeActionValue({ type: 'feedback', topic, helpful: false }),
            },
          },
        ],
      }),
    );
  }
  if (reply.source) tail.push(context(linkTo(reply.source.url, reply.source.label)));
  if (reply.footer?.trim()) tail.push(context(toMrkdwn(reply.footer.trim())));

  const paragraphs = (reply.text ?? []).map((p) => p.trim()).filter(Boolean).map(toMrkdwn);
  const steps = (reply.steps ?? []).map((s, i) => `${i + 1}. ${toMrkdwn(s.trim())}`);
  let body = [
    ...pack(paragraphs, '\n\n', SLACK_LIMITS.sectionText),
    ...pack(steps, '\n', SLACK_LIMITS.sectionText),
  ];
  const room = Math.max(0, SLACK_LIMITS.blocks - head.length - tail.length);
  if (body.length > room) {
    body = body.slice(0, room);
    if (body.length > 0) {
      const last = body.length - 1;
      body[last] = truncate(body[last]!, SLACK_LIMITS.sectionText - ELLIPSIS.length) + ELLIPSIS;
    }
  }

  const blocks = [...head, ...body.map(mrkdwnSection), ...tail].slice(0, SLACK_LIMITS.blocks);
  return { text: fallbackText(reply), blocks };
}

/** What a notification or a client without Block Kit shows: the gist, escaped like the blocks. */
function fallbackText(reply: Reply): string {
  const parts = [reply.title, ...(reply.text ?? []), reply.prompt].map((p) => p?.trim()).filter((p): p is string => !!p);
  if (parts.length === 0 && reply.steps?.length) parts.push(reply.steps[0]!);
  if (parts.length === 0 && reply.choices?.length) parts.push(reply.choices.map((c) => c.label).join(' / '));
  if (parts.length === 0 && reply.footer) parts.push(reply.footer);
  const text = truncate(toMrkdwn(parts.join('\n')), SLACK_LIMITS.fallbackText);
  return text || '…';
}

/** The escalation form as a modal: a description and an urgency, submitted as escalate-submit. */
export function renderEscalationModal(form: ReplyForm, lang: Lang, privateMetadata: string): types.ModalView {
  const options = form.urgencyOptions.map((o) => ({ text: plain(o.label, SLACK_LIMITS.optionText), value: o.value }));
  const initial = options.find((o) => o.value === 'normal') ?? options[0];
  return {
    type: 'modal',
    callback_id: ESCALATION_CALLBACK_ID,
    title: plain(t(lang, 'slack:form.modalTitle'), SLACK_LIMITS.modalTitle),
    submit: plain(form.submitLabel, SLACK_LIMITS.modalButton),
    close: plain(t(lang, 'slack:form.cancel'), SLACK_LIMITS.modalButton),
    private_metadata: privateMetadata.length <= SLACK_LIMITS.privateMetadata ? privateMetadata : '',
    blocks: [
      {
        type: 'input',
        block_id: ESCALATION_BLOCKS.description,
        label: plain(form.descriptionLabel, SLACK_LIMITS.inputLabel),
        element: {
          type: 'plain_text_input',
          action_id: ESCALATION_BLOCKS.description,
          multiline: true,
          max_length: SLACK_LIMITS.descriptionMax,
          ...(form.descriptionPlaceholder.trim()
            ? { placeholder: plain(form.descriptionPlaceholder, SLACK_LIMITS.placeholder) }
            : {}),
        },
      },
      {
        type: 'input',
        block_id: ESCALATION_BLOCKS.urgency,
        label: plain(form.urgencyLabel, SLACK_LIMITS.inputLabel),
        element: {
          type: 'static_select',
          action_id: ESCALATION_BLOCKS.urgency,
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
    ],
  };
}

type ViewStateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;

/** Reads the modal's inputs; the description is trimmed, the urgency defaults to normal. */
export function readEscalationSubmission(values: ViewStateValues): { description: string; urgency: 'low' | 'normal' | 'high' } {
  const description = values[ESCALATION_BLOCKS.description]?.[ESCALATION_BLOCKS.description]?.value ?? '';
  const picked = values[ESCALATION_BLOCKS.urgency]?.[ESCALATION_BLOCKS.urgency]?.selected_option?.value;
  const level = urgency.safeParse(picked);
  return { description: description.trim(), urgency: level.success ? level.data : 'normal' };
}
