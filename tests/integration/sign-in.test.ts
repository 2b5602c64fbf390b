import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskRepo } from '../../functions/data/tasks.ts';
import { signIn } from '../support/sign-in.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * People sign in to the local runtime's OpenID Connect issuer (code + PKCE, its login form) and call
 * the API with the access token: the same verifier as on AWS (functions/api/access-token.ts), the
 * roles of their group, the route list's scopes.
 */
describe('sign-in: access tokens and roles on the local runtime', () => {
  let rt: TestRuntime;
  let dataDir: string;
  const tokens: Record<string, { accessToken: string; idToken: string }> = {};
  const password = (email: string) => rt.oidc.newUsers.find((u) => u.email === email)!.password;
  const as = (who: string) => ({ key: tokens[who]!.accessToken });
  const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as JWTPayload & Record<string, unknown>;

  /** A token signed with the issuer's own key (kept in the data folder), with the claims given: each check refuses on its own. */
  const signedByIssuer = async (claims: Record<string, unknown>, expiresAt: number) => {
    const { signingKey } = JSON.parse(readFileSync(join(dataDir, 'oidc-issuer.json'), 'utf8')) as { signingKey: JWK };
    const key = await importJWK(signingKey, 'RS256');
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid }).setIssuedAt().setExpirationTime(expiresAt).sign(key);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tend-sign-in-'));
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z'), dataDir });
    await rt.request('POST', '/v1/accounts', { id: 'acme', name: 'Acme Inc', seats: 5, owner: 'alex', primaryContact: { email: 'pat@acme.example' } });
    for (const email of ['viewer@tend.local', 'alex@acme.example', 'admin@tend.local']) tokens[email] = await signIn(rt.url, email, password(email));
  }, 60_000);
  afterAll(() => rt?.stop());

  it('serves the web app its sign-in settings, and the issuer its discovery document', async () => {
    const config = (await (await fetch(`${rt.url}/app-config.json`)).json()) as Record<string, any>;
    expect(config).toEqual({
      apiBase: '',
      oidc: { authority: `${rt.url}/local/oidc`, clientId: 'tend-web', scope: 'openid email profile', redirectPath: '/auth/callback', postLogoutPath: '/' },
    });
    const discovery = (await (await fetch(`${config.oidc.authority}/.well-known/openid-configuration`)).json()) as Record<string, any>;
    expect(discovery.issuer).toBe(config.oidc.authority);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
  });

  it("issues Cognito-shaped access tokens: token_use, client_id, the person's group, email and scope", () => {
    const claims = claimsOf(tokens['alex@acme.example']!.accessToken);
    expect(claims).toMatchObject({
      token_use: 'access',
      client_id: 'tend-web',
      'cognito:groups': ['csm'],
      email: 'alex@acme.example',
      scope: 'openid email profile',
    });
    expect(claims.iss).toBe(`${rt.url}/local/oidc`);
  });

  it('refuses a wrong password at the login form', async () => {
    await expect(signIn(rt.url, 'viewer@tend.local', 'not-the-password')).rejects.toThrow(/wrong email or password/);
  });

  it('answers 401 to a request with neither a token nor a key', async () => {
    for (const path of ['/v1/accounts', '/v1/me', '/v1/tasks']) {
      const res = await rt.request('GET', path, undefined, undefined, { key: null });
      expect(res.status, path).toBe(401);
      expect(res.body?.error).toBe('UnauthorizedError');
    }
  });

  it('lets a viewer read, and answers 403 when a viewer pauses a play or writes a note', async () => {
    expect((await rt.request('GET', '/v1/accounts/acme', undefined, undefined, as('viewer@tend.local'))).status).toBe(200);
    expect((await rt.request('GET', '/v1/tasks', undefined, undefined, as('viewer@tend.local'))).status).toBe(200);
    const pause = await rt.request('POST', '/v1/accounts/acme/plays/onboarding/pause', {}, undefined, as('viewer@tend.local'));
    expect(pause.status).toBe(403);
    expect(pause.body).toMatchObject({ error: 'ForbiddenError', message: expect.stringContaining('viewer') });
    const note = await rt.request('POST', '/v1/accounts/acme/notes', { author: 'viewer', text: 'hi' }, undefined, as('viewer@tend.local'));
    expect(note.status).toBe(403);
    const me = await rt.request('GET', '/v1/me', undefined, undefined, as('viewer@tend.local'));
    expect(me.body).toMatchObject({ email: 'viewer@tend.local', roles: ['viewer'], scopes: ['read'] });
    expect(me.body).not.toHaveProperty('csmId');
  });

  it('lets a CSM complete a task and write a note, but not ingest data; GET /v1/me names their CSM id', async () => {
    const now = rt.clock.now().toISOString();
    await taskRepo(rt.db, rt.tableName).create({
      id: 'call-1',
      accountId: 'acme',
      title: 'Call the champion',
      priority: 'high',
      status: 'open',
      dueAt: now,
      createdAt: now,
      owner: 'alex',
      play: 'save',
      step: 'review',
      executionName: 'manual',
    });
    const done = await rt.request('POST', '/v1/tasks/acme/call-1/complete', { outcome: 'Plan agreed', by: 'alex' }, undefined, as('alex@acme.example'));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body!.task).toMatchObject({ status: 'done', outcome: 'Plan agreed' });
    const note = await rt.request('POST', '/v1/accounts/acme/notes', { author: 'alex', text: 'Renewal call booked' }, undefined, as('alex@acme.example'));
    expect(note.status).toBe(201);
    expect((await rt.request('POST', '/v1/events', { events: [] }, undefined, as('alex@acme.example'))).status).toBe(403);
    const me = await rt.request('GET', '/v1/me', undefined, undefined, as('alex@acme.example'));
    expect(me.body).toMatchObject({ email: 'alex@acme.example', roles: ['csm'], scopes: ['read', 'work'], csmId: 'alex' });
  });

  it('lets an admin do what a key with admin does', async () => {
    const pause = await rt.request('POST', '/v1/email/pause', { action: 'cancel-resume' }, undefined, as('admin@tend.local'));
    expect(pause.status, JSON.stringify(pause.body)).toBe(200);
    expect((await rt.request('GET', '/v1/me', undefined, undefined, as('admin@tend.local'))).body).toMatchObject({ roles: ['admin'] });
  });

  it('refuses with 401 a token signed by another key, for another client, of the wrong use, expired, or from another issuer', async () => {
    const good = claimsOf(tokens['admin@tend.local']!.accessToken);
    const claims = { sub: good.sub, iss: good.iss, client_id: 'tend-web', token_use: 'access', 'cognito:groups': ['admin'], scope: 'openid email profile' };
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    // A well-formed token signed by the issuer's key passes (the forgeries below differ by one thing each).
    expect((await rt.request('GET', '/v1/me', undefined, undefined, { key: await signedByIssuer(claims, inAnHour) })).status).toBe(200);

    const other = await generateKeyPair('RS256');
    const { signingKey } = JSON.parse(readFileSync(join(dataDir, 'oidc-issuer.json'), 'utf8')) as { signingKey: JWK };
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid })
      .setIssuedAt()
      .setExpirationTime(inAnHour)
      .sign(other.privateKey);
    const refused = {
      'signed by another key': forged,
      'another client_id': await signedByIssuer({ ...claims, client_id: 'someone-else' }, inAnHour),
      'token_use id': await signedByIssuer({ ...claims, token_use: 'id' }, inAnHour),
      expired: await signedByIssuer(claims, Math.floor(Date.now() / 1000) - 60),
      'another issuer': await signedByIssuer({ ...claims, iss: 'https://issuer.example' }, inAnHour),
      'the ID token': tokens['admin@tend.local']!.idToken,
      'a tampered payload': (() => {
        const [h, , s] = tokens['viewer@tend.local']!.accessToken.split('.');
        const payload = { ...claimsOf(tokens['viewer@tend.local']!.accessToken), 'cognito:groups': ['admin'] };
        return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
      })(),
    };
    for (const [what, token] of Object.entries(refused)) {
      const res = await rt.request('GET', '/v1/accounts', undefined, undefined, { key: token });
      expect(res.status, what).toBe(401);
      expect(res.body?.error, what).toBe('UnauthorizedError');
    }
  });

  it('still takes API keys, unchanged; GET /v1/me names the key', async () => {
    expect((await rt.request('GET', '/v1/accounts')).status).toBe(200);
    const readKey = await rt.createKey(['read'], 'reader');
    expect((await rt.request('POST', '/v1/tasks/acme/call-1/snooze', { until: '2030-01-01T00:00:00Z' }, undefined, { key: readKey })).status).toBe(403);
    const me = await rt.request('GET', '/v1/me', undefined, undefined, { key: readKey });
    // `today` on the runtime's virtual clock, not the machine's.
    expect(me.body).toEqual({ subject: readKey.split('_')[1], roles: [], scopes: ['read'], today: new Date(rt.clock.now()).toISOString().slice(0, 10) });
  });
});
