import { createReadStream } from 'node:fs';
import type { Logger } from 'pino';
import type { Request, RequestHandler, Response, Server } from 'restify';
import type { WebChat } from '../channels/web/create-web-chat';
import type { Store } from '../storage/store';
import { loadRestify } from './load-restify';

/** Something that answers an HTTP request completely (Teams' CloudAdapter, Slack's receiver). */
export type HttpHandler = (req: Request, res: Response) => Promise<void>;

export interface ServerSettings {
  /** POST /api/messages: the Bot Framework endpoint Teams (or the Agents Playground) calls. */
  teams: HttpHandler;
  /** POST /slack/events (and /slack/interactions, /slack/commands): only when Slack is configured. */
  slack?: HttpHandler;
  webChat: WebChat;
  /** What /readyz checks: the store answers and the knowledge base has topics. */
  readiness: { store: Pick<Store, 'ping'>; knowledgeTopics: () => number };
  logger: Logger;
  /** Larger request bodies get 413. */
  maxBodyBytes?: number;
}

const ONE_MEGABYTE = 1024 * 1024;

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
  const body = restify.plugins.bodyParser({ maxBodySize: settings.maxBodyBytes ?? ONE_MEGABYTE, mapParams: false, mapFiles: false });

  const guarded = (name: string, handler: HttpHandler): RequestHandler =>
    async (req: Request, res: Response) => {
      try {
        await handler(req, res);
      } catch (err) {
        logger.error({ err: { name: (err as Error).name, message: (err as Error).message }, route: name }, 'request failed');
        if (!res.headersSent) res.send(500, { error: 'internal error' });
      }
    };

  server.post('/api/messages', body, guarded('teams', settings.teams));

  if (settings.slack) {
    const slack = guarded('slack', settings.slack);
    // The Slack app manifest points everything at /slack/events; the other two paths are aliases.
    for (const path of ['/slack/events', '/slack/interactions', '/slack/commands']) server.post(path, body, slack);
  }

  server.post(
    '/api/web/messages',
    body,
    guarded('web', async (req, res) => {
      const result = await settings.webChat.handleMessage(req.body);
      res.send(result.status, result.body);
    }),
  );

  server.get('/', async (_req: Request, res: Response) => {
    res.sendRaw(200, settings.webChat.page(), PAGE_HEADERS);
  });

  server.get('/static/:name', async (req: Request, res: Response) => {
    const asset = settings.webChat.asset(String(req.params['name']));
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
    const checks: Record<string, 'ok' | string> = {};
    try {
      await settings.readiness.store.ping();
      checks['store'] = 'ok';
    } catch (err) {
      checks['store'] = `unavailable: ${(err as Error).message}`;
    }
    checks['knowledge'] = settings.readiness.knowledgeTopics() > 0 ? 'ok' : 'no topics loaded';
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
  });

  return server;
}
