/**
 * The one storage port. Memory, SQLite and PostgreSQL implement it and pass the same contract
 * tests (test/storage/store-contract.ts). Everything is JSON-serialisable; timestamps are
 * epoch milliseconds.
 */

/**
 * The documents retention deletes once idle, by key prefix, each under a name for the counts it
 * reports ({ conversations: 'conversation:', … }). The layers that make the keys say which they are
 * (the composition root puts them together), so storage knows no channel's key format.
 */
export type IdleDocuments = Readonly<Record<string, string>>;

/** What one retention sweep deleted: a count per name of IdleDocuments, and the delivered outbox messages. */
export type PruneResult = { outbox: number } & Record<string, number>;

/** Settings every Store implementation takes. */
export interface StoreOptions {
  /**
   * Epoch milliseconds stamped on document writes and outbox deliveries, which prune() compares
   * with its `before`. Default Date.now; tests pass a fake clock.
   */
  clock?: () => number;
}

/** A JSON document with an eTag for optimistic concurrency. */
export interface StoredDocument<T = unknown> {
  value: T;
  etag: string;
}

/** Thrown when a write names an eTag that is no longer current (someone else wrote first). */
export class ConflictError extends Error {
  constructor(readonly key: string) {
    super(`write conflict on "${key}"`);
    this.name = 'ConflictError';
  }
}

export type TicketStatus = 'open' | 'claimed' | 'resolved';

export interface TicketInput {
  /** Same key → same ticket: a double click or a retried event never creates a second one. */
  idempotencyKey: string;
  channel: string;
  conversationId: string;
  userId: string;
  userName?: string;
  /** How support reaches the user where the platform cannot (web chat, terminal): the e-mail address they gave. */
  contact?: string;
  lang: string;
  threadLink?: string;
  topic: string | null;
  case: string | null;
  errorIds: string[];
  stepsShown: string[];
  followUpAnswers: { question: string; answer: string }[];
  feedback: { helpful: boolean; at: number }[];
  /** Where the article's versions disagree on this topic (its `changes` note), for the support team. */
  versionNote?: string;
  description: string;
  urgency: 'low' | 'normal' | 'high';
  /** Already redacted by the caller. */
  transcript: { from: 'user' | 'bot'; text: string; at: number }[];
}

export interface Ticket extends TicketInput {
  /** Readable id: MARS-1001, MARS-1002 … */
  id: string;
  number: number;
  status: TicketStatus;
  createdAt: number;
  updatedAt: number;
  claimedBy?: string;
  resolvedBy?: string;
}

export interface OutboxMessage {
  id: number;
  /** What kind of delivery: 'webhook', 'support-notify', 'user-notify' … */
  kind: string;
  /** Deliveries with the same key go out in order (e.g. one ticket's events). */
  orderingKey: string;
  payload: unknown;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  lastError?: string;
  /**
   * When an earlier attempt began whose outcome is not known (the process died during it, or it
   * failed in a way that does not say whether the receiver has it): the receiver may have the
   * message already. Absent on a first attempt.
   */
  unconfirmedSince?: number;
}

/** A message to put in the outbox in the same write as a ticket change. */
export interface OutboxDraft {
  kind: string;
  orderingKey: string;
  payload: unknown;
}

/**
 * The outbox messages that belong to a ticket write. As a function it receives the ticket as
 * written (its id exists only then); it runs inside the store's transaction, so it must be
 * synchronous and do no I/O. If it throws, nothing is written: not the ticket, not the messages.
 */
export type TicketOutbox = readonly OutboxDraft[] | ((ticket: Ticket) => readonly OutboxDraft[]);

/** The outcome of a status change: `changed` is false when the ticket already was in that state. */
export interface TicketStatusChange {
  ticket: Ticket;
  changed: boolean;
}

export interface InteractionEvent {
  at: number;
  channel: string;
  conversationId: string;
  userId: string;
  /** 'question' | 'answer' | 'clarify' | 'fallback' | 'solved' | 'not-solved' | 'feedback' | 'escalated' */
  type: string;
  topic: string | null;
  lang: string;
  helpful?: boolean;
}

/** Everything one conversation turn writes, committed together by Store.saveTurn. */
export interface TurnWrite {
  /** The conversation's state: written only while its eTag is still `expectedEtag` (null: it must not exist yet). */
  document: { key: string; value: unknown; expectedEtag: string | null };
  /** Other documents the turn changed (user preferences, a channel's conversation reference): last writer wins. */
  alsoPut?: readonly { key: string; value: unknown }[];
  interactions?: readonly InteractionEvent[];
}

/** One token bucket to take from (see shared/rate-limiter.ts for the rule). */
interface TokenRequest {
  key: string;
  perMinute: number;
  burst: number;
}

/** One sliding window to reserve a slot in: at most `cap` slots in any `windowMs`. */
interface SlotRequest {
  key: string;
  cap: number;
  windowMs: number;
}

/** Which request was refused, and how long until it would not be. */
export type SharedLimitRefusal = { allowed: false; index: number; retryAfterMs: number };

/**
 * Limits every instance on one database shares, so N instances allow the limit once, not N times.
 * Each call is all or nothing: a refused request spends nothing of the others.
 */
export interface SharedLimits {
  takeTokens(requests: readonly TokenRequest[], now: number): Promise<{ allowed: true } | SharedLimitRefusal>;
  /** On success the slots' ids, for releaseSlots when nothing came of the reservation. */
  reserveSlots(requests: readonly SlotRequest[], now: number): Promise<{ allowed: true; ids: number[] } | SharedLimitRefusal>;
  releaseSlots(ids: readonly number[]): Promise<void>;
}

export interface Store {
  /**
   * PostgreSQL's rate buckets and ticket windows. Absent in the memory and SQLite stores: there one
   * process (or one host) keeps its limits in memory.
   */
  readonly sharedLimits?: SharedLimits;

  /** Documents: conversation state, user preferences, botbuilder state, support channel references. */
  getDocument<T = unknown>(key: string): Promise<StoredDocument<T> | undefined>;
  /**
   * Writes a document. expectedEtag: undefined = write whatever is there; null = only if absent;
   * a string = only if the stored eTag still equals it. Returns the new eTag; throws ConflictError.
   */
  putDocument(key: string, value: unknown, expectedEtag?: string | null): Promise<string>;
  deleteDocument(key: string): Promise<void>;

  /** Records a key once: true the first time, false after (event dedupe across retries and instances). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;

  /**
   * Creates the ticket, or returns the existing one for the same idempotencyKey (created=false).
   * The outbox messages are written in the same transaction as the ticket, and only when it is
   * created: a crash leaves either both or neither, and a repeated key enqueues nothing.
   */
  createTicket(input: TicketInput, now: number, outbox?: TicketOutbox): Promise<{ ticket: Ticket; created: boolean }>;
  getTicket(id: string): Promise<Ticket | undefined>;
  listTickets(filter?: { status?: TicketStatus; limit?: number }): Promise<Ticket[]>;
  /**
   * Moves a ticket to a new status (rules in ticket-status.ts: a repeated change and any change of a
   * resolved ticket other than reopening leave it as it is, changed=false). The outbox messages are
   * written in the same transaction, and only when the ticket changed. Undefined when it does not exist.
   */
  updateTicketStatus(id: string, status: TicketStatus, by: string, now: number, outbox?: TicketOutbox): Promise<TicketStatusChange | undefined>;

  /** Adds a message to the outbox on its own (ticket events go through createTicket / updateTicketStatus). */
  enqueueOutbox(kind: string, orderingKey: string, payload: unknown, now: number): Promise<number>;
  /**
   * Leases up to `limit` due messages for `leaseMs` (another worker won't get them meanwhile).
   * Only the oldest undelivered message of each orderingKey is handed out, so order holds.
   */
  leaseOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  /**
   * Records that an attempt is about to start, before anything goes out: from now on a crash leaves
   * the message with `unconfirmedSince` (the time of the first such attempt), and the next attempt
   * can check the receiver before sending again.
   */
  markOutboxSending(id: number, at: number): Promise<void>;
  /** `receipt`: what the receiver answered (a Slack ts, a Teams activity id), kept with the message. */
  markOutboxDelivered(id: number, receipt?: string): Promise<void>;
  markOutboxFailed(id: number, nextAttemptAt: number, error: string): Promise<void>;
  countOutboxPending(): Promise<number>;

  recordInteraction(event: InteractionEvent): Promise<void>;
  /**
   * A turn's writes in one transaction: one commit instead of one per write, and statistics and
   * preferences never disagree with the conversation they came from. Throws ConflictError, writing
   * nothing, when the conversation's eTag is stale. Returns the conversation document's new eTag.
   */
  saveTurn(write: TurnWrite): Promise<string>;
  listInteractions(since?: number): Promise<InteractionEvent[]>;

  /**
   * Retention, in one transaction: deletes the documents under the `idle` prefixes last written
   * before `before`, and outbox messages delivered before it. Keeps everything else: tickets, user
   * preferences, the support channels, any other document, undelivered messages and the statistics.
   */
  prune(before: number, idle: IdleDocuments): Promise<PruneResult>;

  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
