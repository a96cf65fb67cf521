import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Slack Web API (https://slack.com/api/<method>) and for response_urls.
 * It records every call with its decoded arguments and answers like Slack does ({ ok: true, … }),
 * or with a fault set up by the test (429 + Retry-After, or { ok: false, error }).
 */

export interface RecordedCall {
  method: string;
  /** Arguments, with JSON-valued form fields (blocks, view …) parsed back to objects. */
  args: Record<string, any>;
  token?: string;
  /** What the fake answered (e.g. the ts of a posted message). */
  response?: Record<string, any>;
}

interface RecordedResponsePost {
  /** The id in the response_url this was posted to. */
  id: string;
  body: Record<string, any>;
}

type Fault = { status: 429; retryAfterSeconds: number } | { error: string } | { status: number };

interface FakeUser {
  name?: string;
  realName?: string;
  locale?: string;
}

export interface FakeSlackApi {
  /** Base url for the Web API client (slackApiUrl). */
  readonly apiUrl: string;
  readonly calls: RecordedCall[];
  readonly responsePosts: RecordedResponsePost[];
  callsTo(method: string): RecordedCall[];
  /** A response_url served by this fake; posts to it are recorded in responsePosts. */
  responseUrl(id: string): string;
  /** The next `times` calls of `method` fail with `fault`. */
  failNext(method: string, fault: Fault, times?: number): void;
  setUser(id: string, user: FakeUser): void;
  /**
   * Every later call of `method` is recorded (and, for chat.postMessage, posted) as soon as it
   * arrives, and answered `ms` later: a slow Slack whose answer a crash can cut off.
   */
  slowDown(method: string, ms: number): void;
  /** What apps.connections.open answers (Socket Mode tests). */
  setSocketUrl(url: string): void;
  /** Resolves once `predicate` holds for the recorded traffic; rejects with what was recorded after `timeoutMs`. */
  waitFor(predicate: (api: FakeSlackApi) => boolean, timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

function decodeArgs(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, any>;
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const trimmed = value.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        args[key] = JSON.parse(trimmed);
        continue;
      } catch {
        // Not JSON after all: keep the text.
      }
    }
    args[key] = value;
  }
  return args;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const responsePosts: RecordedResponsePost[] = [];
  const faults = new Map<string, { fault: Fault; remaining: number }>();
  const users = new Map<string, FakeUser>();
  const delays = new Map<string, number>();
  /** What chat.postMessage put in each channel, as conversations.history and .replies read it back. */
  const posted: { channel: string; ts: string; thread_ts?: string; text?: unknown; metadata?: unknown }[] = [];
  let socketUrl = 'ws://127.0.0.1:1/';
  // Like Slack, newer than any message the tests made up (their ts lie in 2023).
  let ts = Math.floor(Date.now() / 1000);
  const nextTs = () => `${ts++}.000100`;

  function answer(method: string, args: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'marsbot', team: 'Test' };
      case 'chat.postMessage': {
        const message = { channel: String(args['channel']), ts: nextTs(), text: args['text'], ...(args['thread_ts'] ? { thread_ts: String(args['thread_ts']) } : {}), ...(args['metadata'] ? { metadata: args['metadata'] } : {}) };
        posted.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message: { text: args['text'] } };
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const oldest = Number(args['oldest'] ?? 0);
        const thread = method === 'conversations.replies' ? String(args['ts']) : undefined;
        const messages = posted
          .filter((m) => m.channel === String(args['channel']) && Number(m.ts) >= oldest && (thread === undefined ? m.thread_ts === undefined : m.thread_ts === thread || m.ts === thread))
          .map(({ ts, text, metadata }) => ({ type: 'message', ts, text, ...(metadata && String(args['include_all_metadata']) === 'true' ? { metadata } : {}) }));
        return { ok: true, messages: thread === undefined ? messages.reverse() : messages, has_more: false };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.getPermalink':
        return { ok: true, channel: args['channel'], permalink: `https://test.slack.com/archives/${args['channel']}/p${String(args['message_ts']).replace('.', '')}` };
      case 'users.info': {
        const id = String(args['user']);
        const user = users.get(id) ?? {};
        return {
          ok: true,
          user: { id, name: user.name ?? id.toLowerCase(), real_name: user.realName ?? user.name ?? id, ...(user.locale ? { locale: user.locale } : {}), profile: {} },
        };
      }
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: `V${ts++}`, ...(args['view'] as object) } };
      case 'apps.connections.open':
        return { ok: true, url: socketUrl };
      default:
        return { ok: true };
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname.startsWith('/response/')) {
        responsePosts.push({ id: decodeURIComponent(url.pathname.slice('/response/'.length)), body: JSON.parse(raw || '{}') as Record<string, any> });
        json(200, { ok: true });
        return;
      }
      const method = url.pathname.replace(/^\/api\//, '');
      const args = decodeArgs(raw, req.headers['content-type'] ?? '');
      const auth = req.headers.authorization;
      const call: RecordedCall = { method, args, ...(auth ? { token: auth.replace(/^Bearer /, '') } : {}) };
      calls.push(call);
      const pending = faults.get(method);
      if (pending && pending.remaining > 0) {
        pending.remaining -= 1;
        const { fault } = pending;
        if ('error' in fault) json(200, { ok: false, error: fault.error });
        else if (fault.status === 429 && 'retryAfterSeconds' in fault) json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSeconds) });
        else json(fault.status, { ok: false, error: 'fault' });
        return;
      }
      call.response = answer(method, args);
      const delay = delays.get(method) ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      json(200, call.response);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const api: FakeSlackApi = {
    apiUrl: `${base}/api/`,
    calls,
    responsePosts,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responseUrl: (id) => `${base}/response/${encodeURIComponent(id)}`,
    failNext(method, fault, times = 1) {
      faults.set(method, { fault, remaining: times });
    },
    setUser(id, user) {
      users.set(id, user);
    },
    slowDown(method, ms) {
      delays.set(method, ms);
    },
    setSocketUrl(url) {
      socketUrl = url;
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(api)) {
        if (Date.now() > deadline) {
          const seen = calls.map((c) => c.method).join(', ') || 'none';
          throw new Error(`fake Slack API: condition not met in ${timeoutMs} ms; calls seen: ${seen}; response posts: ${responsePosts.length}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    reset() {
      calls.length = 0;
      responsePosts.length = 0;
      posted.length = 0;
      faults.clear();
      delays.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}
