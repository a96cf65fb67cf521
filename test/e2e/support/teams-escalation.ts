import type { CardButton } from '../../helpers/adaptive-card-validator';
import type { TeamsConversation } from './teams-conversation';

/** What the user types into the escalation card (its input ids are the renderer's FORM_INPUT_IDS). */
export const ESCALATION_FORM = {
  escalationDescription: 'Backups of FS01 fail every night since Monday; the steps did not help.',
  escalationUrgency: 'high',
};

/** An error whose answer asks "did this solve it?" straight away. */
export const ERROR_WITH_STEPS = 'Error 230006';

/** answer → "No, hand it to support" on "did this solve it?": returns the form's submit button, not yet pressed. */
export async function reachEscalationForm(user: TeamsConversation): Promise<CardButton> {
  await user.say(ERROR_WITH_STEPS);
  await user.press(user.button((a) => a['type'] === 'solved' && a['escalate'] === true));
  return user.button((a) => a['type'] === 'escalate-submit');
}

const TICKET_ID = /MARS-\d+/;

export function ticketIdIn(texts: string[]): string {
  for (const text of texts) {
    const match = TICKET_ID.exec(text);
    if (match) return match[0];
  }
  throw new Error(`no ticket id in: ${texts.join(' | ')}`);
}
