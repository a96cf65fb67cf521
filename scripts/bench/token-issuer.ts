import { createSign, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for login.botframework.com in the secured Teams benchmark: it publishes one
 * signing key (OpenID metadata and JWKS, as Microsoft does) and signs the tokens the load generator
 * sends, so marsbot runs botbuilder's real token validation — signature, issuer, audience, expiry,
 * endorsement and service URL — on every request.
 */

export const BENCH_APP_ID = '00000000-0000-4000-8000-00000000be4c';
const ISSUER = 'https://api.botframework.com';
const KEY_ID = 'bench-signing-key';

export interface TokenIssuer {
  metadataUrl: string;
  /** A token as the Bot Connector sends it, valid for an hour, for requests naming `serviceUrl`. */
  token(serviceUrl: string): string;
  stop(): Promise<void>;
}

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openidconfiguration') {
      res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/keys') {
      res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KEY_ID, use: 'sig', endorsements: ['msteams'] }] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    metadataUrl: `http://127.0.0.1:${port}/openidconfiguration`,
    token(serviceUrl) {
      const now = Math.floor(Date.now() / 1000);
      const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: KEY_ID }));
      const claims = base64url(JSON.stringify({ iss: ISSUER, aud: BENCH_APP_ID, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600 }));
      const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKey);
      return `${header}.${claims}.${base64url(signature)}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
