import { DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS, parseActionPayload, urgencySchema } from '../replies/action-payload';
import { EMAIL_MAX_CHARS } from '../shared/email';
import { FORM_INPUT_IDS } from '../replies/render-adaptive-card';
import type { ActionPayload } from '../replies/reply';
import { parseJson } from '../shared/safe-json';

/**
 * Reads what an Adaptive Card submit sends back (Teams and the web chat render the same cards): the
 * button's `{ marsbot: ActionPayload }` data, with the escalation form's input values merged in by
 * the client. Undefined when it is not ours or malformed.
 */
export function readCardSubmit(value: unknown): ActionPayload | undefined {
  if (typeof value === 'string') {
    // JSON inside a string field: the body's depth limit did not see into it, so it applies here.
    const parsed = parseJson(value);
    return parsed.ok && typeof parsed.value !== 'string' ? readCardSubmit(parsed.value) : undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const data = value as Record<string, unknown>;
  const marsbot = data['marsbot'];
  if (!marsbot || typeof marsbot !== 'object') return undefined;
  if ((marsbot as { type?: unknown }).type === 'escalate-submit') {
    const description = data[FORM_INPUT_IDS.description];
    const chosen = urgencySchema.safeParse(data[FORM_INPUT_IDS.urgency]);
    const field = (id: string, max: number): string | undefined => {
      const value = data[id];
      return typeof value === 'string' ? value.trim().slice(0, max) : undefined;
    };
    const name = field(FORM_INPUT_IDS.name, NAME_MAX_CHARS);
    const email = field(FORM_INPUT_IDS.email, EMAIL_MAX_CHARS);
    return parseActionPayload({
      type: 'escalate-submit',
      description: typeof description === 'string' ? description.trim().slice(0, DESCRIPTION_MAX_CHARS) : '',
      urgency: chosen.success ? chosen.data : 'normal',
      // Only a form that asked for them sends them.
      ...(name !== undefined ? { name } : {}),
      ...(email !== undefined ? { email } : {}),
    });
  }
  return parseActionPayload(marsbot);
}
