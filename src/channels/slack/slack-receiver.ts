import type { IncomingMessage, ServerResponse } from 'node:http';
import { SocketModeReceiver, verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import { parseJson, type JsonResult } from '../../shared/safe-json';
import { createBoltLogger } from './bolt-logger';
import { slackBodyProblem } from './slack-body-schema';

/**
 * Bolt's Receiver for marsbot. The HTTP part is a handler the host server mounts on POST
 * /slack/events (events, interactivity and slash commands share that path); it never listens
 * itself. With an app token, start() also connects Socket Mode, which feeds the same App.
 */

const MAX_SKEW_SECONDS = 5 * 60;
const MAX_BODY_BYTES = 1024 * 1024;
/** Slack gives up after 3 s; answer 200 before that even when a listener is slow to ack. */
const ACK_DEADLINE_MS = 2500;

export interface SlackReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Socket Mode app-level token (xapp-…): start() connects when it is set. */
  appToken?: string;
  /** Web API base url for Socket Mode's apps.connections.open (tests point it at a fake). */
  apiUrl?: string;
  /** Epoch milliseconds; injectable so the timestamp window can be tested. */
  now?: () => number;
}

type BodyRequest = IncomingMessage & { rawBody?: unknown; body?: unknown };

export class SlackReceiver implements Receiver {
  private app: App | undefined;
  private socketMode: SocketModeReceiver | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SlackReceiverOptions) {
    this.now = options.now ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  /** Connects Socket Mode when an app token is configured; HTTP needs no start (the host server listens). */
  async start(): Promise<void> {
    if (!this.options.appToken || !this.app || this.socketMode) return;
    const socketMode = new SocketModeReceiver({
      appToken: this.options.appToken,
      logger: createBoltLogger(this.options.logger.child({ transport: 'socket-mode' })),
      ...(this.options.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: this.options.apiUrl } } } : {}),
    });
    socketMode.init(this.app);
    this.socketMode = socketMode;
    await socketMode.start();
  }

  async stop(): Promise<void> {
    const socketMode = this.socketMode;
    this.socketMode = undefined;
    if (socketMode) await socketMode.stop();
  }

  /** Handles one POST from Slack. Resolves once the HTTP response is written; the work goes on after. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const log = this.options.logger;
    let rawBody: string;
    try {
      rawBody = await readRawBody(req as BodyRequest);
    } catch (error) {
      log.warn({ err: error }, 'slack request body unreadable');
      return send(res, 413);
    }

    if (!this.isAuthentic(req, rawBody)) return send(res, 401);

    const parsed = parseBody(rawBody, String(req.headers['content-type'] ?? ''));
    const problem = parsed.ok ? slackBodyProblem(parsed.value) : parsed.reason;
    if (problem !== undefined) {
      // Signed, yet not a request we can read: say why, and never hand it to Bolt.
      log.warn({ reason: problem }, 'slack request refused: malformed body');
      return send(res, 400, JSON.stringify({ error: problem }), 'application/json');
    }
    const body = (parsed as { value: Record<string, unknown> }).value;

    if (body['type'] === 'url_verification') {
      return send(res, 200, JSON.stringify({ challenge: body['challenge'] }), 'application/json');
    }
    if (body['ssl_check'] !== undefined) return send(res, 200);

    const app = this.app;
    if (!app) {
      log.error('slack request before the app was initialised');
      return send(res, 503);
    }

    let responded!: () => void;
    const written = new Promise<void>((resolve) => (responded = resolve));
    let acked = false;
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) return;
      acked = true;
      clearTimeout(deadline);
      if (response === undefined || response === '') send(res, 200);
      else if (typeof response === 'string') send(res, 200, response, 'text/plain; charset=utf-8');
      else send(res, 200, JSON.stringify(response), 'application/json');
      responded();
    };
    const deadline = setTimeout(() => {
      log.warn('slack request not acknowledged in time; answering 200');
      void ack();
    }, ACK_DEADLINE_MS);

    // Bolt acknowledges an Events API delivery before any listener runs, but Slack redelivers only
    // what was not acknowledged. So for events the 200 waits until the listener is done — the turn
    // saved and its answer posted — or the deadline: a crash before that gets the event back.
    const holdUntilDone = body['type'] === 'event_callback';
    const retryNum = Number(req.headers['x-slack-retry-num']);
    const retryReason = req.headers['x-slack-retry-reason'];
    const event: ReceiverEvent = {
      body,
      ack: holdUntilDone ? async () => undefined : ack,
      ...(Number.isFinite(retryNum) ? { retryNum } : {}),
      ...(typeof retryReason === 'string' ? { retryReason } : {}),
    };

    // Not awaited: a listener of an interaction acks first and keeps working after the response is out.
    void app
      .processEvent(event)
      .catch((error: unknown) => log.error({ err: error }, 'slack event processing failed'))
      .finally(() => void ack());

    await written;
  }

  private isAuthentic(req: IncomingMessage, rawBody: string): boolean {
    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (typeof signature !== 'string' || !Number.isInteger(timestamp)) return false;
    const nowMs = this.now();
    // Bolt's helper rejects old timestamps; a timestamp from the future is just as suspect.
    if (timestamp - Math.floor(nowMs / 1000) > MAX_SKEW_SECONDS) return false;
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: rawBody,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: nowMs,
      });
      return true;
    } catch (error) {
      this.options.logger.warn({ reason: (error as Error).message }, 'rejected a slack request');
      return false;
    }
  }
}

function send(res: ServerResponse, status: number, body = '', contentType?: string): void {
  if (res.headersSent) return;
  res.writeHead(status, contentType ? { 'content-type': contentType } : {});
  res.end(body);
}

async function readRawBody(req: BodyRequest): Promise<string> {
  // A body parser that ran before us keeps the untouched text in rawBody; the signature covers exactly that.
  for (const candidate of [req.rawBody, req.body]) {
    if (typeof candidate === 'string') return candidate;
    if (Buffer.isBuffer(candidate)) return candidate.toString('utf8');
  }
  // Consumed by someone who kept no copy: nothing left to verify, and waiting would hang.
  if (req.readableEnded) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as JSON (events) or form fields (slash commands), or the JSON in a form's `payload` field (interactivity). */
function parseBody(raw: string, contentType: string): JsonResult {
  if (contentType.includes('application/json') || raw.trimStart().startsWith('{')) return parseJson(raw);
  const params = Object.fromEntries(new URLSearchParams(raw));
  if (typeof params['payload'] === 'string') return parseJson(params['payload']);
  return { ok: true, value: params };
}
