import type { Lang } from '../../shared/lang';
import type { Reply, ReplyForm } from '../../replies/reply';
import type { Ticket } from '../../storage/store';
import type { RedactedText } from '../../shared/redact';
import { t } from '../../shared/i18n';
import { findEmailAddress, isEmailAddress } from '../../shared/email';
import { redactSecrets } from '../../shared/redact';
import type { EscalationResult } from '../../support/support-desk';
import { reachedCase, type ConversationState, type Reporter } from '../state';
import { mentions, stems, words } from '../text-match';
import { vocabularyOf } from '../vocabulary';
import type { Turn, TurnOutcome } from '../turn';

/**
 * Handing a conversation over to our own support team: the form, the typed fallback for channels
 * without forms, and the ticket request the engine wrapper sends to the support desk.
 */

type Urgency = 'low' | 'normal' | 'high';

/** The escalation form; where the platform does not say who the user is, with their name and e-mail address. */
function escalationForm(turn: Turn, values: ReplyForm['values'] = {}): ReplyForm {
  const { lang } = turn;
  const reporter = turn.state.reporter;
  const known = reporter ? { name: reporter.name, email: reporter.email } : {};
  const filled = { ...known, ...Object.fromEntries(Object.entries(values as Record<string, string | undefined>).filter(([, v]) => v !== undefined && v !== '')) };
  return {
    id: 'escalation',
    descriptionLabel: t(lang, 'escalation.form.descriptionLabel'),
    descriptionPlaceholder: t(lang, 'escalation.form.descriptionPlaceholder'),
    urgencyLabel: t(lang, 'escalation.form.urgencyLabel'),
    urgencyOptions: (['low', 'normal', 'high'] as const).map((value) => ({ value, label: t(lang, `escalation.form.urgency.${value}`) })),
    submitLabel: t(lang, 'escalation.form.submit'),
    ...(turn.inbound.anonymous
      ? {
          contact: {
            nameLabel: t(lang, 'escalation.contact.nameLabel'),
            nameError: t(lang, 'escalation.contact.nameError'),
            emailLabel: t(lang, 'escalation.contact.emailLabel'),
            emailPlaceholder: t(lang, 'escalation.contact.emailPlaceholder'),
            emailError: t(lang, 'escalation.contact.emailError'),
          },
        }
      : {}),
    ...(Object.keys(filled).length > 0 ? { values: filled } : {}),
  };
}

/** The paragraphs above the form: what happens, how to reach a person, and (anonymous) why we ask who they are. */
function formIntro(turn: Turn): string[] {
  const { lang } = turn;
  const contact = turn.inbound.anonymous && !turn.state.reporter ? [t(lang, 'escalation.contact.intro')] : [];
  return [t(lang, 'escalation.intro'), ...contact, t(lang, 'escalation.typeInstead')];
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
        text: formIntro(turn),
        form: escalationForm(turn),
      },
    ],
    state: { ...turn.state, awaiting: 'escalation-description', pendingQuestion: null, topicChoices: [], escalations, pendingEscalation: null },
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
 * `reporter`: who the user said they are, where the platform does not say (then required).
 */
function fileTicket(turn: Turn, description: RedactedText, urgency: Urgency, reporter: Reporter | null): TurnOutcome {
  const { inbound, state } = turn;
  // A submit without a started escalation (a form rendered elsewhere) counts as escalation 1.
  const number = Math.max(1, state.escalations);
  const next: ConversationState = { ...state, escalations: number, awaiting: null, pendingEscalation: null, reporter: reporter ?? state.reporter };
  const userName = reporter?.name ?? inbound.userName;
  const contact = reporter?.email ?? inbound.contact;
  return {
    replies: [],
    state: next,
    escalation: {
      input: {
        idempotencyKey: `${inbound.channel}:${inbound.conversationId}:${number}`,
        channel: inbound.channel,
        conversationId: inbound.conversationId,
        userId: inbound.userId,
        ...(userName ? { userName } : {}),
        ...(contact ? { contact } : {}),
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

/** The name and address a form sent, when both are there and the address is one. */
function reporterFromForm(name: string | undefined, email: string | undefined): Reporter | undefined {
  const cleanName = name?.trim() ?? '';
  const cleanEmail = email?.trim() ?? '';
  return cleanName !== '' && isEmailAddress(cleanEmail) ? { name: redactSecrets(cleanName), email: cleanEmail } : undefined;
}

/**
 * The escalation form was sent. Where the platform does not say who the user is, the form's name and
 * e-mail address must be there and valid (the card checks them too); otherwise the form comes back,
 * filled in as it was sent, with what is missing.
 */
export function submitEscalation(turn: Turn, description: RedactedText, urgency: Urgency, sent: { name?: string; email?: string } = {}): TurnOutcome {
  if (!turn.ctx.canEscalate) return notConfigured(turn);
  if (!turn.inbound.anonymous) return fileTicket(turn, description, urgency, null);
  const asked = sent.name !== undefined || sent.email !== undefined;
  const reporter = reporterFromForm(sent.name, sent.email) ?? (asked ? undefined : (turn.state.reporter ?? undefined));
  if (reporter) return fileTicket(turn, description, urgency, reporter);
  const { lang } = turn;
  return {
    replies: [
      {
        kind: 'escalate',
        lang,
        title: t(lang, 'escalation.title'),
        text: [t(lang, 'escalation.contact.formInvalid')],
        form: escalationForm(turn, { description, ...(sent.name ? { name: redactSecrets(sent.name) } : {}), ...(sent.email ? { email: sent.email } : {}) }),
      },
    ],
    state: { ...turn.state, awaiting: 'escalation-description', escalations: Math.max(1, turn.state.escalations) },
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
    state: { ...turn.state, awaiting: null, pendingEscalation: null },
  };
}

/**
 * A typed message while the description is awaited: the description, or "skip". (Cancelling is read
 * before.) Where the platform does not say who the user is, the bot asks for a name and e-mail
 * address next, and files the ticket once it has them.
 */
export function typedDescription(turn: Turn): TurnOutcome {
  if (!turn.ctx.canEscalate) return notConfigured(turn);
  const v = vocabularyOf(turn.ctx.knowledge);
  const tokens = words(turn.text);
  const skipped = tokens.length <= 2 && tokens.every((w) => v.skip.words.has(w));
  const urgency: Urgency = tokens.some((w) => v.urgent.words.has(w)) ? 'high' : 'normal';
  const description = skipped ? ('' as RedactedText) : turn.said;
  if (!turn.inbound.anonymous || turn.state.reporter) return fileTicket(turn, description, urgency, turn.state.reporter);
  return {
    replies: [{ kind: 'escalate', lang: turn.lang, text: [t(turn.lang, 'escalation.contact.question')] }],
    state: { ...turn.state, awaiting: 'escalation-contact', pendingEscalation: { description, urgency } },
  };
}

/** Leftovers around a typed name: separators and filler ("Anna de Vries, <address>", "naam: Anna"). */
const NAME_NOISE = /^[\s,;:.\-–—<>()]+|[\s,;:.\-–—<>()]+$/g;

/** The typed answer to "how can support reach you?": a name and an e-mail address ("laat maar" is read before). */
export function typedContact(turn: Turn): TurnOutcome {
  const pending = turn.state.pendingEscalation;
  const found = findEmailAddress(turn.said);
  if (!pending) return typedDescription(turn);
  if (!found) return { replies: [{ kind: 'escalate', lang: turn.lang, text: [t(turn.lang, 'escalation.contact.invalid')] }], state: turn.state };
  const name = found.rest.replace(/\s+/g, ' ').replace(NAME_NOISE, '');
  return fileTicket(turn, pending.description, pending.urgency, { name: (name || found.email) as RedactedText, email: found.email });
}

/** Where the user will hear back: in this conversation, by e-mail, or (nothing can reach them) by quoting the ticket. */
function followUp(lang: Lang, ticket: Ticket, reach: EscalationResult['reach']): string {
  if (!reach || reach.userThread) return t(lang, 'escalation.followInThread');
  if (ticket.contact) return t(lang, 'escalation.followByEmail', { contact: ticket.contact });
  return t(lang, 'escalation.followNowhere', { ticket: ticket.id });
}

/**
 * What the user sees once the support desk answered: the ticket, where they will hear back, and —
 * honestly — when no support channel exists yet to tell anyone about it.
 */
export function escalationConfirmation(lang: Lang, outcome: EscalationResult): Reply {
  const { ticket, created, reach } = outcome;
  return {
    kind: 'escalate',
    lang,
    title: t(lang, 'escalation.createdTitle'),
    text: [
      `${t(lang, created ? 'escalation.created' : 'escalation.existing', { ticket: ticket.id })} ${followUp(lang, ticket, reach)}`,
      ...(reach && !reach.supportChannel ? [t(lang, 'escalation.noSupportChannel')] : []),
    ],
    footer: t(lang, 'escalation.footer', { ticket: ticket.id }),
  };
}

export function escalationFailed(lang: Lang): Reply {
  return { kind: 'escalate', lang, text: [t(lang, 'escalation.failed')] };
}
