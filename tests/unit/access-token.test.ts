import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAccessToken } from '../../functions/api/access-token.ts';
import { UnauthorizedError } from '../../functions/core/errors.ts';

/** The verifier against a real key set served over HTTP: the token's faults are 401s, the key set's absence is not. */
describe('verifyAccessToken', () => {
  let server: Server;
  let jwksUrl: string;
  let sign: (claims: Record<string, unknown>, key?: CryptoKey) => Promise<string>;
  let strangerKey: CryptoKey;
  let privateKey: CryptoKey;
  const issuer = 'https://issuer.example/pool';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    const publicKey = pair.publicKey;
    privateKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    sign = (claims, key = privateKey) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setSubject('person-1')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const good = { token_use: 'access', client_id: 'web', 'cognito:groups': ['csm'], email: 'alex@tend.local' };

  it('accepts a token of the issuer for the app, with its roles and email', async () => {
    const person = await verifyAccessToken(await sign(good), { issuer, jwksUrl, clientId: 'web' });
    expect(person).toMatchObject({ subject: 'person-1', email: 'alex@tend.local', roles: ['csm'] });
  });

  it.each([
    ['an id token', { ...good, token_use: 'id' }],
    ['another client', { ...good, client_id: 'other' }],
  ])('refuses %s with a 401', async (_, claims) => {
    await expect(verifyAccessToken(await sign(claims), { issuer, jwksUrl, clientId: 'web' })).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a token signed by another key with a 401', async () => {
    await expect(verifyAccessToken(await sign(good, strangerKey), { issuer, jwksUrl, clientId: 'web' })).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('takes a token it verified again until it expires, then refuses it; another issuer or client is checked afresh', async () => {
    const token = await new SignJWT(good)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setSubject('person-2')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(privateKey);
    const web = { issuer, jwksUrl, clientId: 'web' };
    expect(await verifyAccessToken(token, web)).toMatchObject({ subject: 'person-2' });
    expect(await verifyAccessToken(token, web)).toMatchObject({ subject: 'person-2' });
    await expect(verifyAccessToken(token, { ...web, clientId: 'other' })).rejects.toBeInstanceOf(UnauthorizedError);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 70_000 });
    try {
      await expect(verifyAccessToken(token, web)).rejects.toBeInstanceOf(UnauthorizedError);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a key set out of reach is a server fault, not a 401', async () => {
    const token = await sign(good);
    const error = await verifyAccessToken(token, { issuer, jwksUrl: 'http://127.0.0.1:1/jwks', clientId: 'web' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnauthorizedError);
  });
});
