import type { Server } from 'restify';
import type { SlackChannel } from '../../src/channels/slack/create-slack-channel';
import type { Store } from '../../src/storage/store';
import type { OutboxWorker } from '../../src/support/outbox-worker';
import { TEST_SIGNING_SECRET } from '../helpers/slack-signing';
import { startMarsbot } from '../helpers/start-marsbot';

/**
 * marsbot as src/index.ts builds it (createMarsbot), on a store the test chooses: Teams, Slack and
 * the web chat on one HTTP server, the support desk posting to a Teams and a Slack support channel,
 * the outbox with the webhook, and LOG_MESSAGE_TEXT on. The outbox loop is not started: the test
 * drives it (runOnce), so it knows when every post and webhook has gone out.
 */

export const TEAMS_SUPPORT_CONVERSATION = '19:support-secrets@thread.tacv2';
const SLACK_SUPPORT_CHANNEL = 'CSUPPORT';

export interface FullMarsbotOptions {
  store: Store;
  /** Where the Bot Connector lives (the fake): the Teams support channel is posted to there. */
  connectorUrl: string;
  slackApiUrl: string;
  webhook: { url: string; secret: string };
}

export interface FullMarsbot {
  url: string;
  server: Server;
  slack: SlackChannel;
  outbox: OutboxWorker;
  stop(): Promise<void>;
}

export async function startFullMarsbot(options: FullMarsbotOptions): Promise<FullMarsbot> {
  const running = await startMarsbot({
    store: options.store,
    env: {
      LOG_MESSAGE_TEXT: 'true',
      SLACK_BOT_TOKEN: 'xoxb-full-marsbot-test',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: options.slackApiUrl,
      SUPPORT_SLACK_CHANNEL: SLACK_SUPPORT_CHANNEL,
      SUPPORT_TEAMS_CONVERSATION: JSON.stringify({ serviceUrl: options.connectorUrl, channelId: 'msteams', conversation: { id: TEAMS_SUPPORT_CONVERSATION } }),
      ESCALATION_WEBHOOK_URL: options.webhook.url,
      ESCALATION_WEBHOOK_SECRET: options.webhook.secret,
      OUTBOX_RETRY_BASE_MS: '10',
    },
  });
  const { marsbot } = running;
  if (!marsbot.slack) throw new Error('Slack is configured above, so the channel must exist');
  return { url: running.url, server: running.server, slack: marsbot.slack, outbox: marsbot.outbox, stop: () => running.stop() };
}
