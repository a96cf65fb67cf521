import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Lang } from '../../../shared/lang';
import type { Store } from '../../../storage/store';
import type { ReplyDelivery } from '../reply-delivery';
import type { TurnRunner } from '../turn-runner';
import type { UserDirectory } from '../user-directory';

/** What every listener gets: the core behind the runner, and the Slack clients. */
export interface ListenerDeps {
  runner: TurnRunner;
  delivery: ReplyDelivery;
  directory: UserDirectory;
  /** The Home tab's own setting (which language it shows in). */
  store: Pick<Store, 'getDocument' | 'putDocument'>;
  logger: Logger;
  /** DEFAULT_LANG, for the few notices the adapter shows before the engine is asked (usage, no text). */
  defaultLang: Lang;
  /** Retries and waits out rate limits: for posting answers. */
  client: webApi.WebClient;
  /** Fails fast: for calls that are useless when late (views.open within the trigger's 3 s). */
  quickClient: webApi.WebClient;
}
