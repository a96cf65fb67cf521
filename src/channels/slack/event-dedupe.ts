import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Store } from '../../storage/store';

/** Slack retries an event for up to about an hour; remember handled ids a little longer. */
const EVENT_TTL_MS = 2 * 60 * 60 * 1000;

/**
 * Events API retries (X-Slack-Retry-Num) and deliveries to several instances carry the same
 * event_id: only the first one to claim it in the shared store gets through.
 */
export function createEventDedupe(store: Pick<Store, 'claimOnce'>, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next, context }) => {
    const eventId = (body as { type?: string; event_id?: unknown }).type === 'event_callback' ? (body as { event_id?: unknown }).event_id : undefined;
    if (typeof eventId !== 'string') return next();
    let first = true;
    try {
      first = await store.claimOnce(`slack:event:${eventId}`, EVENT_TTL_MS);
    } catch (error) {
      // Answering twice is better than not answering: go on when the store cannot tell.
      logger.warn({ err: error, eventId }, 'event dedupe unavailable');
    }
    if (!first) {
      logger.info({ eventId, retryNum: context.retryNum }, 'skipped a slack event that was already handled');
      return;
    }
    await next();
  };
}
