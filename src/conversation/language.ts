import type { Lang } from '../knowledge/schema';
import type { Understanding } from '../understanding/understanding';
import type { Inbound } from './inbound';
import type { ConversationState, UserPrefs } from './state';

/** nl-* → nl, any other locale → en; no locale → undefined. */
export function localeLang(locale: string | undefined): Lang | undefined {
  const value = locale?.trim().toLowerCase();
  if (!value) return undefined;
  return value === 'nl' || value.startsWith('nl-') || value.startsWith('nl_') ? 'nl' : 'en';
}

/**
 * The language to use when the words themselves give no signal: the language this thread is
 * already in, then the user's remembered choice, then the platform locale, then Dutch.
 */
export function preferredLang(state: ConversationState, prefs: UserPrefs, inbound: Inbound): Lang {
  return state.lang ?? prefs.lang ?? localeLang(inbound.locale) ?? 'nl';
}

export function resolveLang(understanding: Understanding | undefined, state: ConversationState, prefs: UserPrefs, inbound: Inbound): Lang {
  if (understanding?.langFromText) return understanding.lang;
  return preferredLang(state, prefs, inbound);
}
