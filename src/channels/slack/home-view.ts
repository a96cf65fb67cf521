import type { types } from '@slack/bolt';
import { LANGS, type Lang } from '../../shared/lang';
import { escapeMrkdwn, truncate, SLACK_LIMITS } from '../../replies/render-block-kit';
import { t, tList } from '../../shared/i18n';

export const HOME_LANG_ACTION_ID = 'marsbot-home:lang';

function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } };
}

function bullets(title: string, items: string[]): types.SectionBlock {
  return section([`*${escapeMrkdwn(title)}*`, ...items.map((i) => `• ${escapeMrkdwn(i)}`)].join('\n'));
}

/** The App Home tab: what marsbot does, where and how to ask, the reply-language setting, attribution. */
export function buildHomeView(lang: Lang, notice?: string): types.HomeView {
  const option = (l: Lang) => ({ text: { type: 'plain_text' as const, text: t(lang, `slack:home.languageNames.${l}`) }, value: l });
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(t(lang, 'slack:home.title'), SLACK_LIMITS.headerText) } },
    section(escapeMrkdwn(t(lang, 'slack:home.intro'))),
    bullets(t(lang, 'slack:home.howTitle'), tList(lang, 'slack:home.how')),
    bullets(t(lang, 'slack:home.examplesTitle'), tList(lang, 'slack:home.examples')),
    { type: 'divider' },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${escapeMrkdwn(t(lang, 'slack:home.languageLabel'))}*` },
      accessory: { type: 'static_select', action_id: HOME_LANG_ACTION_ID, options: LANGS.map(option), initial_option: option(lang) },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(notice ?? t(lang, 'slack:home.languageHint')) }] },
    { type: 'divider' },
    { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(t(lang, 'slack:home.attribution')) }] },
  ];
  return { type: 'home', blocks };
}
