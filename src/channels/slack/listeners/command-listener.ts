import type { App } from '@slack/bolt';
import type { InboundBase } from '../../../conversation/inbound';
import { localeLang } from '../../../shared/lang';
import { t } from '../../../shared/i18n';
import { encodeConversationId } from '../conversation-ref';
import type { Destination } from '../reply-delivery';
import { openFormIfAny } from './escalation-modal';
import type { ListenerDeps } from './listener-deps';
import { messageInbound } from './message-listeners';
import { SLASH_COMMAND } from '../slack-app-features';

/**
 * `/mars <text>`: answered privately (only the user sees it), because a pasted error often names
 * servers and accounts, and the bot need not be a member of the channel for it.
 */
export function registerCommandListener(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ ack, command }) => {
    await ack();
    const ref = { channel: command.channel_id, ephemeralUser: command.user_id };
    const conversationId = encodeConversationId(ref);
    const destination: Destination = { ...ref, responseUrl: command.response_url };
    const profile = await deps.directory.profile(command.user_id);
    const text = command.text.trim();
    const base: InboundBase = {
      channel: 'slack',
      conversationId,
      userId: command.user_id,
      userName: profile.name ?? command.user_name,
      ...(profile.locale ? { locale: profile.locale } : {}),
      eventId: `command:${command.trigger_id}`,
    };

    if (!text) {
      const lang = localeLang(profile.locale, deps.defaultLang);
      await deps.delivery
        .deliver(destination, [{ kind: 'notice', lang, text: [t(lang, 'slack:command.usage')] }])
        .catch((error: unknown) => deps.logger.error({ err: error }, 'could not post the /mars usage'));
      return;
    }
    // The engine decides what the text asks for ("/mars escalate" is a request for support, read
    // with the same words as any message); when it answers with the escalation form, the modal
    // opens on this command's trigger.
    const replies = await deps.runner.answer(messageInbound(base, text, command.channel_id));
    await openFormIfAny(deps, command.trigger_id, replies, { c: conversationId, r: command.response_url });
    await deps.delivery
      .deliver(destination, replies)
      .catch((error: unknown) => deps.logger.error({ err: error }, 'could not post the escalation reply to slack'));
  });
}
