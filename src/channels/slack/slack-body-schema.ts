import { z } from 'zod';
import { isJsonObject } from '../../shared/safe-json';

/**
 * The shapes of the Slack requests marsbot reads, checked after the signature and before Bolt or a
 * listener sees them. A signed body can still be malformed (a replayed or hand-made one, `null`, an
 * event without a type): it gets 400 with the reason instead of failing inside Bolt. Request types
 * marsbot does not handle pass unchecked; Bolt ignores them.
 */

const id = z.string().min(1).max(256);
const optionalId = id.nullish();
const account = z.object({ id }).loose();

const eventCallback = z
  .object({
    type: z.literal('event_callback'),
    event_id: optionalId,
    team_id: optionalId,
    event: z
      .object({
        type: z.string().min(1).max(128),
        user: z.unknown(),
        channel: z.unknown(),
        text: z.string().nullish(),
        ts: z.string().max(64).nullish(),
        thread_ts: z.string().max(64).nullish(),
      })
      .loose(),
  })
  .loose();

const slashCommand = z
  .object({
    command: z.string().min(1).max(128),
    user_id: id,
    channel_id: id,
    text: z.string().optional(),
    trigger_id: optionalId,
    response_url: z.string().max(2048).optional(),
  })
  .loose();

const blockActions = z
  .object({
    type: z.literal('block_actions'),
    user: account,
    actions: z.array(z.object({ action_id: z.string().min(1).max(256) }).loose()).min(1).max(25),
    container: z.object({}).loose().nullish(),
    channel: account.nullish(),
  })
  .loose();

const viewEvent = z
  .object({
    type: z.enum(['view_submission', 'view_closed']),
    user: account,
    view: z.object({ id, callback_id: z.string().max(256).nullish(), private_metadata: z.string().max(3000).nullish() }).loose(),
  })
  .loose();

const shortcut = z
  .object({
    type: z.enum(['shortcut', 'message_action']),
    user: account,
    callback_id: z.string().min(1).max(256),
  })
  .loose();

const schemaFor = (body: Record<string, unknown>): z.ZodType | undefined => {
  if (body['type'] === 'event_callback') return eventCallback;
  if (body['command'] !== undefined) return slashCommand;
  if (body['type'] === 'block_actions') return blockActions;
  if (body['type'] === 'view_submission' || body['type'] === 'view_closed') return viewEvent;
  if (body['type'] === 'shortcut' || body['type'] === 'message_action') return shortcut;
  return undefined;
};

/** Why a parsed Slack body cannot be handled ("event.type: …"); undefined when it can. */
export function slackBodyProblem(body: unknown): string | undefined {
  if (!isJsonObject(body)) return 'not a Slack request body';
  const parsed = schemaFor(body)?.safeParse(body);
  if (!parsed || parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'not a Slack request body'}`;
}
