import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Bot Framework channel's token authority, on loopback: it publishes an
 * OpenID metadata document and a JWKS (with Bot Framework `endorsements` on each key), and signs
 * RS256 tokens by hand with node:crypto. Point the bot's ToBotFromChannelOpenIdMetadataUrl at
 * `metadataUrl` and ToBotFromChannelTokenIssuer at `issuer`.
 */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function newSigningKey(kid = `kid-${randomUUID()}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

export interface SignOptions {
  readonly key: SigningKey;
  /** Overrides the header's kid (for "signed by another key under a published kid"). */
  readonly kid?: string;
  readonly alg?: string;
}

/** An RS256 JWT over the given claims. */
export function signJwt(claims: Record<string, unknown>, { key, kid, alg = 'RS256' }: SignOptions): string {
  const header = base64url(JSON.stringify({ alg, typ: 'JWT', kid: kid ?? key.kid, x5t: kid ?? key.kid }));
  const payload = base64url(JSON.stringify(claims));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${signer.sign(key.privateKey).toString('base64url')}`;
}

export interface ChannelAuthority {
  readonly metadataUrl: string;
  readonly issuer: string;
  readonly key: SigningKey;
  /** Requests served, by path, so a test can see what the bot fetched. */
  readonly requests: string[];
  /**
   * Holds every JWKS request until the returned function is called: the first authenticated
   * request then stays in flight inside the bot for as long as the test likes.
   */
  holdKeys(): () => void;
  /** Claims of a valid channel token for this app and service URL, valid for an hour from now. */
  claims(appId: string, serviceUrl: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  token(appId: string, serviceUrl: string, overrides?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/**
 * Serves `/<random>/.well-known/openid-configuration` and `/<random>/keys`. The path is random
 * because botframework-connector caches OpenID metadata process-wide by URL.
 */
export async function startChannelAuthority(endorsements: readonly string[] = ['msteams']): Promise<ChannelAuthority> {
  const key = newSigningKey();
  const prefix = `/${randomUUID()}`;
  const requests: string[] = [];
  let held: Promise<void> | undefined;
  const server = http.createServer(async (req, res) => {
    requests.push(req.url ?? '');
    if (held && req.url === `${prefix}/keys`) await held;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
    if (req.url === `${prefix}/.well-known/openid-configuration`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === `${prefix}/keys`) {
      const jwk = key.publicKey.export({ format: 'jwk' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: key.kid, x5t: key.kid, n: jwk.n, e: jwk.e, endorsements }] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://api.botframework.test/${prefix.slice(1, 9)}`;
  const claims = (appId: string, serviceUrl: string, overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: issuer, aud: appId, nbf: now - 60, exp: now + 3600, serviceurl: serviceUrl, ...overrides };
  };
  return {
    metadataUrl: `http://127.0.0.1:${port}${prefix}/.well-known/openid-configuration`,
    issuer,
    key,
    requests,
    holdKeys() {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    claims,
    token: (appId, serviceUrl, overrides) => signJwt(claims(appId, serviceUrl, overrides), { key }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
