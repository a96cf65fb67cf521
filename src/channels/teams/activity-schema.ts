import { z } from 'zod';

/**
 * What the Teams adapter (and botbuilder under it) reads of an incoming activity. Anything that
 * does not have this shape is answered 400 before authentication or a turn runs: an activity
 * without a string `type`, or a `from` that is not an account, would otherwise fail deep inside
 * botbuilder or the store. Fields we do not read pass through untouched.
 */

// Optional text fields: Bot Framework clients send them as absent, null or a string.
const optionalText = (max: number) => z.string().max(max).nullish();

const account = z
  .object({
    id: z.string().min(1).max(1024),
    name: optionalText(1024),
    aadObjectId: optionalText(256),
  })
  .loose();

const activitySchema = z
  .object({
    type: z.string().min(1).max(128),
    id: optionalText(1024),
    serviceUrl: z.string().min(1).max(2048),
    channelId: z.string().min(1).max(128),
    from: account,
    recipient: account,
    conversation: z
      .object({
        id: z.string().min(1).max(2048),
        conversationType: optionalText(64),
      })
      .loose(),
    text: optionalText(1_048_576),
    locale: optionalText(64),
    value: z.unknown().optional(),
    entities: z.array(z.object({ type: z.string().max(128) }).loose()).max(100).nullish(),
    membersAdded: z.array(account).max(1000).nullish(),
    channelData: z.object({}).loose().nullish(),
  })
  .loose();

/** The first thing wrong with a body, as a short reason for the 400 ("from.id: …"); undefined when it is an activity. */
export function activityProblem(body: unknown): string | undefined {
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'not a Bot Framework activity'}`;
}
