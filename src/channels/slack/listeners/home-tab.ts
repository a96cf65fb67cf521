import type { App, BlockAction, StaticSelectAction } from '@slack/bolt';
import { isLang, localeLang, type Lang } from '../../../shared/lang';
import { buildHomeView, HOME_LANG_ACTION_ID } from '../home-view';
import type { ListenerDeps } from './listener-deps';

/** The Home tab remembers the language it shows in; the engine keeps the user's real preference. */
const homeLangKey = (userId: string) => `slack:home-lang:${userId}`;

export function registerHomeTab(app: App, deps: ListenerDeps): void {
  async function homeLang(userId: string): Promise<Lang> {
    try {
      const saved = await deps.store.getDocument<{ lang?: unknown }>(homeLangKey(userId));
      if (isLang(saved?.value.lang)) return saved.value.lang;
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not read the home tab language');
    }
    return localeLang((await deps.directory.profile(userId)).locale, deps.defaultLang);
  }

  async function publish(userId: string, lang: Lang, notice?: string): Promise<void> {
    try {
      await deps.client.views.publish({ user_id: userId, view: buildHomeView(lang, notice) });
    } catch (error) {
      deps.logger.error({ err: error }, 'could not publish the home tab');
    }
  }

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await publish(event.user, await homeLang(event.user));
  });

  app.action<BlockAction<StaticSelectAction>>(HOME_LANG_ACTION_ID, async ({ ack, body, action }) => {
    await ack();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- Slack's payload decides, not bolt's type
    const lang = action.selected_option?.value;
    if (!isLang(lang)) return;
    const userId = body.user.id;
    const profile = await deps.directory.profile(userId);
    const replies = await deps.runner.answer({
      channel: 'slack',
      conversationId: `home:${userId}`,
      userId,
      ...(profile.name ? { userName: profile.name } : {}),
      kind: 'action',
      action: { type: 'set-lang', lang },
      ...(profile.locale ? { locale: profile.locale } : {}),
      eventId: `home:${action.action_ts}`,
    });
    try {
      await deps.store.putDocument(homeLangKey(userId), { lang });
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not save the home tab language');
    }
    // The engine's confirmation ("I will answer in English") shows under the setting.
    const notice = replies.flatMap((r) => [r.title, ...(r.text ?? [])]).filter(Boolean).join(' ');
    await publish(userId, lang, notice || undefined);
  });
}
