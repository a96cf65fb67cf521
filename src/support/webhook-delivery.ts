import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { createLogger } from '../shared/logger';
import type { OutboxMessage, Ticket } from '../storage/store';
import type { Clock } from './clock';

/**
 * The outgoing webhook: one POST per ticket event, signed, retried by the outbox until the
 * receiver answers 2xx. Receivers dedupe on X-Marsbot-Delivery (stable across retries) and check
 * X-Marsbot-Signature with verifyWebhookSignature. The body is documented in the README.
 */

export type WebhookEvent = 'ticket.created' | 'ticket.claimed' | 'ticket.resolved';

interface WebhookTicket {
  id: string;
  number: number;
  status: Ticket['status'];
  channel: string;
  conversationId: string;
  userId: string;
  userName: string | null;
  /** The e-mail address the user gave (web chat, terminal); null where the platform knows them. */
  contact: string | null;
  lang: string;
  threadLink: string | null;
  topic: string | null;
  case: string | null;
  errorIds: string[];
  urgency: Ticket['urgency'];
  description: string;
  stepsShown: string[];
  followUpAnswers: { question: string; answer: string }[];
  feedback: { helpful: boolean; at: string }[];
  transcript: { from: 'user' | 'bot'; text: string; at: string }[];
  createdAt: string;
  updatedAt: string;
  claimedBy: string | null;
  resolvedBy: string | null;
}

export interface WebhookBody {
  /** Same as the X-Marsbot-Delivery header. */
  id: string;
  event: WebhookEvent;
  occurredAt: string;
  /** Who claimed or resolved; null for ticket.created. */
  actor: string | null;
  /** What the resolver told the user (`marsbot tickets resolve … --note`); null otherwise. */
  note: string | null;
  ticket: WebhookTicket;
}

/** What the outbox stores for a 'webhook' message: the body is fixed at enqueue time, so retries send the same bytes. */
export interface WebhookOutboxPayload {
  deliveryId: string;
  event: WebhookEvent;
  body: WebhookBody;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The wire shape of a ticket: ISO timestamps, explicit nulls, no internal idempotency key. */
function toWebhookTicket(ticket: Ticket): WebhookTicket {
  return {
    id: ticket.id,
    number: ticket.number,
    status: ticket.status,
    channel: ticket.channel,
    conversationId: ticket.conversationId,
    userId: ticket.userId,
    userName: ticket.userName ?? null,
    contact: ticket.contact ?? null,
    lang: ticket.lang,
    threadLink: ticket.threadLink ?? null,
    topic: ticket.topic,
    case: ticket.case,
    errorIds: ticket.errorIds,
    urgency: ticket.urgency,
    description: ticket.description,
    stepsShown: ticket.stepsShown,
    followUpAnswers: ticket.followUpAnswers,
    feedback: ticket.feedback.map((f) => ({ helpful: f.helpful, at: iso(f.at) })),
    transcript: ticket.transcript.map((line) => ({ from: line.from, text: line.text, at: iso(line.at) })),
    createdAt: iso(ticket.createdAt),
    updatedAt: iso(ticket.updatedAt),
    claimedBy: ticket.claimedBy ?? null,
    resolvedBy: ticket.resolvedBy ?? null,
  };
}

export function buildWebhookPayload(ticket: Ticket, event: WebhookEvent, actor: string | null, now: number, note?: string): WebhookOutboxPayload {
  const deliveryId = randomUUID();
  return { deliveryId, event, body: { id: deliveryId, event, occurredAt: iso(now), actor, note: note ?? null, ticket: toWebhookTicket(ticket) } };
}

export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

type HeaderBag = IncomingHttpHeaders | Record<string, string | string[] | undefined> | { get(name: string): string | null };

function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * For receivers (and tests): true when X-Marsbot-Signature matches the body and the timestamp is
 * within `toleranceSec` of now, which stops an old captured request from being replayed.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: HeaderBag,
  body: string | Buffer,
  toleranceSec: number,
  nowMs: number = Date.now(),
): boolean {
  const timestamp = headerValue(headers, 'x-marsbot-timestamp');
  const signature = headerValue(headers, 'x-marsbot-signature');
  if (!timestamp || !signature || !/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSec) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body.toString()), 'utf8');
  const given = Buffer.from(signature.trim(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

export interface WebhookHandlerOptions {
  url: string;
  secret: string;
  clock: Clock;
  /** Whole-request deadline; keep it well under the outbox lease so a slow receiver is not sent twice. */
  timeoutMs?: number;
  logger?: Logger;
}

/** The outbox handler for 'webhook' messages. Resolves on 2xx; throws on anything else, so the outbox retries. */
export function createWebhookHandler(options: WebhookHandlerOptions): (message: OutboxMessage) => Promise<void> {
  const target = new URL(options.url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new Error(`webhook url must be http(s), got ${target.protocol}`);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const logger = options.logger ?? createLogger('webhook');

  return async (message) => {
    const payload = message.payload as WebhookOutboxPayload;
    const body = JSON.stringify(payload.body);
    const timestamp = String(Math.floor(options.clock.now() / 1000));
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'marsbot-webhook/1',
      'X-Marsbot-Event': payload.event,
      'X-Marsbot-Delivery': payload.deliveryId,
      'X-Marsbot-Timestamp': timestamp,
      'X-Marsbot-Signature': signWebhookBody(options.secret, timestamp, body),
    };

    let status: number;
    try {
      // The deadline covers the whole exchange; a redirect is the receiver's answer, not a new place to send the ticket.
      const response = await fetch(target, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      status = response.status;
      // Only the status counts: the answer's body is dropped, which frees the connection.
      await response.body?.cancel();
    } catch (error) {
      throw new WebhookDeliveryError(deliveryFailure(error, timeoutMs));
    }

    if (status < 200 || status >= 300) {
      throw new WebhookDeliveryError(`receiver answered ${status}`, status);
    }
    logger.debug({ delivery: payload.deliveryId, event: payload.event, status }, 'webhook delivered');
  };
}

/**
 * Why a request did not get an answer. The abort is a DOMException named TimeoutError; fetch says
 * "fetch failed" and keeps the reason (refused, reset, DNS) as its cause. Read by shape, not by
 * class: a DOMException is not an Error everywhere (not in every VM context).
 */
function deliveryFailure(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { message?: unknown } };
  if (name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (typeof cause?.message === 'string') return cause.message;
  return typeof message === 'string' ? message : String(error);
}
