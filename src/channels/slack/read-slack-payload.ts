import { z } from 'zod';
import { parseActionPayload, urgencySchema } from '../../replies/action-payload';
import { BLOCK_ID_PREFIX, ESCALATION_BLOCKS } from '../../replies/render-block-kit';
import type { ActionPayload, ReplyForm } from '../../replies/reply';
import { LANGS, type Lang } from '../../shared/lang';

/**
 * Reading back what Slack sends when someone clicks or submits: button values, the form button,
 * the conversation stamped into a block id, the modal's inputs. All of it is client input.
 */

/** A button value; anything that is not a well-formed ActionPayload gives undefined. */
export function decodeActionValue(value: string | undefined): ActionPayload | undefined {
  if (!value) return undefined;
  try {
    return parseActionPayload(JSON.parse(value) as unknown);
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
    urgencyOptions: z.array(z.object({ value: urgencySchema, label: z.string() })).min(1),
    submitLabel: z.string(),
  }),
});

/** The "open the form" button's value (see encodeFormValue). */
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

type ViewStateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;

/** Reads the modal's inputs; the description is trimmed, the urgency defaults to normal. */
export function readEscalationSubmission(values: ViewStateValues): { description: string; urgency: 'low' | 'normal' | 'high' } {
  const description = values[ESCALATION_BLOCKS.description]?.[ESCALATION_BLOCKS.description]?.value ?? '';
  const picked = values[ESCALATION_BLOCKS.urgency]?.[ESCALATION_BLOCKS.urgency]?.selected_option?.value;
  const level = urgencySchema.safeParse(picked);
  return { description: description.trim(), urgency: level.success ? level.data : 'normal' };
}
