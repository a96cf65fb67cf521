import type { types } from '@slack/bolt';
import type { Lang } from '../shared/lang';
import { t } from '../shared/i18n';
import { truncate as cutText } from '../shared/truncate';
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
export const BLOCK_ID_PREFIX = 'mb~';

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
/** Choices shown as sections of their own: a question never has more (the card shows 12 buttons at most). */
const MAX_CHOICE_SECTIONS = 12;

/** Escapes the three characters Slack treats as control sequences, so text cannot mention, link or ping. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Plain reply text → Slack mrkdwn: escaped, with the knowledge base's **bold** turned into Slack's
 * *bold* (`code` is the same in both). Nothing else in the text gains a meaning.
 */
function toMrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*/g, '*$1*');
}

/** Slack text cut to a limit: whole characters, whole entities, "…" at the end. */
export function truncate(text: string, max: number): string {
  return cutText(text, max, { wholeEntities: true });
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

function encodeActionValue(action: ActionPayload): string {
  return JSON.stringify(action);
}

/** The form button's value: the form itself, its texts clamped so the value stays under Slack's 2,000 characters. */
function encodeFormValue(form: ReplyForm, lang: Lang): string {
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
  const withBlockId = <B extends types.ActionsBlock | types.ContextActionsBlock | types.SectionBlock>(block: B): B => {
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
  /**
   * Choices whose text would not fit on a button (Slack cuts a button at 75 characters): one section
   * per choice with its whole text, and a short button beside it that picks it.
   */
  const choiceSections = (choices: ReplyButton[]): types.SectionBlock[] =>
    choices.flatMap((choice) => {
      const picker = button({ ...choice, label: t(reply.lang, 'slack:choose') });
      if (!picker) return [];
      return [withBlockId({ type: 'section', text: { type: 'mrkdwn', text: truncate(toMrkdwn(choice.label), SLACK_LIMITS.sectionText) }, accessory: picker })];
    });
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
  if (reply.choices?.length) {
    const fitOnButtons = reply.choices.every((choice) => choice.label.length <= SLACK_LIMITS.buttonText);
    tail.push(...(fitOnButtons ? actionBlocks(reply.choices).slice(0, 4) : choiceSections(reply.choices.slice(0, MAX_CHOICE_SECTIONS))));
  }
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
