import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Lang } from '../../../shared/lang';
import { LANGS } from '../../../shared/lang';
import type { Reply, ReplyForm } from '../../../replies/reply';
import { ESCALATION_CALLBACK_ID, ESCALATION_BLOCKS, renderEscalationModal } from '../../../replies/render-block-kit';
import { readEscalationSubmission } from '../read-slack-payload';
import { t } from '../../../shared/i18n';
import { decodeConversationId } from '../conversation-ref';
import type { ListenerDeps } from './listener-deps';

/**
 * The escalation form lives in a modal: opened with the trigger of a click or a slash command,
 * submitted as an escalate-submit action into the conversation it was opened from.
 */

/** Travels in the modal's private_metadata: where the answer goes once the form is submitted. */
const metadataSchema = z.object({
  /** conversation id */
  c: z.string(),
  l: z.enum(LANGS),
  /** response_url, for conversations only one user can see */
  r: z.string().optional(),
  /** ts of the message the form was opened from, for the ticket's link */
  m: z.string().optional(),
});
export type ModalMetadata = z.infer<typeof metadataSchema>;

export async function openEscalationModal(
  deps: ListenerDeps,
  triggerId: string,
  form: ReplyForm,
  metadata: ModalMetadata,
): Promise<boolean> {
  try {
    await deps.quickClient.views.open({
      trigger_id: triggerId,
      view: renderEscalationModal(form, metadata.l, JSON.stringify(metadata)),
    });
    return true;
  } catch (error) {
    // The trigger lives 3 s; when it is gone the posted form button still opens the modal.
    deps.logger.warn({ err: error }, 'could not open the escalation modal');
    return false;
  }
}

/** Opens the modal when the engine's replies contain the form, before the trigger expires. */
export async function openFormIfAny(
  deps: ListenerDeps,
  triggerId: string | undefined,
  replies: Reply[],
  metadata: Omit<ModalMetadata, 'l'>,
): Promise<void> {
  const withForm = replies.find((r) => r.form);
  if (!triggerId || !withForm?.form) return;
  await openEscalationModal(deps, triggerId, withForm.form, { ...metadata, l: withForm.lang });
}

function parseMetadata(raw: string | undefined): ModalMetadata | undefined {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function registerEscalationModal(app: App, deps: ListenerDeps): void {
  app.view(ESCALATION_CALLBACK_ID, async ({ ack, view, body }) => {
    const metadata = parseMetadata(view.private_metadata);
    const { description, urgency } = readEscalationSubmission(view.state.values);
    const lang: Lang = metadata?.l ?? deps.defaultLang;
    if (!description) {
      await ack({ response_action: 'errors', errors: { [ESCALATION_BLOCKS.description]: t(lang, 'slack:form.descriptionRequired') } });
      return;
    }
    await ack();
    const ref = metadata ? decodeConversationId(metadata.c) : undefined;
    if (!metadata || !ref) {
      deps.logger.error('escalation modal submitted without a conversation to answer in');
      return;
    }
    const userId = body.user.id;
    const linkTs = ref.threadTs ?? metadata.m;
    const [profile, threadLink] = await Promise.all([
      deps.directory.profile(userId),
      linkTs && !ref.ephemeralUser ? deps.directory.permalink(ref.channel, linkTs) : Promise.resolve(undefined),
    ]);
    await deps.runner.run(
      {
        channel: 'slack',
        conversationId: metadata.c,
        userId,
        ...(profile.name ? { userName: profile.name } : {}),
        kind: 'action',
        action: { type: 'escalate-submit', description, urgency },
        ...(profile.locale ? { locale: profile.locale } : {}),
        ...(threadLink ? { threadLink } : {}),
        eventId: `view:${view.id}`,
      },
      { ...ref, ...(metadata.r ? { responseUrl: metadata.r } : {}) },
    );
  });
}
