import { createReadStream } from 'node:fs';
import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Request, RequestHandler, Response, Server } from 'restify';
import type { WebChat } from '../channels/web/create-web-chat';
import type { Store } from '../storage/store';
import type { Lifecycle } from './graceful-shutdown';
import { loadRestify } from './load-restify';
import { clientAddress } from './client-address';
import { createBodyReader } from './read-body';
import type { StoreHealth } from './store-health';

/** Something that answers an HTTP request completely (Teams' CloudAdapter, Slack's receiver). */
type HttpHandler = (req: Request, res: Response) => Promise<void>;

export interface ServerSettings {
  /** POST /api/messages: the Bot Framework endpoint Teams (or the Agents Playground) calls. */
  teams: HttpHandler;
  /** POST /slack/events (and /slack/interactions, /slack/commands): only when Slack is configured. */
  slack?: HttpHandler;
  webChat: WebChat;
  /**
   * What /readyz checks: the store answers (and, with storeHealth, writes again after a failure),
   * the knowledge base has topics, and the process is not shutting down.
   */
  readiness: {
    store: Pick<Store, 'ping'>;
    knowledgeTopics: () => number;
    storeHealth?: StoreHealth;
    /** The platforms with a support channel now: reported in /readyz's details, never a reason for 503. */
    supportChannels?: () => Promise<string[]>;
  };
  logger: Logger;
  /** Larger request bodies get 413. */
  maxBodyBytes?: number;
  /** TRUST_PROXY_HOPS: how many proxies' X-Forwarded-For entries to believe (0: the socket's address). */
  trustProxyHops?: number;
  /**
   * A client must have sent its whole request (headers and body) within this time, or it gets 408
   * and its connection is closed: a client that trickles its body cannot hold a socket for long.
   * Default 30 s. Other clients are never kept waiting by a slow one (nothing here blocks on I/O).
   */
  requestTimeoutMs?: number;
  /** Shutdown: /readyz turns 503 and connections close after their response instead of idling. */
  lifecycle?: Lifecycle;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 20_000;
const MAX_TIMEOUT_CHECK_INTERVAL_MS = 1_000;
const MIN_TIMEOUT_CHECK_INTERVAL_MS = 50;

/** A request is cut at most this long after its timeout: checks that come often enough, never busy. */
function timeoutCheckInterval(requestTimeoutMs: number): number {
  return Math.max(MIN_TIMEOUT_CHECK_INTERVAL_MS, Math.min(MAX_TIMEOUT_CHECK_INTERVAL_MS, Math.floor(requestTimeoutMs / 10)));
}

const ONE_MEGABYTE = 1024 * 1024;

/** What /readyz and the start-up log say while no support channel exists. */
export const NO_SUPPORT_CHANNEL =
  'none set: tickets are stored (marsbot tickets list) but nobody is notified; set SUPPORT_TEAMS_CONVERSATION or SUPPORT_SLACK_CHANNEL, or have a support admin run "set support channel"';

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // The page loads only its own files; the card renderer styles elements from script, hence inline styles.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Builds the HTTP server with every route; it does not listen (src/index.ts and tests do). */
export function createServer(settings: ServerSettings): Server {
  const restify = loadRestify();
  const { logger } = settings;
  const server = restify.createServer({ name: 'marsbot', handleUncaughtExceptions: false, log: logger as never });
  // Our own reader rather than restify's bodyParser: it also refuses invalid UTF-8 and JSON nested
  // deep enough to hurt, and it never hands a body type to a parser that writes uploads to disk.
  const body = createBodyReader({ maxBytes: settings.maxBodyBytes ?? ONE_MEGABYTE });

  // restify builds a plain node:http server (SPDY is never used, see load-restify.ts).
  const http = server.server as HttpServer & { connectionsCheckingInterval?: number };
  const requestTimeoutMs = settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  http.requestTimeout = requestTimeoutMs;
  http.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs);
  // Read by Node when the server starts listening. The timeout only bites when a check runs, and
  // Node's default (every 30 s) would let a request live up to twice the documented 30 s.
  http.connectionsCheckingInterval = timeoutCheckInterval(requestTimeoutMs);

  const lifecycle = settings.lifecycle;
  if (lifecycle) {
    const inFlight = new Set<ServerResponse>();
    const closeAfterResponse = (res: ServerResponse): void => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    };
    http.on('request', (_req, res: ServerResponse) => {
      if (lifecycle.draining) closeAfterResponse(res);
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
    });
    lifecycle.onDrain(() => {
      for (const res of inFlight) closeAfterResponse(res);
      http.closeIdleConnections();
    });
  }

  // Only the body types a route understands are read at all; anything else (uploads, XML) is
  // refused before a byte of its body is.
  const accepts = (...types: string[]): RequestHandler =>
    (req: Request, res: Response, next: (err?: false) => void) => {
      const hasBody = req.isChunked() || Number(req.headers['content-length'] ?? 0) > 0;
      if (!hasBody || types.includes(req.getContentType())) {
        next();
        return;
      }
      res.send(415, { error: `unsupported media type: send ${types.join(' or ')}` });
      next(false);
    };
  const json = accepts('application/json');

  const guarded = (name: string, handler: HttpHandler): RequestHandler =>
    async (req: Request, res: Response) => {
      try {
        await handler(req, res);
      } catch (err) {
        logger.error({ err, route: name }, 'request failed');
        if (!res.headersSent) res.send(500, { error: 'internal error' });
      }
    };

  server.post('/api/messages', json, body, guarded('teams', settings.teams));

  if (settings.slack) {
    const slack = guarded('slack', settings.slack);
    // The Slack app manifest points everything at /slack/events; the other two paths are aliases.
    // Events come as JSON; interactions and slash commands as form posts.
    const slackBodies = accepts('application/json', 'application/x-www-form-urlencoded');
    for (const path of ['/slack/events', '/slack/interactions', '/slack/commands']) server.post(path, slackBodies, body, slack);
  }

  server.post(
    '/api/web/messages',
    json,
    body,
    guarded('web', async (req, res) => {
      const result = await settings.webChat.handleMessage(req.body, { clientAddress: clientAddress(req, settings.trustProxyHops ?? 0) });
      res.send(result.status, result.body);
    }),
  );

  server.get(
    '/api/web/updates',
    guarded('web-updates', async (req, res) => {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const result = await settings.webChat.handleUpdates({ conversationId: query.get('conversationId'), after: query.get('after') });
      res.send(result.status, result.body);
    }),
  );

  server.get('/', async (_req: Request, res: Response) => {
    res.sendRaw(200, settings.webChat.page(), PAGE_HEADERS);
  });

  // Browsers ask for it on every page; the web chat's icon.
  server.get('/favicon.ico', async (_req: Request, res: Response) => {
    const icon = settings.webChat.asset('favicon.ico')!;
    res.writeHead(200, { 'Content-Type': icon.contentType, 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' });
    await new Promise<void>((resolve, reject) => {
      createReadStream(icon.path).on('error', reject).on('end', resolve).pipe(res);
    });
  });

  server.get('/static/:name', async (req: Request, res: Response) => {
    const asset = settings.webChat.asset(String((req.params as Record<string, unknown>)['name']));
    if (!asset) {
      res.send(404, { error: 'not found' });
      return;
    }
    res.writeHead(200, { 'Content-Type': asset.contentType, 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' });
    await new Promise<void>((resolve, reject) => {
      createReadStream(asset.path).on('error', reject).on('end', resolve).pipe(res);
    });
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    // 'ok', or what is wrong.
    const checks: Record<string, string> = {};
    const health = settings.readiness.storeHealth;
    try {
      await settings.readiness.store.ping();
      // The store failed since the last write that worked: only a write can tell it is back.
      if (health?.failure()) await health.probe();
      checks['store'] = 'ok';
    } catch (err) {
      checks['store'] = `unavailable: ${(err as Error).message}`;
    }
    checks['knowledge'] = settings.readiness.knowledgeTopics() > 0 ? 'ok' : 'no topics loaded';
    if (lifecycle?.draining) checks['process'] = 'shutting down';
    const ready = Object.values(checks).every((v) => v === 'ok');
    // Tickets are still created without one, so this is information for the operator, not a failure.
    const channels = await settings.readiness.supportChannels?.().catch(() => undefined);
    const details = channels === undefined ? {} : { details: { supportChannel: channels.length > 0 ? channels.join(', ') : NO_SUPPORT_CHANNEL } };
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks, ...details });
  });

  return server;
}
