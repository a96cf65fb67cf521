import { createInterface } from 'node:readline';
import { conversationKey } from '../conversation/create-engine';
import type { Engine } from '../conversation/engine';
import type { Inbound } from '../conversation/inbound';
import { normalizeState, reachedCase, type ConversationState } from '../conversation/state';
import type { Lang } from '../shared/lang';
import type { Reply } from '../replies/reply';
import { createLogger } from '../shared/logger';
import { t } from '../shared/i18n';
import type { Store, Ticket } from '../storage/store';
import { MAX_STDIN_LINE_CHARS } from './ask-command';

/**
 * `marsbot chat --jsonl`: whole conversations as JSON lines (the conversation contract in
 * test/eval/README.md). One line in per turn, one line out once the turn is complete, through the
 * same engine and store as Teams and Slack. Each line names its conversation, so several
 * conversations can be interleaved on one stream.
 */

/** The kinds of turn the contract knows, from the user's point of view. */
export type ChatTurnKind = 'answer' | 'question' | 'clarify' | 'fallback' | 'info' | 'reprompt' | 'escalate' | 'ticket' | 'smalltalk';

export interface ChatTurnLine {
  conversation: string;
  kind: ChatTurnKind;
  topic: string | null;
  case: string | null;
  /** With kind = info: the fact answered. */
  info: string | null;
  lang: Lang;
  title: string;
  steps: string[];
  question: string | null;
  options: string[];
  ticket: string | null;
  replies: Reply[];
  /** Only when the turn failed on our side (a store that is down): the user got an apology. */
  error?: true;
}

/** Who is talking: a terminal has no sign-in, so the reporter is named on the command line. */
export interface Reporter {
  /** The name support sees on the ticket. */
  name: string;
  /** How support reaches them (an e-mail address, an account); the user id of the turns. */
  contact: string;
}

export interface ChatJsonlDeps {
  /** The engine every channel uses (createMarsbot's, guard included). */
  engine: Engine;
  /** Read only: the conversation's state after a turn, and the ticket a turn created. */
  store: Pick<Store, 'getDocument' | 'getTicket'>;
  reporter: Reporter;
  /** DEFAULT_LANG: the language of a turn that failed before it had one. */
  defaultLang: Lang;
}

/** A line without a conversation id belongs to this one. */
const DEFAULT_CONVERSATION = 'default';
/** Longest conversation id kept; longer ids are cut (they key the stored state). */
const MAX_CONVERSATION_CHARS = 200;

interface ParsedLine {
  conversation: string;
  text: string;
  lang?: Lang;
}

/** Reads one input line whatever it holds: a line that is not JSON is the text of the default conversation. */
function parseChatLine(line: string): ParsedLine {
  const raw = line.length > MAX_STDIN_LINE_CHARS ? line.slice(0, MAX_STDIN_LINE_CHARS) : line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { conversation: DEFAULT_CONVERSATION, text: raw };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { conversation: DEFAULT_CONVERSATION, text: typeof parsed === 'string' ? parsed : '' };
  }
  const record = parsed as Record<string, unknown>;
  const id = record['conversation'];
  const conversation = (typeof id === 'string' && id.trim() !== '' ? id.trim() : typeof id === 'number' ? String(id) : DEFAULT_CONVERSATION).slice(0, MAX_CONVERSATION_CHARS);
  const text = typeof record['text'] === 'string' ? record['text'] : '';
  const lang = record['lang'] === 'nl' || record['lang'] === 'en' ? record['lang'] : undefined;
  return { conversation, text, ...(lang ? { lang } : {}) };
}

/** Which reply carries the turn's point, and what kind of turn that makes it. */
const KIND_OF_REPLY: Partial<Record<string, ChatTurnKind>> = {
  escalate: 'escalate',
  answer: 'answer',
  info: 'info',
  clarify: 'clarify',
  fallback: 'fallback',
};
/** When several replies carry a point, the first kind in this order names the turn. */
const KIND_ORDER: readonly ChatTurnKind[] = ['escalate', 'answer', 'info', 'clarify', 'fallback', 'reprompt', 'question', 'smalltalk'];

/** The kind of a reply as the contract sees it; notices (solved, language switched, reset) are small talk. */
function replyKind(reply: Reply): ChatTurnKind {
  if (reply.kind === 'question') return reply.reprompt ? 'reprompt' : 'question';
  return KIND_OF_REPLY[reply.kind] ?? 'smalltalk';
}

function turnKind(replies: readonly Reply[], ticket: Ticket | undefined): ChatTurnKind {
  if (ticket) return 'ticket';
  const kinds = new Set(replies.map(replyKind));
  return KIND_ORDER.find((kind) => kinds.has(kind)) ?? 'smalltalk';
}

/** The topic a reply is about, as its buttons carry it. */
function topicOfReply(reply: Reply): string | null {
  for (const button of reply.choices ?? []) {
    if (button.action.type === 'follow-up' || button.action.type === 'solved') return button.action.topic;
  }
  return null;
}

/** The question the turn ends on: a follow-up, "did this solve it?", "which of these?", "shall I hand it over?". */
function questionOf(replies: readonly Reply[]): Reply | undefined {
  return [...replies].reverse().find((r) => r.prompt !== undefined && ((r.choices?.length ?? 0) > 0 || r.kind === 'question'));
}

function describeTurn(conversation: string, replies: Reply[], state: ConversationState, ticket: Ticket | undefined, fallbackLang: Lang): ChatTurnLine {
  const kind = turnKind(replies, ticket);
  const main =
    replies.find((r) => replyKind(r) === kind) ?? replies.find((r) => r.title !== undefined) ?? replies[0];
  const question = questionOf(replies);
  const topicFromReplies = replies.map(topicOfReply).find((topic) => topic !== null) ?? null;
  const aboutTopic = kind === 'answer' || kind === 'question' || kind === 'reprompt' || kind === 'escalate' || kind === 'ticket';
  const topic = ticket ? ticket.topic : aboutTopic ? (topicFromReplies ?? state.topic) : null;
  // The case whose steps this turn shows (answer), or the one the escalation is about.
  const caseId = ticket ? ticket.case : kind === 'answer' ? (topic === state.topic ? state.case : null) : kind === 'escalate' && topic === state.topic ? reachedCase(state) : null;
  const info = main && 'info' in main && typeof (main as { info?: unknown }).info === 'string' ? ((main as { info: string }).info) : null;
  return {
    conversation,
    kind,
    topic,
    case: caseId,
    info,
    lang: replies.at(-1)?.lang ?? state.lang ?? fallbackLang,
    title: main?.title ?? '',
    steps: replies.find((r) => r.steps && r.steps.length > 0)?.steps ?? [],
    question: question?.prompt ?? null,
    options: question?.choices?.map((c) => c.label) ?? [],
    ticket: ticket?.id ?? null,
    replies,
  };
}

export interface ChatJsonlSession {
  /** Runs one input line as a turn and returns its output line (as an object). Never throws. */
  turn(line: string): Promise<ChatTurnLine>;
}

export function createChatJsonlSession(deps: ChatJsonlDeps): ChatJsonlSession {
  const log = createLogger('chat-jsonl');

  async function readState(inbound: Inbound): Promise<ConversationState> {
    const doc = await deps.store.getDocument(conversationKey(inbound));
    return normalizeState(doc?.value);
  }

  return {
    async turn(line) {
      const { conversation, text, lang } = parseChatLine(line);
      const inbound: Inbound = {
        kind: 'message',
        channel: 'cli',
        conversationId: conversation,
        userId: deps.reporter.contact,
        userName: deps.reporter.name,
        contact: deps.reporter.contact,
        text,
        // The line's language is the caller's preference: it counts when the words give no sign of one.
        ...(lang ? { locale: lang } : {}),
      };
      const fallbackLang = lang ?? deps.defaultLang;
      try {
        const before = await readState(inbound);
        const replies = await deps.engine.handle(inbound);
        const state = await readState(inbound);
        // The conversation remembers its last ticket: a new one there is the ticket this turn created.
        const ticket = state.lastTicket && state.lastTicket !== before.lastTicket ? await deps.store.getTicket(state.lastTicket) : undefined;
        return describeTurn(conversation, replies, state, ticket, fallbackLang);
      } catch (err) {
        log.error({ err }, 'chat turn failed');
        const apology: Reply = { kind: 'notice', lang: fallbackLang, text: [t(fallbackLang, 'channels:errors.turn')] };
        return { ...describeTurn(conversation, [apology], normalizeState(undefined), undefined, fallbackLang), kind: 'fallback', error: true };
      }
    },
  };
}

/** Reads JSON lines from `input` and writes one output line per turn, in order; blank lines are skipped. */
export async function runChatJsonl(session: ChatJsonlSession, input: NodeJS.ReadableStream, write: (line: string) => void): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    write(JSON.stringify(await session.turn(line)));
  }
}
