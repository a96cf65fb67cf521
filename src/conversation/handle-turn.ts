import type { TurnInbound } from './inbound';
import type { Reply } from '../replies/reply';
import type { Lang } from '../shared/lang';
import type { Ticket } from '../storage/store';
import type { Understanding } from '../understanding/understanding';
import { sanitizeInput } from '../understanding/normalize-text';
import { t } from '../shared/i18n';
import { escalationConfirmation, escalationFailed } from './flows/escalation';
import { ticketRefused } from './ticket-rules';
import { resolveLang } from './language';
import { ROUTES } from './routes';
import { addErrorIds, addTranscript, withoutTopic, type ConversationState, type UserPrefs } from './state';
import { describeAction, replyToPlainText } from './transcript';
import type { TicketRequest, Turn, TurnContext, TurnEvent, TurnOutcome } from './turn';

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

function route(turn: Turn): TurnOutcome {
  for (const candidate of ROUTES) {
    const outcome = candidate.handle(turn);
    if (outcome) return outcome;
  }
  // The last route always answers; this only guards against an edited route list.
  return { replies: [], state: turn.state };
}

export function handleTurn(
  state: ConversationState,
  prefs: UserPrefs,
  inbound: TurnInbound,
  understanding: Understanding | undefined,
  ctx: TurnContext,
): TurnResult {
  const text = inbound.kind === 'message' ? cleanText(inbound.text) : '';
  const action = inbound.kind === 'action' && inbound.action && typeof inbound.action === 'object' ? inbound.action : undefined;
  const lang = resolveLang(understanding, state, prefs, inbound, ctx.defaultLang);

  let current = forgetStale(state, ctx);
  current = addErrorIds({ ...current, lang }, understanding?.errorIds ?? []);
  // An install or a new web chat is not something the user said: nothing for the transcript.
  if (inbound.kind !== 'installed') {
    const said = action ? describeAction(action, lang, ctx.knowledge) : text;
    current = addTranscript(current, [{ from: 'user', text: said, at: ctx.now }]);
  }

  const turn: Turn = { inbound, text: action ? '' : text, ...(action ? { action } : {}), understanding: action ? undefined : understanding, lang, state: current, prefs, ctx };
  const outcome = route(turn);

  const replies = understanding?.truncated && !action ? [{ kind: 'notice' as const, lang, text: [t(lang, 'input.truncated')] }, ...outcome.replies] : outcome.replies;
  return {
    replies,
    state: addTranscript(outcome.state, replies.map((r) => ({ from: 'bot' as const, text: replyToPlainText(r), at: ctx.now }))),
    prefs: outcome.prefs ?? prefs,
    events: outcome.events ?? [],
    ...(outcome.escalation ? { escalation: outcome.escalation } : {}),
  };
}

/**
 * What the support desk (or the rules in front of it) made of a ticket request: a ticket, a
 * failure, or a refusal — no conversation to speak of yet, or the hourly cap reached.
 */
export type EscalationOutcome =
  | { ticket: Ticket; created: boolean }
  | { error: unknown }
  | { refused: 'no-conversation' }
  | { refused: 'limit'; retryAfterMs: number };

/** Adds the support desk's answer to a turn that asked for a ticket. */
export function completeEscalation(result: TurnResult, outcome: EscalationOutcome, now: number, defaultLang: Lang): TurnResult {
  const lang = result.state.lang ?? defaultLang;
  if ('refused' in outcome) {
    const reply = ticketRefused(lang, outcome);
    return { ...result, replies: [...result.replies, reply], state: addTranscript(result.state, [{ from: 'bot', text: replyToPlainText(reply), at: now }]) };
  }
  if ('error' in outcome) {
    const reply = escalationFailed(lang);
    return {
      ...result,
      replies: [...result.replies, reply],
      // Still waiting for the description: pressing submit again (same key) retries the same ticket.
      state: addTranscript({ ...result.state, awaiting: 'escalation-description' }, [{ from: 'bot', text: replyToPlainText(reply), at: now }]),
    };
  }
  const reply = escalationConfirmation(lang, outcome.ticket, outcome.created);
  const state = addTranscript({ ...result.state, lastTicket: outcome.ticket.id }, [{ from: 'bot', text: replyToPlainText(reply), at: now }]);
  const events: TurnEvent[] = outcome.created ? [{ type: 'escalated', topic: result.state.topic }] : [];
  return { ...result, replies: [...result.replies, reply], state, events: [...result.events, ...events] };
}
