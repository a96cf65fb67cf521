import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Store } from '../../../storage/store';
import type { ReplyDelivery } from '../reply-delivery';
import type { TurnRunner } from '../turn-runner';
import type { UserDirectory } from '../user-directory';
import type { TicketActions } from './ticket-actions';

/** What every listener gets: the core behind the runner, and the Slack clients. */
export interface ListenerDeps {
  runner: TurnRunner;
  delivery: ReplyDelivery;
  directory: UserDirectory;
  store: Store;
  logger: Logger;
  /** Retries and waits out rate limits: for posting answers. */
  client: webApi.WebClient;
  /** Fails fast: for calls that are useless when late (views.open within the trigger's 3 s). */
  quickClient: webApi.WebClient;
  /** Claim / Resolve in the support channel; read at click time, so it can be attached after start-up. */
  ticketActions: () => TicketActions | undefined;
}
