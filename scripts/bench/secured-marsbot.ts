import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { createMarsbot } from '../../src/create-marsbot';
import { configureLogging } from '../../src/shared/logger';

/**
 * marsbot as `npm start` builds it (the composition root, the environment's configuration, with
 * MicrosoftAppId set), with the two things a benchmark cannot have: Microsoft's signing keys (the
 * local token issuer's instead, BENCH_OPENID_METADATA_URL) and Entra ID for the bot's own reply
 * tokens (a fixed one). Started by scripts/bench/processes.ts for the secured Teams scenario.
 */

/** Replies need the bot's own token from Entra ID, which a benchmark cannot reach: this one is fixed. */
class FixedTokenFactory extends ConfigurationServiceClientCredentialFactory {
  override createCredentials(): Promise<never> {
    const credentials = {
      signRequest(webResource: { headers: { set(name: string, value: string): void } }) {
        webResource.headers.set('authorization', 'Bearer bench-outbound-token');
        return Promise.resolve(webResource);
      },
    };
    return Promise.resolve(credentials as never);
  }
}

async function main(): Promise<void> {
  const metadataUrl = process.env['BENCH_OPENID_METADATA_URL'];
  if (!metadataUrl) throw new Error('BENCH_OPENID_METADATA_URL is not set');
  const config = loadConfig();
  configureLogging({ level: config.logLevel });
  const marsbot = await createMarsbot(config, { teams: { openIdMetadataUrl: metadataUrl, credentialsFactory: new FixedTokenFactory() } });
  await marsbot.listen(config.port, config.host);
  await marsbot.startBackground();
  process.once('SIGTERM', () => {
    void marsbot.close().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
