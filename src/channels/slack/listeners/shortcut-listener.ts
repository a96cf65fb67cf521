import type { App, MessageShortcut } from '@slack/bolt';
import { t } from '../../../shared/i18n';
import type { Reply } from '../../../replies/reply';
import { encodeConversationId } from '../conversation-ref';
import { localeLang } from '../../../shared/lang';
import type { ListenerDeps } from './listener-deps';
import { MESSAGE_SHORTCUT } from '../slack-app-features';

/** Slack errors that mean "the bot cannot post there", where a private answer is the way out. */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } }).data?.error;
}

/** "Analyseer met marsbot" on any message: its text goes through the engine, the answer into its thread. */
export function registerShortcutListener(app: App, deps: ListenerDeps): void {
  app.shortcut<MessageShortcut>(MESSAGE_SHORTCUT.callbackId, async ({ ack, shortcut }) => {
    await ack();
    const userId = shortcut.user.id;
    const profile = await deps.directory.profile(userId);
    const text = (shortcut.message.text ?? '').trim();
    const ref = { channel: shortcut.channel.id, threadTs: (shortcut.message['thread_ts'] as string | undefined) ?? shortcut.message.ts };
    const privately = { ...ref, ephemeralUser: userId, responseUrl: shortcut.response_url };

    if (!text) {
      const lang = localeLang(profile.locale, deps.defaultLang);
      await deps.delivery
        .deliver(privately, [{ kind: 'notice', lang, text: [t(lang, 'slack:shortcut.noText')] }])
        .catch((error: unknown) => deps.logger.error({ err: error }, 'could not tell the user the message has no text'));
      return;
    }

    const replies = await deps.runner.answer({
      channel: 'slack',
      conversationId: encodeConversationId(ref),
      userId,
      userName: profile.name ?? shortcut.user.name,
      kind: 'message',
      text,
      ...(profile.locale ? { locale: profile.locale } : {}),
      eventId: `shortcut:${shortcut.action_ts}`,
    });
    try {
      await deps.delivery.deliver(ref, replies);
    } catch (error) {
      if (!NOT_A_MEMBER.has(slackErrorCode(error) ?? '')) {
        deps.logger.error({ err: error }, 'could not post the shortcut answer');
        return;
      }
      const lang = replies[0]?.lang ?? localeLang(profile.locale, deps.defaultLang);
      const notice: Reply = { kind: 'notice', lang, text: [t(lang, 'slack:shortcut.notInChannel')] };
      await deps.delivery
        .deliver(privately, [notice, ...replies])
        .catch((err: unknown) => deps.logger.error({ err }, 'could not post the shortcut answer privately'));
    }
  });
}
