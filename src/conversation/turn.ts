import type { KnowledgeBase } from '../knowledge/load-knowledge';
import type { Lang } from '../shared/lang';
import type { RedactedText } from '../shared/redact';
import type { ActionPayload, Reply } from '../replies/reply';
import type { TicketInput } from '../storage/store';
import type { Understanding } from '../understanding/understanding';
import type { TurnInbound } from './inbound';
import type { ConversationState, UserPrefs } from './state';

/** What the pure core needs besides the state: no I/O in here, only facts about this turn. */
export interface TurnContext {
  knowledge: KnowledgeBase;
  now: number;
  /** Whether a support desk is wired in: without one the bot says escalation is not configured. */
  canEscalate: boolean;
  /** DEFAULT_LANG: the language when nothing else says which. */
  defaultLang: Lang;
  /**
   * Reads part of the message on its own, as the matcher would a whole message: the question after
   * "laat maar, andere vraag: …". Absent, the part is not read (and the turn falls back to the whole).
   */
  reread?: (text: string) => Understanding | undefined;
}

/** An interaction for the statistics, before the wrapper adds who/where/when. */
export interface TurnEvent {
  type: 'question' | 'answer' | 'clarify' | 'fallback' | 'solved' | 'not-solved' | 'feedback' | 'escalated';
  topic: string | null;
  helpful?: boolean;
}

/** One turn as every route sees it. */
export interface Turn {
  inbound: TurnInbound;
  /** The user's text, cleaned of control characters and trimmed; '' for a button press. Raw: for understanding only. */
  text: string;
  /**
   * What the user said (typed, or the words of the button pressed) with secrets redacted: the only
   * form of it a flow may store (a ticket description) or quote in a reply.
   */
  said: RedactedText;
  action?: ActionPayload;
  understanding?: Understanding;
  /** The reply language decided for this turn. */
  lang: Lang;
  state: ConversationState;
  prefs: UserPrefs;
  ctx: TurnContext;
}

/** The ticket the wrapper must create through the support desk before the turn is complete. */
export interface TicketRequest {
  input: TicketInput;
}

export interface TurnOutcome {
  replies: Reply[];
  state: ConversationState;
  prefs?: UserPrefs;
  events?: TurnEvent[];
  escalation?: TicketRequest;
}

/** One entry of the ordered route list: handles the turn, or returns undefined to pass it on. */
export interface Route {
  name: string;
  handle(turn: Turn): TurnOutcome | undefined;
}
