/**
 * The languages marsbot speaks, and the one rule that turns a platform locale into one of them.
 * Every layer (knowledge, engine, channels, tickets) takes its language from here, so a locale means
 * the same in Teams, Slack, the web chat and on a ticket.
 */

export const LANGS = ['nl', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** DEFAULT_LANG when it is not set: marsbot started as a Dutch bot. Pass the configured value on; don't use this one. */
export const DEFAULT_LANG_UNSET: Lang = 'nl';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/**
 * A platform locale ("nl-NL", "nl_BE", "en-GB", "de-DE") → the reply language: a Dutch locale gets
 * Dutch, any other locale English (the language a German or French colleague more likely reads
 * than Dutch); no locale at all gets the configured default (DEFAULT_LANG).
 */
export function localeLang(locale: string | undefined, defaultLang: Lang): Lang {
  const value = locale?.trim().toLowerCase() ?? '';
  if (value === '') return defaultLang;
  return value.split(/[-_]/)[0] === 'nl' ? 'nl' : 'en';
}

/** A stored language (a ticket's, a modal's) that may be anything: ours, or the default. */
export function langOr(value: unknown, defaultLang: Lang): Lang {
  return isLang(value) ? value : defaultLang;
}

/** The locale for formatting numbers and dates in a language. */
export function numberLocale(lang: Lang): string {
  return lang === 'nl' ? 'nl-NL' : 'en-US';
}
