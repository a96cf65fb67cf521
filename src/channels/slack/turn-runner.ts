import type { Logger } from 'pino';
import type { Engine } from '../../conversation/engine';
import type { Inbound } from '../../conversation/inbound';
import type { Reply } from '../../replies/reply';
import type { DeliveryMarker, Destination, ReplyDelivery } from './reply-delivery';

/**
 * One event: ask the engine, post what it says. The engine is the guarded one, so it always answers
 * (an apology when a turn fails); a failing post is logged, not thrown.
 */
export interface TurnRunner {
  /** The engine's replies. */
  answer(inbound: Inbound): Promise<Reply[]>;
  /** answer + deliver; delivery failures are logged. Returns what was (meant to be) posted. */
  run(inbound: Inbound, destination: Destination, marker?: DeliveryMarker): Promise<Reply[]>;
}

export function createTurnRunner(engine: Engine, delivery: ReplyDelivery, logger: Logger): TurnRunner {
  const answer = (inbound: Inbound): Promise<Reply[]> => engine.handle(inbound);
  return {
    answer,
    async run(inbound, destination, marker) {
      const replies = await answer(inbound);
      try {
        await delivery.deliver(destination, replies, marker);
      } catch (error) {
        logger.error({ err: error, conversationId: inbound.conversationId }, 'could not post the reply to slack');
      }
      return replies;
    },
  };
}
