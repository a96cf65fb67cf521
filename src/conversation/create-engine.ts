import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Reply } from '../replies/reply';
import { t } from '../shared/i18n';
import { localeLang, type Lang } from '../shared/lang';
import { createLogger } from '../shared/logger';
import { ConflictError } from '../storage/store';
import type { SupportActions } from '../support/support-actions';
import type { SupportDesk } from '../support/support-desk';
import type { TicketQuota } from '../support/ticket-quota';
import type { Matcher, Understanding } from '../understanding/understanding';
import type { Engine } from './engine';
import { cleanText, completeEscalation, handleTurn, type TurnResult } from './handle-turn';
import type { SupportActionInbound, TurnInbound } from './inbound';
import { preferredLang } from './language';
import { conversationKey, userKey, type ConversationStore } from './ports';
import { CAPS, normalizePrefs, normalizeState, type ConversationState, type UserPrefs } from './state';
import { decideTicket } from './ticket-rules';

export { conversationKey, userKey } from './ports';

export interface EngineDeps {
  knowledge: KnowledgeBase;
  matcher: Matcher;
  /** Where conversations and preferences live: two calls of the Store, nothing else. */
  conversations: ConversationStore;
  /** Escalation: without one the bot says escalation is not configured. */
  supportDesk?: SupportDesk;
  /** Claim / Resolve and "set support channel": who may, and what happens. */
  supportActions?: SupportActions;
  /** The hourly ticket caps per conversation and client address; none: no caps (a ticket still needs an earlier turn). */
  ticketQuota?: TicketQuota;
  /** DEFAULT_LANG. */
  defaultLang: Lang;
  clock?: () => number;
}

/** Attempts at writing the conversation state before giving up on a busy thread. */
const MAX_TRIES = 3;

/**
 * The engine around the pure core: loads the thread's state and the user's preferences, runs the
 * turn, creates the ticket it asks for, and writes the state back with its eTag. When another
 * instance wrote the same thread in between, the turn is re-run on the fresh state. Support-desk
 * actions go to the support layer, which decides who may do them.
 */
export function createEngine(deps: EngineDeps): Engine {
  const { knowledge, matcher, conversations, supportDesk, supportActions, defaultLang } = deps;
  const clock = deps.clock ?? Date.now;
  const log = createLogger('engine');

  function understand(text: string, state: ConversationState, prefs: UserPrefs, inbound: TurnInbound): Understanding | undefined {
    if (text === '' || inbound.kind !== 'message') return undefined;
    try {
      return matcher.understand(text, { preferredLang: preferredLang(state, prefs, inbound, defaultLang), ...(state.topic ? { openTopic: state.topic } : {}) });
    } catch (err) {
      // A matcher bug must not leave the user without a reply: the fallback route answers instead.
      log.error({ err }, 'matcher failed');
      return undefined;
    }
  }

  /** The inbound with the platform's name and locale for the user filled in (once per turn; a failed lookup adds nothing). */
  async function withUserDetails<I extends TurnInbound | SupportActionInbound>(inbound: I): Promise<I> {
    const { lookupUser, ...rest } = inbound;
    try {
      const found = (await lookupUser?.()) ?? {};
      return { ...rest, ...(found.name && !rest.userName ? { userName: found.name } : {}), ...(found.locale && !rest.locale ? { locale: found.locale } : {}) } as I;
    } catch (err) {
      log.warn({ err }, 'user lookup failed; going on without name and locale');
      return rest as I;
    }
  }

  /** No ticket came of a reservation: give its slot back. A failed release leaves one slot of the hour spent, nothing worse. */
  async function releaseReservation(decision: { reservation?: { release(): Promise<void> } }): Promise<void> {
    await decision.reservation?.release().catch((err: unknown) => log.warn({ err }, 'ticket reservation not released'));
  }

  async function escalate(result: TurnResult, before: ConversationState, inbound: TurnInbound, now: number): Promise<TurnResult> {
    if (!result.escalation || !supportDesk) return result;
    const decision = await decideTicket(before, inbound, deps.ticketQuota);
    if (!decision.allowed) {
      log.warn({ channel: inbound.channel, refused: decision.refused }, 'ticket refused');
      return completeEscalation(result, decision, now, defaultLang);
    }
    try {
      const outcome = await supportDesk.escalate(result.escalation.input);
      // An existing ticket returned (a double click) costs nothing of the hourly cap.
      if (!outcome.created) await releaseReservation(decision);
      return completeEscalation(result, outcome, now, defaultLang);
    } catch (err) {
      await releaseReservation(decision);
      log.error({ err, key: result.escalation.input.idempotencyKey }, 'escalation failed');
      return completeEscalation(result, { error: err }, now, defaultLang);
    }
  }

  async function runOnce(inbound: TurnInbound, text: string): Promise<{ result: TurnResult | undefined; saved: boolean; replayed?: Reply[] }> {
    const stateKey = conversationKey(inbound);
    const [stateDoc, prefsDoc] = await Promise.all([
      conversations.getDocument(stateKey),
      conversations.getDocument(userKey(inbound)),
    ]);
    const state = normalizeState(stateDoc?.value);
    const prefs = normalizePrefs(prefsDoc?.value);
    if (inbound.eventId && state.handledEvents.includes(inbound.eventId)) {
      // A platform retry, or another instance that already answered this very event: its replies may
      // not have gone out (a crash right after the save), so the adapter gets them to check.
      const kept = inbound.repliesOnReplay && state.lastReplies?.eventId === inbound.eventId ? state.lastReplies.replies : [];
      log.debug({ eventId: inbound.eventId, repliesAgain: kept.length }, 'replayed event ignored');
      return { result: undefined, saved: true, replayed: kept };
    }
    const now = clock();
    const ctx = { knowledge, now, canEscalate: supportDesk !== undefined, defaultLang };
    let who = inbound;
    let understanding = understand(text, state, prefs, who);
    if (who.lookupUser && !who.locale && !state.lang && !prefs.lang && !understanding?.langFromText) {
      who = await withUserDetails(who);
      if (who.locale) understanding = understand(text, state, prefs, who);
    }
    const withReread = (person: TurnInbound) => ({ ...ctx, reread: (part: string) => understand(part, state, prefs, person) });
    let turn = handleTurn(state, prefs, who, understanding, withReread(who));
    const greets = understanding?.smalltalk === 'greeting' || who.kind === 'installed';
    if (who.lookupUser && !who.userName && (turn.escalation || greets)) {
      // handleTurn only computes: running it again with the name changes nothing but the name.
      who = await withUserDetails(who);
      if (who.userName) turn = handleTurn(state, prefs, who, understanding, withReread(who));
    }
    const result = await escalate(turn, state, who, now);
    if (inbound.eventId) {
      result.state = {
        ...result.state,
        handledEvents: [...state.handledEvents, inbound.eventId].slice(-CAPS.handledEvents),
        ...(inbound.repliesOnReplay ? { lastReplies: { eventId: inbound.eventId, replies: result.replies } } : {}),
      };
    }
    const lang = result.state.lang ?? defaultLang;
    try {
      await conversations.saveTurn({
        document: { key: stateKey, value: result.state, expectedEtag: stateDoc?.etag ?? null },
        alsoPut: [
          // Preferences are one value the user sets on purpose: the last choice wins, no eTag needed.
          ...(result.prefs.lang !== prefs.lang ? [{ key: userKey(inbound), value: result.prefs }] : []),
          ...(inbound.keepWithTurn ? [inbound.keepWithTurn] : []),
        ],
        interactions: result.events.map((event) => ({
          at: now,
          channel: inbound.channel,
          conversationId: inbound.conversationId,
          userId: inbound.userId,
          type: event.type,
          topic: event.topic,
          lang,
          ...(event.helpful !== undefined ? { helpful: event.helpful } : {}),
        })),
      });
    } catch (err) {
      if (err instanceof ConflictError) return { result, saved: false };
      throw err;
    }
    return { result, saved: true };
  }

  async function runTurn(inbound: TurnInbound): Promise<Reply[]> {
    const text = inbound.kind === 'message' ? cleanText(inbound.text) : '';
    let last: TurnResult | undefined;
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const { result, saved, replayed } = await runOnce(inbound, text);
      if (replayed) return replayed;
      if (saved) return result?.replies ?? [];
      last = result;
      log.debug({ attempt, conversation: inbound.conversationId }, 'state write conflict, re-running the turn');
    }
    // The user still gets the answer; only this turn's memory is lost.
    log.warn({ conversation: inbound.conversationId }, 'conversation state not saved after repeated write conflicts');
    return last?.replies ?? [];
  }

  async function runSupportAction(inbound: SupportActionInbound): Promise<Reply[]> {
    // The reply is in the actor's language: Slack knows it only after a users.info call.
    const who = inbound.lookupUser && (!inbound.locale || !inbound.userName) ? await withUserDetails(inbound) : inbound;
    if (!supportActions) {
      const lang = localeLang(who.locale, defaultLang);
      return [{ kind: 'notice', lang, text: [t(lang, 'escalation.notConfigured')] }];
    }
    return supportActions.handle(who);
  }

  return {
    handle(inbound) {
      return inbound.kind === 'support-action' ? runSupportAction(inbound) : runTurn(inbound);
    },
  };
}
