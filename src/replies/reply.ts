import type { Lang } from '../shared/lang';

/**
 * The channel-neutral reply. The engine produces these; one renderer per format
 * (Adaptive Card, Block Kit, plain text) turns them into what a platform shows.
 */
export type ReplyKind =
  | 'answer' // steps for a topic (and case)
  | 'question' // a follow-up question that narrows down the cause
  | 'clarify' // "which of these do you mean?"
  | 'fallback' // out of scope / nothing found
  | 'info' // a short fact from the MARS FAQ or support matrix, with its source and related topics
  | 'smalltalk' // greetings, thanks, help
  | 'escalate' // escalation prompt, form or confirmation
  | 'notice'; // short status text: solved, feedback noted, language switched, ticket claimed …

/** What pressing a button sends back to the engine. Small and flat: it travels in card data and Slack button values. */
export type ActionPayload =
  | { type: 'choose-topic'; topic: string }
  | { type: 'follow-up'; topic: string; question: string; option: string }
  | { type: 'solved'; topic: string; case: string | null; solved: boolean; escalate?: true }
  /** 👍/👎 on an answer. No reply asks for it any more ("did this solve it?" records it); cards already posted still send it. */
  | { type: 'feedback'; topic: string | null; helpful: boolean }
  | { type: 'escalate' }
  | { type: 'something-else' }
  | { type: 'escalate-submit'; description: string; urgency: 'low' | 'normal' | 'high'; name?: string; email?: string }
  | { type: 'set-lang'; lang: Lang }
  | { type: 'ticket-claim'; ticket: string }
  | { type: 'ticket-resolve'; ticket: string };

export interface ReplyButton {
  /** Unique within one reply; renderers use it to build platform action ids. */
  id: string;
  label: string;
  action: ActionPayload;
  style?: 'primary' | 'danger';
}

export interface SourceCitation {
  label: string;
  url: string;
}

/** A form the user fills in (the escalation description and urgency). */
export interface ReplyForm {
  id: 'escalation';
  descriptionLabel: string;
  descriptionPlaceholder: string;
  urgencyLabel: string;
  urgencyOptions: { value: 'low' | 'normal' | 'high'; label: string }[];
  submitLabel: string;
  /** Where the platform does not say who the user is (web chat, terminal): their name and e-mail address, both required. */
  contact?: { nameLabel: string; emailLabel: string; emailPlaceholder: string; emailError: string; nameError: string };
  /** What the form shows filled in: what was sent before (asked again after a mistake) or given earlier. */
  values?: { description?: string; name?: string; email?: string };
}

export interface Reply {
  kind: ReplyKind;
  lang: Lang;
  title?: string;
  /** Paragraphs shown before the steps. Plain text; renderers escape it for their format. */
  text?: string[];
  steps?: string[];
  /** A question with its choices as buttons (follow-up, clarify, "did this solve it?"). */
  prompt?: string;
  choices?: ReplyButton[];
  /** A question asked again because the last message neither answered it nor said anything else. */
  reprompt?: true;
  /** Secondary actions at the bottom, with short labels: escalate, claim, resolve. */
  actions?: ReplyButton[];
  form?: ReplyForm;
  source?: SourceCitation;
  /** Small print: attribution, ticket ids. */
  footer?: string;
}
