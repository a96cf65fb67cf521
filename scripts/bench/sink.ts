import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The far side of the bots' outgoing calls, in its own process so it takes no time from the load
 * generator: the Bot Connector (/v3/conversations/:id/activities) and the Slack Web API (/api/<method>).
 * It answers the way the services do and keeps counts, plus the arrival time of the first
 * chat.postMessage per Slack conversation (channel|thread_ts), so a turn can be timed end to end.
 * Control: GET /_stats, GET /_replies, POST /_reset.
 *
 * Run with child_process.fork: it sends { port } once it listens.
 */

function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let connections = 0;
let connectorPosts = 0;
let connectorBytes = 0;
let slackCalls: Record<string, number> = {};
let firstReply = new Map<string, number>();
let activityId = 0;
let ts = 1_700_000_000;

function slackAnswer(method: string, args: URLSearchParams): Record<string, unknown> {
  switch (method) {
    case 'auth.test':
      return { ok: true, user_id: 'UBENCHBOT', bot_id: 'BBENCH', team_id: 'TBENCH', user: 'marsbot', team: 'Bench' };
    case 'users.info': {
      const id = args.get('user') ?? 'U0';
      return { ok: true, user: { id, name: id.toLowerCase(), real_name: `User ${id}`, locale: 'nl-NL', profile: { display_name: `User ${id}` } } };
    }
    case 'chat.postMessage':
      return { ok: true, channel: args.get('channel'), ts: `${ts++}.000100` };
    case 'chat.getPermalink':
      return { ok: true, permalink: 'https://bench.slack.com/archives/C0/p1' };
    default:
      return { ok: true };
  }
}

const server = createServer((req, res) => {
  void (async () => {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path.startsWith('/v3/conversations/')) {
      connectorPosts++;
      connectorBytes += Buffer.byteLength(raw);
      json(200, { id: `bench-activity-${++activityId}` });
      return;
    }
    if (path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      slackCalls[method] = (slackCalls[method] ?? 0) + 1;
      const args = (req.headers['content-type'] ?? '').includes('json')
        ? new URLSearchParams(Object.entries(JSON.parse(raw || '{}') as Record<string, string>))
        : new URLSearchParams(raw);
      if (method === 'chat.postMessage') {
        const at = wallMs();
        const key = `${args.get('channel') ?? ''}|${args.get('thread_ts') ?? ''}`;
        if (!firstReply.has(key)) firstReply.set(key, at);
      }
      json(200, slackAnswer(method, args));
      return;
    }
    if (path === '/_stats') {
      json(200, { connections, connectorPosts, connectorBytes, slackCalls, slackConversationsReplied: firstReply.size });
      return;
    }
    if (path === '/_replies') {
      json(200, [...firstReply]);
      return;
    }
    if (path === '/_reset') {
      connections = 0;
      connectorPosts = 0;
      connectorBytes = 0;
      slackCalls = {};
      firstReply = new Map();
      json(200, { ok: true });
      return;
    }
    json(404, { error: 'not found' });
  })().catch((error: unknown) => {
    res.writeHead(500);
    res.end(String(error));
  });
});
server.on('connection', () => connections++);
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
