import type { TurnInbound } from './inbound';
import type { Reply } from '../replies/reply';
import type { Lang } from '../shared/lang';
import type { EscalationResult } from '../support/support-desk';
import type { Understanding } from '../understanding/understanding';
import { findSecrets, redactSecrets, withoutSecrets, type FoundSecret } from '../shared/redact';
import { sanitizeInput } from '../understanding/normalize-text';
import { t } from '../shared/i18n';
import { escalationConfirmation, escalationFailed } from './flows/escalation';
import { ticketRefused } from './ticket-rules';
import { resolveLang } from './language';
import { route } from './routes';
import { addErrorIds, addTranscript, withoutTopic, type ConversationState, type UserPrefs } from './state';
import { describeAction, replyToPlainText } from './transcript';
import type { TicketRequest, Turn, TurnContext, TurnEvent } from './turn';

/**
 * The pure core of the engine: state, preferences and one inbound turn in; replies, the new
 * state and preferences, statistics events and (maybe) a ticket request out. No I/O, no clock:
 * everything it needs is passed in, so every conversation can be replayed in a test.
 */

export interface TurnResult {
  replies: Reply[];
  state: ConversationState;
  prefs: UserPrefs;
  events: TurnEvent[];
  escalation?: TicketRequest;
}

/** The user's text without control characters, capped, trimmed. Never throws, whatever comes in. */
export function cleanText(raw: unknown): string {
  return sanitizeInput(raw).text.trim();
}

/** Drops references to topics, cases or questions the knowledge base no longer has. */
function forgetStale(state: ConversationState, ctx: TurnContext): ConversationState {
  const topic = state.topic ? ctx.knowledge.byId.get(state.topic) : undefined;
  if (state.topic && !topic) return withoutTopic(state);
  if (!topic) return state;
  return {
    ...state,
    case: topic.cases.some((c) => c.id === state.case) ? state.case : null,
    pendingQuestion: topic.followUps.some((q) => q.id === state.pendingQuestion) ? state.pendingQuestion : null,
    topicChoices: state.topicChoices.filter((id) => ctx.knowledge.byId.has(id)),
  };
}

/** Every string of a value with the turn's secrets taken out. */
function scrub<T>(value: T, secrets: readonly FoundSecret[]): T {
  if (typeof value === 'string') return withoutSecrets(value, secrets) as T;
  if (Array.isArray(value)) return (value as unknown[]).map((item) => scrub(item, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, secrets)])) as T;
  }
  return value;
}

/**
 * Replies never show a secret the user just typed, even a reply that quotes the message: the user
 * sees their words back only in redacted form, and so does the transcript. Our own wording is not
 * run through redaction (it is no secret, and "Bewaar ook de oude wachtwoordzin: …" would read as one).
 */
function withoutTurnSecrets(replies: Reply[], secrets: readonly FoundSecret[]): Reply[] {
  return secrets.length === 0 ? replies : scrub(replies, secrets);
}

export function handleTurn(
  state: ConversationState,
  prefs: UserPrefs,
  inbound: TurnInbound,
  understanding: Understanding | undefined,
  ctx: TurnContext,
): TurnResult {
  const text = inbound.kind === 'message' ? cleanText(inbound.text) : '';
  const action = inbound.kind === 'action' ? inbound.action : undefined;
  const lang = resolveLang(understanding, state, prefs, inbound, ctx.defaultLang);

  let current = forgetStale(state, ctx);
  current = addErrorIds({ ...current, lang }, understanding?.errorIds ?? []);
  // The one place user text enters the state: redacted here, raw only for the matcher above.
  const { text: said, secrets } = findSecrets(action ? describeAction(action, lang, ctx.knowledge) : text);
  // An install or a new web chat is not something the user said: nothing for the transcript.
  if (inbound.kind !== 'installed') current = addTranscript(current, [{ from: 'user', text: said, at: ctx.now }]);

  const turn: Turn = { inbound, text: action ? '' : text, said, ...(action ? { action } : {}), understanding: action ? undefined : understanding, lang, state: current, prefs, ctx };
  const outcome = route(turn);

  const routed = understanding?.truncated && !action ? [{ kind: 'notice' as const, lang, text: [t(lang, 'input.truncated')] }, ...outcome.replies] : outcome.replies;
  const replies = withoutTurnSecrets(routed, secrets);
  // The transcript a ticket carries starts at the user's first message: an install's or a new web
  // chat's welcome is the bot talking to itself.
  const botLines = inbound.kind === 'installed' ? [] : replies.map((r) => ({ from: 'bot' as const, text: withoutSecrets(replyToPlainText(r), secrets), at: ctx.now }));
  return {
    replies,
    state: addTranscript(outcome.state, botLines),
    prefs: outcome.prefs ?? prefs,
    events: outcome.events ?? [],
    ...(outcome.escalation ? { escalation: outcome.escalation } : {}),
  };
}

/**
 * What the support desk (or the rules in front of it) made of a ticket request: a ticket (and how
 * the user will hear back), a failure, or a refusal — no conversation to speak of yet, or the hourly
 * cap reached.
 */
export type EscalationOutcome =
  | EscalationResult
  | { error: unknown }
  | { refused: 'no-conversation' }
  | { refused: 'limit'; retryAfterMs: number };

/** Adds the support desk's answer to a turn that asked for a ticket. */
export function completeEscalation(result: TurnResult, outcome: EscalationOutcome, now: number, defaultLang: Lang): TurnResult {
  const lang = result.state.lang ?? defaultLang;
  if ('refused' in outcome) {
    const reply = ticketRefused(lang, outcome);
    return { ...result, replies: [...result.replies, reply], state: addTranscript(result.state, [{ from: 'bot', text: redactSecrets(replyToPlainText(reply)), at: now }]) };
  }
  if ('error' in outcome) {
    const reply = escalationFailed(lang);
    return {
      ...result,
      replies: [...result.replies, reply],
      // Still waiting for the description: pressing submit again (same key) retries the same ticket.
      state: addTranscript({ ...result.state, awaiting: 'escalation-description' }, [{ from: 'bot', text: redactSecrets(replyToPlainText(reply)), at: now }]),
    };
  }
  const reply = escalationConfirmation(lang, outcome);
  const state = addTranscript({ ...result.state, lastTicket: outcome.ticket.id }, [{ from: 'bot', text: redactSecrets(replyToPlainText(reply)), at: now }]);
  const events: TurnEvent[] = outcome.created ? [{ type: 'escalated', topic: result.state.topic }] : [];
  return { ...result, replies: [...result.replies, reply], state, events: [...result.events, ...events] };
}
