import type { Lang } from '../../shared/lang';
import type { Reply, ReplyForm } from '../../replies/reply';
import type { Ticket } from '../../storage/store';
import type { RedactedText } from '../../shared/redact';
import { t } from '../../shared/i18n';
import { reachedCase } from '../state';
import { mentions, stems, words } from '../text-match';
import { vocabularyOf } from '../vocabulary';
import type { Turn, TurnOutcome } from '../turn';

/**
 * Handing a conversation over to our own support team: the form, the typed fallback for channels
 * without forms, and the ticket request the engine wrapper sends to the support desk.
 */

type Urgency = 'low' | 'normal' | 'high';

function escalationForm(lang: Lang): ReplyForm {
  return {
    id: 'escalation',
    descriptionLabel: t(lang, 'escalation.form.descriptionLabel'),
    descriptionPlaceholder: t(lang, 'escalation.form.descriptionPlaceholder'),
    urgencyLabel: t(lang, 'escalation.form.urgencyLabel'),
    urgencyOptions: (['low', 'normal', 'high'] as const).map((value) => ({ value, label: t(lang, `escalation.form.urgency.${value}`) })),
    submitLabel: t(lang, 'escalation.form.submit'),
  };
}

function notConfigured(turn: Turn): TurnOutcome {
  return {
    replies: [{ kind: 'escalate', lang: turn.lang, text: [t(turn.lang, 'escalation.notConfigured')] }],
    state: { ...turn.state, awaiting: null },
  };
}

/** Shows the form (and the typed alternative) and waits for the description. */
export function startEscalation(turn: Turn): TurnOutcome {
  if (!turn.ctx.canEscalate) return notConfigured(turn);
  const lang = turn.lang;
  // Asking again while the form is open is the same escalation, so a retry keeps its ticket key.
  const escalations = turn.state.awaiting === 'escalation-description' ? Math.max(1, turn.state.escalations) : turn.state.escalations + 1;
  return {
    replies: [
      {
        kind: 'escalate',
        lang,
        title: t(lang, 'escalation.title'),
        text: [t(lang, 'escalation.intro'), t(lang, 'escalation.typeInstead')],
        form: escalationForm(lang),
      },
    ],
    state: { ...turn.state, awaiting: 'escalation-description', pendingQuestion: null, topicChoices: [], escalations },
  };
}

/** The topic's "what changed between article versions" note: always on the ticket, whether or not the answer showed it. */
function versionNoteOf(turn: Turn): { versionNote?: string } {
  const note = turn.state.topic ? turn.ctx.knowledge.byId.get(turn.state.topic)?.changes?.[turn.lang] : undefined;
  return note ? { versionNote: note } : {};
}

/**
 * Builds the ticket request; the confirmation follows once the support desk has answered. The
 * description must be redacted already (turn.said), like everything else the ticket is built from.
 */
export function submitEscalation(turn: Turn, description: RedactedText, urgency: Urgency): TurnOutcome {
  if (!turn.ctx.canEscalate) return notConfigured(turn);
  const { inbound, state } = turn;
  // A submit without a started escalation (a form rendered elsewhere) counts as escalation 1.
  const number = Math.max(1, state.escalations);
  const next = { ...state, escalations: number, awaiting: null };
  return {
    replies: [],
    state: next,
    escalation: {
      input: {
        idempotencyKey: `${inbound.channel}:${inbound.conversationId}:${number}`,
        channel: inbound.channel,
        conversationId: inbound.conversationId,
        userId: inbound.userId,
        ...(inbound.userName ? { userName: inbound.userName } : {}),
        ...(inbound.threadLink ? { threadLink: inbound.threadLink } : {}),
        lang: turn.lang,
        topic: state.topic,
        // The cause the conversation reached, never one the user's own answers ruled out.
        case: reachedCase(state),
        errorIds: [...state.errorIds],
        stepsShown: [...state.stepsShown],
        followUpAnswers: state.followUpAnswers.map((a) => ({ ...a })),
        feedback: state.feedback.map((f) => ({ ...f })),
        ...versionNoteOf(turn),
        description: description.trim() === '' ? t(turn.lang, 'escalation.noDescription') : description.trim(),
        urgency,
        transcript: state.transcript.map((e) => ({ ...e })),
      },
    },
  };
}

/** Cancelling is a short message: "laat maar", "no ticket after all". */
const MAX_CANCEL_WORDS = 4;

/** A message that only cancels the hand-over ("laat maar", "cancel"). */
export function cancelsEscalation(turn: Turn): boolean {
  const v = vocabularyOf(turn.ctx.knowledge);
  return words(turn.text).length <= MAX_CANCEL_WORDS && mentions(v.cancel, stems(turn.text));
}

export function escalationCancelled(turn: Turn): TurnOutcome {
  return {
    replies: [{ kind: 'notice', lang: turn.lang, text: [t(turn.lang, 'escalation.cancelled')] }],
    state: { ...turn.state, awaiting: null },
  };
}

/** A typed message while the description is awaited: the description, or "skip". (Cancelling is read before.) */
export function typedDescription(turn: Turn): TurnOutcome {
  const v = vocabularyOf(turn.ctx.knowledge);
  const tokens = words(turn.text);
  const skipped = tokens.length <= 2 && tokens.every((w) => v.skip.words.has(w));
  const urgency: Urgency = tokens.some((w) => v.urgent.words.has(w)) ? 'high' : 'normal';
  return submitEscalation(turn, skipped ? ('' as RedactedText) : turn.said, urgency);
}

/** What the user sees once the support desk answered. */
export function escalationConfirmation(lang: Lang, ticket: Ticket, created: boolean): Reply {
  return {
    kind: 'escalate',
    lang,
    title: t(lang, 'escalation.createdTitle'),
    text: [t(lang, created ? 'escalation.created' : 'escalation.existing', { ticket: ticket.id })],
    footer: t(lang, 'escalation.footer', { ticket: ticket.id }),
  };
}

export function escalationFailed(lang: Lang): Reply {
  return { kind: 'escalate', lang, text: [t(lang, 'escalation.failed')] };
}
