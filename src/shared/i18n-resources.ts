import type channels from '../../locales/en/channels.json';
import type cli from '../../locales/en/cli.json';
import type slack from '../../locales/en/slack.json';
import type support from '../../locales/en/support.json';
import type translation from '../../locales/en/translation.json';

/**
 * The locale files' shape, from the English ones (test/shared checks that Dutch has the same keys):
 * with it i18next's types know every key, so a missing or misspelt key fails the type check.
 */
export interface Resources {
  translation: typeof translation;
  channels: typeof channels;
  cli: typeof cli;
  slack: typeof slack;
  support: typeof support;
}

export type Namespace = keyof Resources;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: Resources;
  }
}
