import type { ActionPayload } from '../replies/reply';
import type { SupportRequest, SupportWhere } from '../support/support-actions';

type ChannelName = 'teams' | 'slack' | 'web' | 'cli';

/** Who and where: what every event carries, whatever happened. No platform types in here. */
export interface InboundBase {
  channel: ChannelName;
  /** The thread this event belongs to: a Teams conversation (+ reply chain) or a Slack DM / thread. */
  conversationId: string;
  userId: string;
  userName?: string;
  /** The platform's idea of the user's locale ("nl-NL", "en-US"), used when the words give no signal. */
  locale?: string;
  /**
   * The platform does not say who the user is or how to reach them (the web chat, the terminal): an
   * escalation asks for a name and an e-mail address, so support can find the person.
   */
  anonymous?: true;
  /** How support reaches the user, when the caller knows it and the user id is not that (`chat --jsonl --contact`). */
  contact?: string;
  /** A link back to the thread (Slack permalink, Teams deep link), for tickets. */
  threadLink?: string;
  /** Platform id of the incoming message/event: lets the engine ignore a replayed one. */
  eventId?: string;
  /**
   * The platform redelivers this event when it was not acknowledged, and the adapter can tell
   * whether a reply already went out (Slack: Events API retries; posts carry their event in their
   * metadata). The engine keeps the replies with the turn, and a replay gets them again instead of
   * none; the adapter posts only those it cannot find.
   */
  repliesOnReplay?: boolean;
  /**
   * The network address the event came from, when the user's own client sends it to us (the web
   * chat): rate limits and ticket caps apply to it as well as to the ids the client chose. Teams and
   * Slack events come from the platform's servers and carry none.
   */
  clientAddress?: string;
  /**
   * Asks the platform who the user is, for a turn that needs the name (a ticket, a greeting) or the
   * client's language (the words give no sign of one) and did not get them above. Slack has to make
   * a Web API call (users.info) for this, so the engine only asks when the turn needs it. Never throws.
   */
  lookupUser?: () => Promise<{ name?: string; locale?: string }>;
  /**
   * A document the adapter wants stored with this turn, in the same write as the conversation
   * state (Teams: the conversation reference that later proactive messages need). Opaque here.
   */
  keepWithTurn?: { key: string; value: unknown };
}

/** The user wrote something (mentions already stripped by the adapter). */
interface MessageInbound extends InboundBase {
  kind: 'message';
  text: string;
}

/** The user pressed a button or submitted a form on one of our replies. */
interface ActionInbound extends InboundBase {
  kind: 'action';
  action: ActionPayload;
}

/** The bot was installed in a chat, or a web chat conversation began: the engine introduces itself. */
interface InstalledInbound extends InboundBase {
  kind: 'installed';
}

/** Someone steers the support desk: Claim / Resolve on a ticket, or "set support channel". */
export interface SupportActionInbound extends InboundBase {
  kind: 'support-action';
  request: SupportRequest;
  /** Where it was done: the support layer decides from this whether it may be done there. */
  where: SupportWhere;
}

/** Everything an adapter can hand the engine. */
export type Inbound = MessageInbound | ActionInbound | InstalledInbound | SupportActionInbound;

/** The events that are a turn of a user's own conversation (they have state, a transcript, a language). */
export type TurnInbound = MessageInbound | ActionInbound | InstalledInbound;

/** A button that steers a ticket (Claim, Resolve) as the support request it is; undefined for any other button. */
export function ticketRequestOf(action: ActionPayload): SupportRequest | undefined {
  if (action.type === 'ticket-claim') return { type: 'claim', ticketId: action.ticket };
  if (action.type === 'ticket-resolve') return { type: 'resolve', ticketId: action.ticket };
  return undefined;
}
