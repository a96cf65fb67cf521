import type { Logger } from 'pino';
import type { Engine } from '../../conversation/engine';
import type { Inbound } from '../../conversation/inbound';
import type { Lang } from '../../knowledge/schema';
import type { Reply } from '../../replies/reply';
import { t } from '../../shared/i18n';
import type { Destination, ReplyDelivery } from './reply-delivery';

/**
 * One user turn: ask the engine, post what it says. A failing engine never leaves the user
 * without an answer (they get an apology), and a failing post is logged, not thrown.
 */
export interface TurnRunner {
  /** The engine's replies, or an apology when the engine fails. Never throws. */
  answer(inbound: Inbound): Promise<Reply[]>;
  /** answer + deliver; delivery failures are logged. Returns what was (meant to be) posted. */
  run(inbound: Inbound, destination: Destination): Promise<Reply[]>;
}

export function langFromLocale(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

export function apology(lang: Lang): Reply {
  return { kind: 'notice', lang, text: [t(lang, 'slack:error.generic')] };
}

export function createTurnRunner(engine: Engine, delivery: ReplyDelivery, logger: Logger): TurnRunner {
  async function answer(inbound: Inbound): Promise<Reply[]> {
    try {
      return await engine.handle(inbound);
    } catch (error) {
      logger.error({ err: error, conversationId: inbound.conversationId }, 'engine failed on a slack turn');
      // Rare enough to afford asking Slack for the user's language, so the apology is in it.
      const locale = inbound.locale ?? (await inbound.lookupUser?.().catch(() => undefined))?.locale;
      return [apology(langFromLocale(locale))];
    }
  }
  return {
    answer,
    async run(inbound, destination) {
      const replies = await answer(inbound);
      try {
        await delivery.deliver(destination, replies);
      } catch (error) {
        logger.error({ err: error, conversationId: inbound.conversationId }, 'could not post the reply to slack');
      }
      return replies;
    },
  };
}
