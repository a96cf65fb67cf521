import {
  ConflictError,
  type InteractionEvent,
  type OutboxDraft,
  type OutboxMessage,
  type IdleDocuments,
  type PruneResult,
  type Store,
  type StoreOptions,
  type StoredDocument,
  type Ticket,
  type TicketInput,
  type TicketOutbox,
  type TicketStatus,
  type TicketStatusChange,
  type TurnWrite,
} from './store';
import { newEtag } from './etag';
import { FIRST_TICKET_NUMBER, formatTicketId, parseTicketNumber } from './ticket-id';
import { outboxDraftsFor } from './ticket-outbox';
import { planStatusChange } from './ticket-status';

interface OutboxRow {
  message: OutboxMessage;
  /** When it was delivered; undefined while it is pending. */
  deliveredAt?: number;
  /** What the receiver answered. */
  receipt?: string;
}

interface DocumentRow {
  json: string;
  etag: string;
  updatedAt: number;
}

/**
 * Values go through JSON on the way in and out, like in the durable stores, so a test on the
 * memory store sees the same shapes (no shared references, no Dates, no undefined fields).
 */
function jsonCopy<T>(value: T): T {
  const text = JSON.stringify(value) as string | undefined;
  return (text === undefined ? null : JSON.parse(text)) as T;
}

/** undefined (or a function) has no JSON text, whatever lib.d.ts says: it is stored as null. */
function toJson(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  return json ?? 'null';
}

/** A Store in process memory: for tests and the CLI. Nothing survives the process. */
export function createMemoryStore(options: StoreOptions = {}): Store {
  const clock = options.clock ?? Date.now;
  const documents = new Map<string, DocumentRow>();
  const claims = new Map<string, number>();
  const tickets = new Map<number, Ticket>();
  const ticketsByKey = new Map<string, number>();
  const outbox: OutboxRow[] = [];
  const interactions: InteractionEvent[] = [];
  let nextTicketNumber = FIRST_TICKET_NUMBER;
  let nextOutboxId = 1;
  let closed = false;

  function ensureOpen(): void {
    if (closed) throw new Error('memory store is closed');
  }

  function findOutbox(id: number): OutboxRow | undefined {
    return outbox.find((row) => row.message.id === id);
  }

  /** `payload` must already be a private JSON copy. */
  function enqueue(kind: string, orderingKey: string, payload: unknown, now: number): number {
    const id = nextOutboxId++;
    outbox.push({
      message: { id, kind, orderingKey, payload, attempts: 0, nextAttemptAt: now, createdAt: now },
    });
    return id;
  }

  /** `expectedEtag`: undefined = last writer wins, null = only create, a string = only replace that version. */
  function assertWritable(key: string, expectedEtag: string | null | undefined): void {
    const current = documents.get(key);
    if (expectedEtag === null && current) throw new ConflictError(key);
    if (typeof expectedEtag === 'string' && current?.etag !== expectedEtag) throw new ConflictError(key);
  }

  /** Builds the drafts (and their JSON copies) before anything is stored, so a throwing builder stores nothing. */
  function prepareOutbox(outboxSpec: TicketOutbox | undefined, ticket: Ticket): OutboxDraft[] {
    return outboxDraftsFor(outboxSpec, jsonCopy(ticket)).map((draft) => ({
      kind: draft.kind,
      orderingKey: draft.orderingKey,
      payload: jsonCopy(draft.payload),
    }));
  }

  return {
    async getDocument<T>(key: string): Promise<StoredDocument<T> | undefined> {
      ensureOpen();
      const row = documents.get(key);
      return row ? { value: JSON.parse(row.json) as T, etag: row.etag } : undefined;
    },

    async putDocument(key: string, value: unknown, expectedEtag?: string | null): Promise<string> {
      ensureOpen();
      assertWritable(key, expectedEtag);
      const etag = newEtag();
      documents.set(key, { json: toJson(value), etag, updatedAt: clock() });
      return etag;
    },

    async deleteDocument(key: string): Promise<void> {
      ensureOpen();
      documents.delete(key);
    },

    async claimOnce(key: string, ttlMs: number): Promise<boolean> {
      ensureOpen();
      const now = Date.now();
      const expiresAt = claims.get(key);
      if (expiresAt !== undefined && expiresAt > now) return false;
      claims.set(key, now + ttlMs);
      return true;
    },

    async createTicket(input: TicketInput, now: number, outboxSpec?: TicketOutbox): Promise<{ ticket: Ticket; created: boolean }> {
      ensureOpen();
      const existing = ticketsByKey.get(input.idempotencyKey);
      if (existing !== undefined) return { ticket: jsonCopy(tickets.get(existing)!), created: false };
      const number = nextTicketNumber;
      const ticket: Ticket = {
        ...jsonCopy(input),
        id: formatTicketId(number),
        number,
        status: 'open',
        createdAt: now,
        updatedAt: now,
      };
      // Everything that can fail happens before the first change: all or nothing, like a transaction.
      const drafts = prepareOutbox(outboxSpec, ticket);
      nextTicketNumber++;
      tickets.set(number, ticket);
      ticketsByKey.set(input.idempotencyKey, number);
      for (const draft of drafts) enqueue(draft.kind, draft.orderingKey, draft.payload, now);
      return { ticket: jsonCopy(ticket), created: true };
    },

    async getTicket(id: string): Promise<Ticket | undefined> {
      ensureOpen();
      const number = parseTicketNumber(id);
      const ticket = number === undefined ? undefined : tickets.get(number);
      return ticket ? jsonCopy(ticket) : undefined;
    },

    async listTickets(filter: { status?: TicketStatus; limit?: number } = {}): Promise<Ticket[]> {
      ensureOpen();
      const newestFirst = [...tickets.values()]
        .filter((ticket) => !filter.status || ticket.status === filter.status)
        .sort((a, b) => b.number - a.number);
      const limited = filter.limit === undefined ? newestFirst : newestFirst.slice(0, Math.max(0, filter.limit));
      return limited.map(jsonCopy);
    },

    async updateTicketStatus(
      id: string,
      status: TicketStatus,
      by: string,
      now: number,
      outboxSpec?: TicketOutbox,
    ): Promise<TicketStatusChange | undefined> {
      ensureOpen();
      const number = parseTicketNumber(id);
      const ticket = number === undefined ? undefined : tickets.get(number);
      if (!ticket) return undefined;
      const plan = planStatusChange(ticket, status, by, now);
      if (!plan.changed) return { ticket: jsonCopy(ticket), changed: false };
      const drafts = prepareOutbox(outboxSpec, plan.ticket);
      tickets.set(ticket.number, plan.ticket);
      for (const draft of drafts) enqueue(draft.kind, draft.orderingKey, draft.payload, now);
      return { ticket: jsonCopy(plan.ticket), changed: true };
    },

    async enqueueOutbox(kind: string, orderingKey: string, payload: unknown, now: number): Promise<number> {
      ensureOpen();
      return enqueue(kind, orderingKey, jsonCopy(payload), now);
    },

    async leaseOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]> {
      ensureOpen();
      const headsSeen = new Set<string>();
      const leased: OutboxMessage[] = [];
      // outbox is in id order, so the first undelivered row of a key is that key's oldest message.
      for (const row of outbox) {
        if (leased.length >= limit) break;
        if (row.deliveredAt !== undefined || headsSeen.has(row.message.orderingKey)) continue;
        headsSeen.add(row.message.orderingKey);
        if (row.message.nextAttemptAt > now) continue;
        row.message.nextAttemptAt = now + leaseMs;
        leased.push(jsonCopy(row.message));
      }
      return leased;
    },

    async markOutboxSending(id: number, at: number): Promise<void> {
      ensureOpen();
      const row = findOutbox(id);
      if (row && row.deliveredAt === undefined) row.message.unconfirmedSince ??= at;
    },

    async markOutboxDelivered(id: number, receipt?: string): Promise<void> {
      ensureOpen();
      const row = findOutbox(id);
      if (!row || row.deliveredAt !== undefined) return;
      row.deliveredAt = clock();
      if (receipt !== undefined) row.receipt = receipt;
    },

    async markOutboxFailed(id: number, nextAttemptAt: number, error: string): Promise<void> {
      ensureOpen();
      const row = findOutbox(id);
      if (!row || row.deliveredAt !== undefined) return;
      row.message.attempts += 1;
      row.message.nextAttemptAt = nextAttemptAt;
      row.message.lastError = error;
    },

    async countOutboxPending(): Promise<number> {
      ensureOpen();
      return outbox.filter((row) => row.deliveredAt === undefined).length;
    },

    async recordInteraction(event: InteractionEvent): Promise<void> {
      ensureOpen();
      interactions.push(jsonCopy(event));
    },

    async saveTurn(write: TurnWrite): Promise<string> {
      ensureOpen();
      const { key, value, expectedEtag } = write.document;
      assertWritable(key, expectedEtag);
      // Serialise everything before storing anything: a value that cannot be stored leaves no half turn.
      const json = toJson(value);
      const extras = (write.alsoPut ?? []).map((doc) => ({ key: doc.key, json: toJson(doc.value) }));
      const events = (write.interactions ?? []).map(jsonCopy);
      const etag = newEtag();
      const updatedAt = clock();
      documents.set(key, { json, etag, updatedAt });
      for (const extra of extras) documents.set(extra.key, { json: extra.json, etag: newEtag(), updatedAt });
      interactions.push(...events);
      return etag;
    },

    async listInteractions(since?: number): Promise<InteractionEvent[]> {
      ensureOpen();
      return interactions
        .filter((event) => since === undefined || event.at >= since)
        .sort((a, b) => a.at - b.at)
        .map(jsonCopy);
    },

    async prune(before: number, idle: IdleDocuments): Promise<PruneResult> {
      ensureOpen();
      const counts: Record<string, number> = Object.fromEntries(Object.keys(idle).map((name) => [name, 0]));
      const result: PruneResult = { ...counts, outbox: 0 };
      const prefixes = Object.entries(idle);
      for (const [key, row] of documents) {
        if (row.updatedAt >= before) continue;
        const name = prefixes.find(([, prefix]) => key.startsWith(prefix))?.[0];
        if (name === undefined) continue;
        result[name] = (result[name] ?? 0) + 1;
        documents.delete(key);
      }
      // Compacted in place, so the array stays in id order (leaseOutbox relies on it).
      let keep = 0;
      for (const row of outbox) {
        if (row.deliveredAt !== undefined && row.deliveredAt < before) continue;
        outbox[keep++] = row;
      }
      result.outbox = outbox.length - keep;
      outbox.length = keep;
      return result;
    },

    async ping(): Promise<void> {
      ensureOpen();
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}
