import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  HTTPModuleFunctions as http,
  HTTPResponseAck,
  SocketModeReceiver,
  type App,
  type BufferedIncomingMessage,
  type Logger as BoltLogger,
  type Receiver,
  type ReceiverEvent,
  verifySlackRequest,
} from '@slack/bolt';
import type { Logger } from 'pino';
import { parseJson, type JsonResult } from '../../shared/safe-json';
import { createBoltLogger } from './bolt-logger';
import { slackBodyProblem } from './slack-body-schema';

/**
 * Bolt's Receiver for marsbot. The HTTP part is a handler the host server mounts on POST
 * /slack/events (events, interactivity and slash commands share that path); it never listens
 * itself. With an app token, start() also connects Socket Mode, which feeds the same App.
 *
 * Reading, verifying and acknowledging follow Bolt's own HTTPReceiver (its HTTPModuleFunctions and
 * HTTPResponseAck); what marsbot adds: a body over 1 MiB is refused, a timestamp from the future
 * is refused like a stale one, a signed body we cannot read gets 400 with the reason before Bolt
 * sees it, and an event's 200 waits for its answer (see handle()).
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
  private readonly boltLogger: BoltLogger;
  private readonly now: () => number;

  constructor(private readonly options: SlackReceiverOptions) {
    this.boltLogger = createBoltLogger(options.logger);
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
    const written = new Promise<void>((resolve) => res.once('close', resolve));
    let request: BufferedIncomingMessage;
    try {
      request = await this.readAndVerify(req);
    } catch (error) {
      if (http.isRawBodyError(error)) {
        log.warn({ reason: error.type }, 'slack request body unreadable');
        http.buildNoBodyResponse(res, error.statusCode);
      } else {
        log.warn({ reason: (error as Error).message }, 'rejected a slack request');
        http.buildNoBodyResponse(res, 401);
      }
      return;
    }

    const parsed = parseBody(request.rawBody.toString('utf8'), req.headers['content-type'] ?? '');
    const problem = parsed.ok ? slackBodyProblem(parsed.value) : parsed.reason;
    if (problem !== undefined) {
      // Signed, yet not a request we can read: say why, and never hand it to Bolt.
      log.warn({ reason: problem }, 'slack request refused: malformed body');
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: problem }));
      return;
    }
    const body = (parsed as { value: Record<string, unknown> }).value;

    if (body['type'] === 'url_verification') {
      http.buildUrlVerificationResponse(res, body);
      return;
    }
    if (body['ssl_check'] !== undefined) {
      http.buildSSLCheckResponse(res);
      return;
    }

    const app = this.app;
    if (!app) {
      log.error('slack request before the app was initialised');
      http.buildNoBodyResponse(res, 503);
      return;
    }

    // Bolt acknowledges an Events API delivery before any listener runs, but Slack redelivers only
    // what was not acknowledged. So events run in Bolt's processBeforeResponse mode: the 200 waits
    // until the listener is done — the turn saved and its answer posted — or the deadline, and a
    // crash before that gets the event back. Interactions and commands are answered when acked.
    const holdUntilDone = body['type'] === 'event_callback';
    const respond = (): void => {
      if (!res.headersSent) http.buildContentResponse(res, responseAck.storedResponse);
    };
    const responseAck = new HTTPResponseAck({
      logger: this.boltLogger,
      processBeforeResponse: holdUntilDone,
      unhandledRequestTimeoutMillis: ACK_DEADLINE_MS,
      unhandledRequestHandler: () => {
        log.warn('slack request not acknowledged in time; answering 200');
        respond();
      },
      httpRequest: request,
      httpRequestBody: body,
      httpResponse: res,
    });
    const deadline = holdUntilDone
      ? setTimeout(() => {
          log.warn('slack event still running at the deadline; answering 200');
          respond();
        }, ACK_DEADLINE_MS)
      : undefined;
    const boundAck = responseAck.bind();
    const event: ReceiverEvent = {
      body,
      // An ack after the deadline has nothing left to answer; the listener's work goes on.
      ack: async (response?: unknown) => {
        if (!res.headersSent) await boundAck(response);
      },
      retryNum: http.extractRetryNumFromHTTPRequest(req),
      retryReason: http.extractRetryReasonFromHTTPRequest(req),
    };

    // Not awaited: a listener of an interaction acks first and keeps working after the response is out.
    void app
      .processEvent(event)
      .catch((error: unknown) => log.error({ err: error }, 'slack event processing failed'))
      .finally(() => {
        clearTimeout(deadline);
        responseAck.ack();
        respond();
      });

    await written;
  }

  /**
   * The body (read here with Bolt's reader and our limit, or kept by a body parser in front) with
   * its signature checked by Bolt. Bolt's parseAndVerifyHTTPRequest does the same two steps but
   * checks the timestamp against the system clock only; this one uses the receiver's clock.
   */
  private async readAndVerify(req: BodyRequest): Promise<BufferedIncomingMessage> {
    adoptParsedBody(req);
    const request = await http.bufferIncomingMessage(req, MAX_BODY_BYTES);
    const timestamp = Number(http.getHeader(request, 'x-slack-request-timestamp'));
    const nowMs = this.now();
    // Bolt's check rejects old timestamps; a timestamp from the future is just as suspect.
    if (timestamp - Math.floor(nowMs / 1000) > MAX_SKEW_SECONDS) throw new Error('request timestamp is in the future');
    verifySlackRequest({
      signingSecret: this.options.signingSecret,
      body: request.rawBody.toString('utf8'),
      headers: { 'x-slack-signature': http.getHeader(request, 'x-slack-signature'), 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
    return request;
  }
}

/**
 * A body parser that ran before us (marsbot's own server reads every body with its limits) keeps
 * the untouched text in rawBody; Bolt expects it as a Buffer there. The signature covers exactly it.
 */
function adoptParsedBody(req: BodyRequest): void {
  if (Buffer.isBuffer(req.rawBody)) return;
  for (const candidate of [req.rawBody, req.body]) {
    if (typeof candidate === 'string' || Buffer.isBuffer(candidate)) {
      req.rawBody = Buffer.isBuffer(candidate) ? candidate : Buffer.from(candidate, 'utf8');
      return;
    }
  }
  // Consumed by someone who kept no copy: nothing left to verify, and waiting for it would hang.
  if (req.readableEnded) req.rawBody = Buffer.alloc(0);
}

/** The body as JSON (events) or form fields (slash commands), or the JSON in a form's `payload` field (interactivity). */
function parseBody(raw: string, contentType: string): JsonResult {
  if (contentType.includes('application/json') || raw.trimStart().startsWith('{')) return parseJson(raw);
  const params = Object.fromEntries(new URLSearchParams(raw));
  if (typeof params['payload'] === 'string') return parseJson(params['payload']);
  return { ok: true, value: params };
}
