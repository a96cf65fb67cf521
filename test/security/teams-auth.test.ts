import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { FakeBotConnector, teamsMessage } from '../helpers/fake-bot-connector';
import { FakeEngine } from '../helpers/fake-engine';
import { startHardenedMarsbot, type HardenedMarsbot } from './hardened-marsbot';

/**
 * Teams requests with app credentials configured: the real botbuilder token validation, pointed at
 * signing keys this test publishes on a loopback server (the way login.botframework.com publishes
 * Microsoft's), so a correctly signed token is accepted and every kind of bad one is refused before
 * the engine runs.
 */

const APP_ID = '11111111-2222-3333-4444-555555555555';
const ISSUER = 'https://api.botframework.com';

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function newKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

function mint(key: SigningKey, claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key.privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** Publishes an OpenID configuration and its key set, like the Bot Framework's metadata endpoint. */
async function startKeyServer(keys: SigningKey[]): Promise<{ metadataUrl: string; stop(): Promise<void> }> {
  let base = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/openidconfiguration') {
      res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/keys') {
      res.end(JSON.stringify({ keys: keys.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, use: 'sig', endorsements: ['msteams'] })) }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/openidconfiguration`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Replies need the bot's own token from Entra ID, which is not reachable offline: this one is fixed. */
class OfflineCredentialsFactory extends ConfigurationServiceClientCredentialFactory {
  override async createCredentials(): Promise<never> {
    return {
      async signRequest(webResource: { headers: { set(name: string, value: string): void } }) {
        webResource.headers.set('authorization', 'Bearer outbound-test-token');
        return webResource;
      },
    } as never;
  }
}

const trusted = newKey('marsbot-test-key');
const untrusted = newKey('marsbot-test-key'); // same key id, different key: a forged signature

let keyServer: Awaited<ReturnType<typeof startKeyServer>>;
let connector: FakeBotConnector;
let engine: FakeEngine;
let bot: HardenedMarsbot;

beforeAll(async () => {
  keyServer = await startKeyServer([trusted]);
  connector = await new FakeBotConnector().start();
});
afterAll(async () => {
  await connector.stop();
  await keyServer.stop();
});
beforeEach(async () => {
  connector.clear();
  engine = new FakeEngine([{ kind: 'notice', lang: 'en', text: ['The proxy blocks the connection.'] }]);
  bot = await startHardenedMarsbot({
    engine: () => engine,
    credentials: {
      appId: APP_ID,
      appPassword: 'not-used-offline',
      appType: 'MultiTenant',
      openIdMetadataUrl: keyServer.metadataUrl,
      credentialsFactory: new OfflineCredentialsFactory({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-offline', MicrosoftAppType: 'MultiTenant' }),
    },
  });
});
afterEach(async () => {
  await bot.stop();
});

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: APP_ID, serviceurl: connector.url, nbf: now - 60, iat: now - 60, exp: now + 3600, ...overrides };
}

function message(): Record<string, unknown> {
  return teamsMessage({ serviceUrl: connector.url, text: 'proxy error 34513' });
}

describe('Teams with app credentials', () => {
  it('accepts a request signed by the Bot Framework for this app: the engine answers and the reply goes out with the bot token', async () => {
    const res = await bot.postActivity(message(), { Authorization: `Bearer ${mint(trusted, claims())}` });
    expect(res.status).toBe(200);
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0]).toMatchObject({ channel: 'teams', text: 'proxy error 34513' });
    expect(connector.messages()).toHaveLength(1);
    expect(connector.messages()[0]!.authorization).toBe('Bearer outbound-test-token');
  });

  const refusals: [string, () => Record<string, string>][] = [
    ['no token at all', () => ({})],
    ['an empty bearer', () => ({ Authorization: 'Bearer ' })],
    ['a token that is not a JWT', () => ({ Authorization: 'Bearer not.a.token' })],
    ['an expired token', () => ({ Authorization: `Bearer ${mint(trusted, claims({ iat: 1_600_000_000, nbf: 1_600_000_000, exp: 1_600_003_600 }))}` })],
    ['a token for another app id (audience)', () => ({ Authorization: `Bearer ${mint(trusted, claims({ aud: '99999999-8888-7777-6666-555555555555' }))}` })],
    ['a token signed with a key the Bot Framework does not publish', () => ({ Authorization: `Bearer ${mint(untrusted, claims())}` })],
    ['a token from another issuer', () => ({ Authorization: `Bearer ${mint(trusted, claims({ iss: 'https://sts.windows.net/evil/' }))}` })],
    ['a token issued for another service URL (replies would go elsewhere)', () => ({ Authorization: `Bearer ${mint(trusted, claims({ serviceurl: 'https://evil.example/' }))}` })],
  ];

  it.each(refusals)('refuses %s with 401, and neither the engine nor the Bot Connector hears of it', async (_name, headers) => {
    // botbuilder prints expired-token errors to the console itself; the test output stays readable.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await bot.postActivity(message(), headers());
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized' });
    } finally {
      quiet.mockRestore();
    }
    expect(engine.calls).toHaveLength(0);
    expect(connector.posted).toHaveLength(0);
  });

  it('answers 503 (the Connector retries) when the signing keys cannot be fetched, without running the engine', async () => {
    const offline = await startHardenedMarsbot({
      engine: () => engine,
      credentials: {
        appId: APP_ID,
        appPassword: 'not-used-offline',
        // Nothing listens on port 9 (discard) on loopback.
        openIdMetadataUrl: 'http://127.0.0.1:9/openidconfiguration',
        credentialsFactory: new OfflineCredentialsFactory({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-offline', MicrosoftAppType: 'MultiTenant' }),
      },
    });
    try {
      const res = await offline.postActivity(message(), { Authorization: `Bearer ${mint(trusted, claims())}` });
      expect(res.status).toBe(503);
      expect(engine.calls).toHaveLength(0);
    } finally {
      await offline.stop();
    }
  });

  it('checks the token once per request: the adapter is handed the result, not the header again', async () => {
    const checks = jest.spyOn(ConfigurationBotFrameworkAuthentication.prototype, 'authenticateRequest');
    try {
      const res = await bot.postActivity(message(), { Authorization: `Bearer ${mint(trusted, claims())}` });
      expect(res.status).toBe(200);
      expect(connector.messages()).toHaveLength(1);
      expect(checks).toHaveBeenCalledTimes(1);
    } finally {
      checks.mockRestore();
    }
  });

  it('refuses a valid token whose activity claims to come from another service URL', async () => {
    const activity = { ...message(), serviceUrl: 'https://evil.example/' };
    const res = await bot.postActivity(activity, { Authorization: `Bearer ${mint(trusted, claims())}` });
    expect(res.status).toBe(401);
    expect(engine.calls).toHaveLength(0);
  });
});
