import { ConfigError, loadConfig, type Config } from './config';
import { createMarsbot } from './create-marsbot';
import { NO_SUPPORT_CHANNEL } from './server/create-server';
import { shutDown } from './server/graceful-shutdown';
import { configureLogging, createLogger } from './shared/logger';

/** The process: reads the config, builds marsbot (src/create-marsbot.ts), listens, and shuts down on a signal. */

/** Where the server listens, and why when marsbot chose it. */
function listeningNote(config: Readonly<Config>): string {
  if (config.hostConfigured) return `${config.host} (HOST)`;
  if (config.teams.secured) return `${config.host}, all interfaces (set HOST to narrow it)`;
  const slackHttp = config.slack && !config.slack.appToken ? ' Slack over HTTP needs that too (or a proxy on this machine).' : '';
  return `${config.host} only: without MicrosoftAppId the Teams endpoint is open, so other machines cannot connect; HOST=0.0.0.0 lets them (then put it behind your own access control).${slackHttp}`;
}

function describeStartup(config: Readonly<Config>, url: string): Record<string, string> {
  const slack = config.slack;
  return {
    listening: listeningNote(config),
    webChat: `${url}/`,
    teams: config.teams.secured
      ? `secured (app ${config.teams.appId}, ${config.teams.appType}) at ${url}/api/messages`
      : `open, no MicrosoftAppId: for local testing (Microsoft 365 Agents Playground) at ${url}/api/messages`,
    slack: !slack
      ? 'off (set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET for HTTP, or with SLACK_APP_TOKEN for Socket Mode)'
      : slack.appToken
        ? 'on, Socket Mode'
        : `on, HTTP at ${url}/slack/events`,
    store: config.storage.databaseUrl ? 'postgresql (DATABASE_URL)' : `sqlite ${config.storage.sqlitePath}`,
    escalationWebhook: config.escalationWebhook ? 'on' : 'off (set ESCALATION_WEBHOOK_URL and ESCALATION_WEBHOOK_SECRET)',
    supportAdmins:
      config.supportAdmins.length > 0
        ? `${config.supportAdmins.length} may run "set support channel"`
        : 'none: only configuration sets the support channel (SUPPORT_ADMINS)',
  };
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw err;
  }
  configureLogging({ level: config.logLevel });
  const log = createLogger('marsbot');

  const marsbot = await createMarsbot(config);
  const url = await marsbot.listen(config.port, config.host);
  await marsbot.startBackground();
  const supportChannels = (await marsbot.supportChannels.all()).map((c) => c.channel);
  log.info(
    { ...describeStartup(config, url), supportChannel: supportChannels.length > 0 ? supportChannels.join(', ') : NO_SUPPORT_CHANNEL, topics: marsbot.knowledge.topics.length },
    `marsbot is running: open ${url}/ to chat`,
  );
  if (supportChannels.length === 0) log.warn({ supportChannel: NO_SUPPORT_CHANNEL }, 'no support channel is set: tickets are registered, but nobody is notified of them');

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const code = await shutDown({
      server: marsbot.server,
      lifecycle: marsbot.lifecycle,
      steps: marsbot.shutdownSteps(),
      timeoutMs: config.http.shutdownTimeoutMs,
      logger: log,
    });
    process.exit(code);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown(signal).catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
    });
  }
}

main().catch((err: unknown) => {
  // Start-up failures (a knowledge file that does not validate, an unreachable database) end the process.
  createLogger('marsbot').fatal({ err }, 'marsbot could not start');
  process.exitCode = 1;
  setImmediate(() => process.exit(1));
});
