import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Engine } from '../../conversation/engine';
import { ticketRequestOf, type Inbound, type InboundBase } from '../../conversation/inbound';
import { LANGS, type Lang } from '../../shared/lang';
import { renderAdaptiveCard, type AdaptiveCard } from '../../replies/render-adaptive-card';
import type { Reply, ReplyKind } from '../../replies/reply';
import { t, tList } from '../../shared/i18n';
import { messageTextField } from '../../shared/logger';
import { readCardSubmit } from '../card-submit';
import { redactSecrets } from '../../shared/redact';
import { truncate } from '../../shared/truncate';
import type { WebUpdates } from './web-updates';

/**
 * The local web chat: a page that renders the same Adaptive Cards Teams shows, talking to the
 * engine over one JSON endpoint. No build step: the page's files are served as they are.
 */

/** Longer pastes are shown cut: redacting 200,000 characters for a speech bubble is not worth the CPU. */
const SAID_MAX_CHARS = 20_000;

function saidForPage(text: string): string {
  return text.length <= SAID_MAX_CHARS ? redactSecrets(text) : `${redactSecrets(truncate(text, SAID_MAX_CHARS, { ellipsis: '' }))}…`;
}

export interface WebChatSettings {
  engine: Engine;
  defaultLang: Lang;
  logger: Logger;
  logMessageText?: boolean;
  /** Where claims and resolutions of a conversation's tickets wait for the page to fetch them. */
  updates: WebUpdates;
  /** How often an open page asks for them (default 4 s). */
  pollIntervalMs?: number;
}

/** A rendered reply as the page receives it. */
interface WebReply {
  kind: ReplyKind;
  lang: Lang;
  card: AdaptiveCard;
}

interface WebChatResponse {
  status: number;
  /**
   * `said`: the typed text as marsbot keeps it, secrets redacted. The page shows and remembers this
   * form, so a pasted passphrase does not stay in the browser's storage either.
   */
  body: { replies: WebReply[]; said?: string } | { error: string };
}

interface WebUpdatesResponse {
  status: number;
  body: { updates: { seq: number; replies: WebReply[] }[]; last: number } | { error: string };
}

export interface WebChat {
  /** The page, with its strings for both languages embedded. */
  page(): string;
  /** POST /api/web/messages; `clientAddress` is who sent it (the server works it out, see client-address.ts). */
  handleMessage(body: unknown, origin?: { clientAddress?: string }): Promise<WebChatResponse>;
  /** GET /api/web/updates?conversationId=…&after=N: what reached the conversation after update N. */
  handleUpdates(query: { conversationId?: string | null; after?: string | null }): Promise<WebUpdatesResponse>;
  /** Files under /static/, by name; undefined for anything else. */
  asset(name: string): { path: string; contentType: string } | undefined;
}

const id = z.string().regex(/^[A-Za-z0-9_-]{8,80}$/, 'must be 8–80 letters, digits, - or _');
const updatesQuery = z.object({ conversationId: id, after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0) });
const DEFAULT_POLL_MS = 4_000;
const requestSchema = z.object({
  conversationId: id,
  userId: id,
  userName: z.string().trim().max(100).optional(),
  // As long as the 1 MiB body allows: a pasted log is read whole (MAX_MESSAGE_CHARS may cut it).
  text: z.string().max(1_048_576).optional(),
  /** What an Adaptive Card submit sends: the button's data merged with the form's inputs. */
  value: z.unknown().optional(),
  locale: z.string().max(35).optional(),
  /** "start": a new conversation was opened in the page, and the bot introduces itself. */
  event: z.literal('start').optional(),
});

/** src/channels/web/public, whether we run from src (tests) or from dist (npm start). */
function publicDir(): string {
  const candidates = [join(__dirname, 'public'), join(__dirname, '..', '..', '..', '..', 'src', 'channels', 'web', 'public')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

function adaptiveCardsScript(): string {
  return join(dirname(require.resolve('adaptivecards/package.json')), 'dist', 'adaptivecards.min.js');
}

function pageStrings(): Record<Lang, Record<string, unknown>> {
  const strings = {} as Record<Lang, Record<string, unknown>>;
  for (const lang of LANGS) {
    const keys = ['title', 'heading', 'tagline', 'placeholder', 'send', 'newConversation', 'language', 'you', 'bot', 'thinking', 'unreachable', 'message'] as const;
    strings[lang] = Object.fromEntries(keys.map((key) => [key, t(lang, `channels:web.${key}`)]));
    strings[lang].examples = tList(lang, 'channels:web.examples');
  }
  return strings;
}

// JSON inside a <script> element: "<" must not be able to close it.
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function createWebChat(settings: WebChatSettings): WebChat {
  const { engine, logger } = settings;
  const dir = publicDir();
  const template = readFileSync(join(dir, 'index.html'), 'utf8');
  const assets: Record<string, { path: string; contentType: string }> = {
    'adaptivecards.js': { path: adaptiveCardsScript(), contentType: 'application/javascript; charset=utf-8' },
    'web-chat.js': { path: join(dir, 'web-chat.js'), contentType: 'application/javascript; charset=utf-8' },
    'web-chat.css': { path: join(dir, 'web-chat.css'), contentType: 'text/css; charset=utf-8' },
    'favicon.ico': { path: join(dir, 'favicon.ico'), contentType: 'image/x-icon' },
  };
  const render = (replies: Reply[]): WebReply[] => replies.map((reply) => ({ kind: reply.kind, lang: reply.lang, card: renderAdaptiveCard(reply) }));
  const html = template
    .replace('__LANG__', settings.defaultLang)
    .replace('__TITLE__', escapeHtml(t(settings.defaultLang, 'channels:web.title')))
    .replace('__CONFIG__', jsonForScript({ defaultLang: settings.defaultLang, strings: pageStrings(), pollMs: settings.pollIntervalMs ?? DEFAULT_POLL_MS }));

  return {
    page: () => html,
    asset: (name) => (Object.hasOwn(assets, name) ? assets[name] : undefined),
    async handleMessage(body, origin = {}) {
      const parsed = requestSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { status: 400, body: { error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` } };
      }
      const request = parsed.data;
      const action = request.value === undefined ? undefined : readCardSubmit(request.value);
      if (request.value !== undefined && !action) return { status: 400, body: { error: 'value: not a marsbot action' } };
      // Whole: the guarded engine cuts it to MAX_MESSAGE_CHARS and says so (the schema bounds it).
      const text = request.text ?? '';
      const who: InboundBase = {
        channel: 'web',
        conversationId: request.conversationId,
        userId: request.userId,
        userName: request.userName || undefined,
        locale: request.locale,
        // The page's ids are the client's own choice; its address is not.
        ...(origin.clientAddress ? { clientAddress: origin.clientAddress } : {}),
        // Nobody signs in here: a ticket asks for a name and an e-mail address.
        anonymous: true,
      };
      const ticket = action ? ticketRequestOf(action) : undefined;
      const inbound: Inbound =
        request.event === 'start'
          ? { ...who, kind: 'installed' }
          : ticket
            ? // The web chat is never a support channel: the support layer turns this down.
              { ...who, kind: 'support-action', request: ticket, where: { place: `web:${request.conversationId}`, shared: false } }
            : action
              ? { ...who, kind: 'action', action }
              : { ...who, kind: 'message', text };
      logger.info(
        { kind: inbound.kind, action: action?.type, chars: inbound.kind === 'message' ? text.length : undefined, ...messageTextField(inbound.kind === 'message' ? text : undefined, settings.logMessageText ?? false) },
        'web chat message',
      );
      const replies = await engine.handle(inbound);
      return {
        status: 200,
        body: {
          replies: render(replies),
          ...(action || inbound.kind === 'installed' ? {} : { said: saidForPage(text) }),
        },
      };
    },
    async handleUpdates(query) {
      const parsed = updatesQuery.safeParse({ conversationId: query.conversationId ?? undefined, after: query.after ?? undefined });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { status: 400, body: { error: `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}` } };
      }
      const { updates, last } = await settings.updates.after(parsed.data.conversationId, parsed.data.after);
      return { status: 200, body: { updates: updates.map((u) => ({ seq: u.seq, replies: render(u.replies) })), last } };
    },
  };
}
