import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Plays the Bot Framework Connector (the service Teams' messages come from and replies go to):
 * records what the bot posts to /v3/conversations/:id/activities[/:replyTo] and answers with an id.
 * Activities sent to the bot carry serviceUrl = this server, so the real botbuilder SDK talks to it.
 */

export interface PostedActivity {
  conversationId: string;
  /** Set when the bot replied to a specific activity (replyToActivity). */
  replyToId?: string;
  authorization?: string;
  activity: Record<string, unknown> & { type: string; text?: string; attachments?: { contentType: string; content: unknown }[] };
}

export class FakeBotConnector {
  readonly posted: PostedActivity[] = [];
  private server?: Server;
  private counter = 0;
  url = '';
  /**
   * A slow Connector: each activity is posted (recorded) as soon as it arrives and answered this many
   * ms later, so a crash in between leaves a post the bot never heard back about.
   */
  answerDelayMs = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        async (body) => {
          if (this.answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.answerDelayMs));
          res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(body ?? { error: { code: 'NotFound' } }));
        },
        () => {
          res.writeHead(400);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Message activities (not typing indicators) posted to one conversation, in order. */
  messages(conversationId?: string): PostedActivity[] {
    return this.posted.filter((p) => p.activity.type === 'message' && (conversationId === undefined || p.conversationId === conversationId));
  }

  /** The Adaptive Cards of the bot's messages, in order. */
  cards(conversationId?: string): unknown[] {
    return this.messages(conversationId).flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content));
  }

  clear(): void {
    this.posted.length = 0;
    this.answerDelayMs = 0;
  }

  private async handle(req: IncomingMessage): Promise<object | undefined> {
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'POST' || !match) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PostedActivity['activity'];
    this.posted.push({
      conversationId: decodeURIComponent(match[1]!),
      replyToId: match[2] ? decodeURIComponent(match[2]) : undefined,
      authorization: req.headers.authorization,
      activity,
    });
    return { id: `bot-activity-${++this.counter}` };
  }
}

export interface ActivityOptions {
  serviceUrl: string;
  text?: string;
  value?: unknown;
  locale?: string;
  conversationType?: 'personal' | 'channel' | 'groupChat';
  conversationId?: string;
  /** Adds a proper Teams @mention of the bot in front of the text. */
  mentionBot?: boolean;
  id?: string;
  /** Who sends it (default USER). */
  from?: TeamsUser;
}

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export const BOT = { id: '28:marsbot-app-id', name: 'marsbot' };
export const USER: TeamsUser = { id: '29:user-1', name: 'Anne de Vries', aadObjectId: '00000000-0000-0000-0000-0000000000a1' };
/** A second person: the one who tries what they should not. */
export const OTHER_USER: TeamsUser = { id: '29:user-2', name: 'Mallory Jansen', aadObjectId: '00000000-0000-0000-0000-0000000000b2' };

let nextId = 1;

/** A Teams message activity as the Bot Connector posts it to /api/messages. */
export function teamsMessage(options: ActivityOptions): Record<string, unknown> {
  const conversationType = options.conversationType ?? 'personal';
  const conversationId =
    options.conversationId ?? (conversationType === 'channel' ? '19:abc@thread.tacv2;messageid=1700000000001' : 'a:personal-conversation-1');
  const mentionText = `<at>${BOT.name}</at>`;
  const text = options.mentionBot ? `${mentionText} ${options.text ?? ''}` : options.text;
  return {
    type: 'message',
    id: options.id ?? `user-activity-${nextId++}`,
    timestamp: new Date().toISOString(),
    serviceUrl: options.serviceUrl,
    channelId: 'msteams',
    from: options.from ?? USER,
    recipient: BOT,
    conversation: { id: conversationId, conversationType, tenantId: 'tenant-1', ...(conversationType === 'channel' ? { isGroup: true } : {}) },
    locale: options.locale ?? 'en-US',
    ...(text !== undefined ? { text } : {}),
    ...(options.value !== undefined ? { value: options.value } : {}),
    entities: options.mentionBot ? [{ type: 'mention', text: mentionText, mentioned: BOT }] : [],
    channelData: {
      tenant: { id: 'tenant-1' },
      ...(conversationType === 'channel' ? { team: { id: '19:team@thread.tacv2', aadGroupId: 'group-1' }, channel: { id: '19:abc@thread.tacv2' } } : {}),
    },
  };
}

/** The conversationUpdate Teams sends when the app is installed (the bot itself is added). */
export function teamsInstall(serviceUrl: string, locale = 'nl-NL'): Record<string, unknown> {
  return {
    type: 'conversationUpdate',
    id: `install-${nextId++}`,
    serviceUrl,
    channelId: 'msteams',
    from: USER,
    recipient: BOT,
    conversation: { id: 'a:personal-conversation-install', conversationType: 'personal', tenantId: 'tenant-1' },
    membersAdded: [{ id: BOT.id }],
    locale,
    channelData: { tenant: { id: 'tenant-1' } },
  };
}
