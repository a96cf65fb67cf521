import type { ActionPayload } from '../replies/reply';

export type ChannelName = 'teams' | 'slack' | 'web' | 'cli';

/** One user turn, as an adapter hands it to the engine: no platform types in here. */
export interface Inbound {
  channel: ChannelName;
  /** The thread this turn belongs to: a Teams conversation (+ reply chain) or a Slack DM / thread. */
  conversationId: string;
  userId: string;
  userName?: string;
  /** What the user typed (mentions already stripped by the adapter). */
  text?: string;
  /** A button press or form submit. */
  action?: ActionPayload;
  /** The platform's idea of the user's locale ("nl-NL", "en-US"), used when the words give no signal. */
  locale?: string;
  /** A link back to the thread (Slack permalink, Teams deep link), for tickets. */
  threadLink?: string;
  /** Platform id of the incoming message/event: lets the engine ignore a replayed one. */
  eventId?: string;
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
