import { localeLang, type Lang } from '../shared/lang';
import type { Understanding } from '../understanding/understanding';
import type { InboundBase } from './inbound';
import type { ConversationState, UserPrefs } from './state';

/**
 * The language to use when the words themselves give no signal: the language this thread is
 * already in, then the user's remembered choice, then the platform locale (the one rule in
 * shared/lang), then the configured default.
 */
export function preferredLang(state: ConversationState, prefs: UserPrefs, inbound: Pick<InboundBase, 'locale'>, defaultLang: Lang): Lang {
  return state.lang ?? prefs.lang ?? localeLang(inbound.locale, defaultLang);
}

export function resolveLang(
  understanding: Understanding | undefined,
  state: ConversationState,
  prefs: UserPrefs,
  inbound: Pick<InboundBase, 'locale'>,
  defaultLang: Lang,
): Lang {
  // A name and an e-mail address say nothing about the language ("Anna de Vries" is no Dutch sentence).
  if (understanding?.langFromText && state.awaiting !== 'escalation-contact') return understanding.lang;
  return preferredLang(state, prefs, inbound, defaultLang);
}
