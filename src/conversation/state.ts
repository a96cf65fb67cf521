import type { Reply } from '../replies/reply';
import { LANGS, type Lang } from '../shared/lang';
import { redactSecrets, type RedactedText } from '../shared/redact';

/**
 * What the engine remembers about one conversation thread. Kept small and plain JSON: it is
 * written back to the store on every turn, and it is what a ticket is built from.
 *
 * Every free-text field is RedactedText: what users paste (passphrases, keys, proxy URLs) is
 * redacted before it enters the state, so it is never stored, and a new field or flow cannot put
 * raw text here without the compiler noticing. The matcher sees the raw text, in memory only.
 */

export const CAPS = {
  transcriptEntries: 50,
  transcriptChars: 2000,
  stepsShown: 60,
  followUpAnswers: 20,
  feedback: 20,
  errorIds: 20,
  handledEvents: 50,
} as const;

/**
 * What the engine waits for besides an answer to the open follow-up question: "did this solve
 * it?", the ticket description, which of the offered topics, or whether to hand over to support.
 */
type Awaiting = 'solved' | 'escalation-description' | 'escalation-contact' | 'topic-choice' | 'escalation-offer';

export interface TranscriptEntry {
  from: 'user' | 'bot';
  text: RedactedText;
  at: number;
}

/** Who to contact about a ticket, as the user gave it where the platform does not say (web chat, terminal). */
export interface Reporter {
  name: RedactedText;
  email: string;
}

/** A typed ticket description kept while the bot asks how support can reach the user. */
interface PendingEscalation {
  description: RedactedText;
  urgency: 'low' | 'normal' | 'high';
}

interface FollowUpAnswer {
  question: RedactedText;
  answer: RedactedText;
}

export interface ConversationState {
  /**
   * Bumped when the shape changes, so an old stored document can be read defensively. 2: free
   * text is redacted on the way in (a version-1 document may still hold raw text).
   */
  v: 2;
  lang: Lang | null;
  topic: string | null;
  case: string | null;
  /** Cases of the current topic that did not help, or that the user ruled out. */
  casesTried: string[];
  /** Cases of the current topic whose steps the user has seen, in the order shown. */
  casesShown: string[];
  /** Cases the follow-up answers led away from, oldest first: never offered as the next fix. */
  casesUnlikely: string[];
  /** The follow-up question (of `topic`) waiting for an answer. */
  pendingQuestion: string | null;
  awaiting: Awaiting | null;
  /** The topics a clarify offered, in button order, so "2" can pick one. */
  topicChoices: string[];
  errorIds: string[];
  stepsShown: string[];
  followUpAnswers: FollowUpAnswer[];
  feedback: { helpful: boolean; at: number }[];
  /** How many escalations this conversation started: part of the ticket's idempotency key. */
  escalations: number;
  lastTicket: string | null;
  /** The name and e-mail address the user gave for tickets (web chat, terminal); asked once per conversation. */
  reporter: Reporter | null;
  /** The description typed before the contact was asked for (awaiting 'escalation-contact'). */
  pendingEscalation: PendingEscalation | null;
  transcript: TranscriptEntry[];
  /**
   * Platform event ids already answered in this thread. Kept in the state itself, so "handled"
   * is written in the same atomic write as the turn: a retry after a crash mid-turn is answered,
   * a retry after the turn was saved is not.
   */
  handledEvents: string[];
  /**
   * The replies of the last event whose platform redelivers it after a failure and can tell
   * whether a reply already went out (Slack: Events API retries, messages found by their metadata).
   * A retry of that event gets them again, and the adapter posts what is not there yet: saved in
   * the same write as "handled", so a crash between the save and the post loses no answer.
   */
  lastReplies: { eventId: string; replies: Reply[] } | null;
}

export interface UserPrefs {
  lang: Lang | null;
}

function initialState(): ConversationState {
  return {
    v: 2,
    lang: null,
    topic: null,
    case: null,
    casesTried: [],
    casesShown: [],
    casesUnlikely: [],
    pendingQuestion: null,
    awaiting: null,
    topicChoices: [],
    errorIds: [],
    stepsShown: [],
    followUpAnswers: [],
    feedback: [],
    escalations: 0,
    lastTicket: null,
    reporter: null,
    pendingEscalation: null,
    transcript: [],
    handledEvents: [],
    lastReplies: null,
  };
}

const AWAITING: readonly Awaiting[] = ['solved', 'escalation-description', 'escalation-contact', 'topic-choice', 'escalation-offer'];
const URGENCIES: readonly PendingEscalation['urgency'][] = ['low', 'normal', 'high'];

function asLang(value: unknown): Lang | null {
  return (LANGS as readonly unknown[]).includes(value) ? (value as Lang) : null;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function asArray<T>(value: unknown, keep: (item: Record<string, unknown>) => T | undefined): T[] {
  if (!Array.isArray(value)) return [];
  const out: T[] = [];
  for (const item of value) {
    if (item && typeof item === 'object') {
      const kept = keep(item as Record<string, unknown>);
      if (kept !== undefined) out.push(kept);
    }
  }
  return out;
}

/**
 * Text read back from a stored state. Version 2 wrote it redacted; a version-1 document (written
 * before redaction happened on the way in) is redacted now, and stored redacted with the next turn.
 */
function storedText(text: string, written: unknown): RedactedText {
  return written === 2 ? (text as RedactedText) : redactSecrets(text);
}

function readReporter(raw: unknown, version: unknown): Reporter | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  return typeof r['name'] === 'string' && typeof r['email'] === 'string' ? { name: storedText(r['name'], version), email: r['email'] } : null;
}

function readPendingEscalation(raw: unknown, version: unknown): PendingEscalation | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const urgency = URGENCIES.find((u) => u === r['urgency']);
  return typeof r['description'] === 'string' && urgency ? { description: storedText(r['description'], version), urgency } : null;
}

/**
 * Reads a stored state whatever it looks like (older shape, hand-edited, another version of the
 * bot): anything unreadable falls back to the default, so a bad document never breaks a thread.
 */
export function normalizeState(raw: unknown): ConversationState {
  const base = initialState();
  if (!raw || typeof raw !== 'object') return base;
  const r = raw as Record<string, unknown>;
  const version = r['v'];
  const awaiting = AWAITING.includes(r['awaiting'] as Awaiting) ? (r['awaiting'] as Awaiting) : null;
  const escalations = typeof r['escalations'] === 'number' && Number.isFinite(r['escalations']) ? Math.max(0, Math.floor(r['escalations'])) : 0;
  return {
    ...base,
    lang: asLang(r['lang']),
    topic: asString(r['topic']),
    case: asString(r['case']),
    casesTried: asStrings(r['casesTried']),
    casesShown: asStrings(r['casesShown']),
    casesUnlikely: asStrings(r['casesUnlikely']),
    pendingQuestion: asString(r['pendingQuestion']),
    awaiting,
    topicChoices: asStrings(r['topicChoices']),
    errorIds: asStrings(r['errorIds']).slice(-CAPS.errorIds),
    stepsShown: asStrings(r['stepsShown']).slice(-CAPS.stepsShown),
    followUpAnswers: asArray<FollowUpAnswer>(r['followUpAnswers'], (a) =>
      typeof a['question'] === 'string' && typeof a['answer'] === 'string'
        ? { question: storedText(a['question'], version), answer: storedText(a['answer'], version) }
        : undefined,
    ).slice(-CAPS.followUpAnswers),
    feedback: asArray(r['feedback'], (f) =>
      typeof f['helpful'] === 'boolean' && typeof f['at'] === 'number' ? { helpful: f['helpful'], at: f['at'] } : undefined,
    ).slice(-CAPS.feedback),
    escalations,
    lastTicket: asString(r['lastTicket']),
    reporter: readReporter(r['reporter'], version),
    pendingEscalation: readPendingEscalation(r['pendingEscalation'], version),
    transcript: asArray<TranscriptEntry>(r['transcript'], (e) =>
      (e['from'] === 'user' || e['from'] === 'bot') && typeof e['text'] === 'string' && typeof e['at'] === 'number'
        ? {
            from: e['from'],
            // Replies never quoted the user before version 2: only the user's own lines need redacting.
            text: e['from'] === 'bot' ? (e['text'] as RedactedText) : storedText(e['text'], version),
            at: e['at'],
          }
        : undefined,
    ).slice(-CAPS.transcriptEntries),
    handledEvents: asStrings(r['handledEvents']).slice(-CAPS.handledEvents),
    lastReplies: asLastReplies(r['lastReplies']),
  };
}

function asLastReplies(value: unknown): ConversationState['lastReplies'] {
  if (!value || typeof value !== 'object') return null;
  const { eventId, replies } = value as { eventId?: unknown; replies?: unknown };
  // Our own writes: a list of reply objects, checked no further than that.
  if (typeof eventId !== 'string' || !Array.isArray(replies) || !replies.every((r) => r && typeof r === 'object')) return null;
  return { eventId, replies: replies as Reply[] };
}

export function normalizePrefs(raw: unknown): UserPrefs {
  if (!raw || typeof raw !== 'object') return { lang: null };
  return { lang: asLang((raw as Record<string, unknown>)['lang']) };
}

/** The topic context cleared, everything that identifies the conversation kept. */
export function withoutTopic(state: ConversationState): ConversationState {
  return { ...state, topic: null, case: null, casesTried: [], casesShown: [], casesUnlikely: [], pendingQuestion: null, awaiting: null, topicChoices: [] };
}

/**
 * The cause the conversation has reached: the case on screen, unless the user's own answers have
 * since led away from it (then none yet). This is what a ticket records.
 */
export function reachedCase(state: ConversationState): string | null {
  return state.case && !state.casesUnlikely.includes(state.case) ? state.case : null;
}

/** Remembers that the user has seen this case's steps. */
export function markShown(state: ConversationState, caseId: string): ConversationState {
  return state.casesShown.includes(caseId) ? state : { ...state, casesShown: [...state.casesShown, caseId] };
}

function appendCapped<T>(list: readonly T[], items: readonly T[], cap: number): T[] {
  return [...list, ...items].slice(-cap);
}

export function addStepsShown(state: ConversationState, steps: readonly string[]): ConversationState {
  const fresh = steps.filter((s) => !state.stepsShown.includes(s));
  return { ...state, stepsShown: appendCapped(state.stepsShown, fresh, CAPS.stepsShown) };
}

export function addErrorIds(state: ConversationState, ids: readonly string[]): ConversationState {
  const fresh = [...new Set(ids)].filter((id) => !state.errorIds.includes(id));
  if (fresh.length === 0) return state;
  return { ...state, errorIds: appendCapped(state.errorIds, fresh, CAPS.errorIds) };
}

/** Redacts as it stores: today the answers are the knowledge base's own labels, but they are free text. */
export function addFollowUpAnswer(state: ConversationState, answer: { question: string; answer: string }): ConversationState {
  const redacted = { question: redactSecrets(answer.question), answer: redactSecrets(answer.answer) };
  return { ...state, followUpAnswers: appendCapped(state.followUpAnswers, [redacted], CAPS.followUpAnswers) };
}

export function addFeedback(state: ConversationState, feedback: { helpful: boolean; at: number }): ConversationState {
  return { ...state, feedback: appendCapped(state.feedback, [feedback], CAPS.feedback) };
}

/**
 * Only takes redacted text (the type says so): cut after redaction, so a secret cut in half at the
 * cap was still recognised whole.
 */
export function addTranscript(state: ConversationState, entries: readonly TranscriptEntry[]): ConversationState {
  const capped = entries
    .filter((e) => e.text.trim() !== '')
    .map((e) => ({ ...e, text: e.text.length > CAPS.transcriptChars ? (`${e.text.slice(0, CAPS.transcriptChars - 1)}…` as RedactedText) : e.text }));
  if (capped.length === 0) return state;
  return { ...state, transcript: appendCapped(state.transcript, capped, CAPS.transcriptEntries) };
}
