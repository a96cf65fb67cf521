import { langOr, type Lang } from '../shared/lang';
import type { Reply } from '../replies/reply';
import { t, tIfExists } from '../shared/i18n';
import type { Resources } from '../shared/i18n-resources';
import { truncate } from '../shared/truncate';
import type { Ticket } from '../storage/store';

/** Tickets carry the language as a plain string; anything that is not one of ours gets the configured default. */
function ticketLang(ticket: Pick<Ticket, 'lang'>, defaultLang: Lang): Lang {
  return langOr(ticket.lang, defaultLang);
}

/** Caps that keep one summary inside what Slack (3000 characters per block) and Teams cards show well. */
const MAX_DESCRIPTION = 1500;
const MAX_TRANSCRIPT_LINE = 300;
const TRANSCRIPT_LINES = 6;

/** One line of a summary: whitespace folded, cut to `max`. */
function clip(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max);
}

/** The translation of a key made from stored data, or the raw value when the locale files have none. */
function optionalKey(lang: Lang, key: string, value: string): string {
  return tIfExists(lang, key) ?? value;
}

/** The ticket summary posted to the support channel, with Claim and Resolve buttons. */
export function buildSupportSummary(ticket: Ticket, defaultLang: Lang, lang: Lang = ticketLang(ticket, defaultLang)): Reply[] {
  const none = t(lang, 'support:summary.none');
  const field = (name: keyof Resources['support']['summary']['fields'], value: string): string =>
    t(lang, 'support:summary.field', { label: t(lang, `support:summary.fields.${name}`), value: value || none });
  const user = ticket.userName ? `${ticket.userName} (${ticket.userId})` : ticket.userId;
  const feedbackHelpful = ticket.feedback.filter((f) => f.helpful).length;
  const followUps = ticket.followUpAnswers.map((f) =>
    t(lang, 'support:summary.followUp', { question: f.question, answer: f.answer }),
  );
  const transcript = ticket.transcript.slice(-TRANSCRIPT_LINES).map((line) =>
    t(lang, 'support:summary.transcriptLine', {
      speaker: t(lang, `support:summary.speaker.${line.from}`),
      text: clip(line.text, MAX_TRANSCRIPT_LINE),
    }),
  );

  const text = [
    t(lang, 'support:summary.intro', { user: ticket.userName ?? ticket.userId }),
    field('user', user),
    ...(ticket.contact ? [field('contact', ticket.contact)] : []),
    field('platform', optionalKey(lang, `support:platform.${ticket.channel}`, ticket.channel)),
    field('language', optionalKey(lang, `support:language.${ticket.lang}`, ticket.lang)),
    field('topic', ticket.topic ?? ''),
    field('case', ticket.case ?? ''),
    field('errorIds', ticket.errorIds.join(', ')),
    field('urgency', t(lang, `support:urgency.${ticket.urgency}`)),
    field('description', clip(ticket.description, MAX_DESCRIPTION)),
    field('thread', ticket.threadLink ?? ''),
    field('stepsShown', ticket.stepsShown.join('; ')),
    ...(ticket.versionNote ? [field('versionNote', ticket.versionNote)] : []),
    field('followUps', followUps.join('; ')),
    field(
      'feedback',
      ticket.feedback.length === 0
        ? ''
        : t(lang, 'support:summary.feedbackCounts', {
            helpful: feedbackHelpful,
            notHelpful: ticket.feedback.length - feedbackHelpful,
          }),
    ),
    // The transcript label stands alone above its lines.
    ...(transcript.length === 0 ? [field('transcript', '')] : [t(lang, 'support:summary.fields.transcript'), ...transcript]),
  ];

  return [
    {
      kind: 'escalate',
      lang,
      title: t(lang, 'support:summary.title', {
        id: ticket.id,
        topic: ticket.topic ?? t(lang, 'support:summary.noTopic'),
      }),
      text,
      // Short labels on buttons of their own: the support channel sees them as buttons everywhere.
      actions: [
        {
          id: 'ticket-claim',
          label: t(lang, 'support:summary.claim'),
          action: { type: 'ticket-claim', ticket: ticket.id },
          style: 'primary',
        },
        { id: 'ticket-resolve', label: t(lang, 'support:summary.resolve'), action: { type: 'ticket-resolve', ticket: ticket.id } },
      ],
      footer: t(lang, 'support:summary.footer', { id: ticket.id, status: t(lang, `support:status.${ticket.status}`) }),
    },
  ];
}

export type TicketChangeEvent = 'claimed' | 'resolved';

/** What the user sees in their own thread when support picks the ticket up or closes it (with the resolver's note, if any). */
export function buildUserNotice(ticket: Ticket, event: TicketChangeEvent, by: string, defaultLang: Lang, note?: string): Reply[] {
  const lang = ticketLang(ticket, defaultLang);
  const key = event === 'resolved' && note ? 'resolvedWithNote' : event;
  return [{ kind: 'notice', lang, text: [t(lang, `support:userNotify.${key}`, { id: ticket.id, name: by, note })] }];
}
