import { generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type Provider from 'oidc-provider';
import { LocalUsers, type LocalUser } from './local-users.ts';

/** Where the embedded issuer is mounted on the local HTTP server: the authority is `<url>/local/oidc`. */
export const OIDC_MOUNT = '/local/oidc';
/** The web app's client, as the user pool's app client: public, authorization code with PKCE. */
export const WEB_CLIENT_ID = 'tend-web';
export const WEB_SCOPE = 'openid email profile';
export const REDIRECT_PATH = '/auth/callback';
export const POST_LOGOUT_PATH = '/';
/** The resource the access tokens are for: the API (a resource indicator, so they are JWTs, as Cognito's). */
const API_RESOURCE = 'urn:tend:api';

/** The web app's runtime config (`GET /app-config.json`; on AWS a file CDK writes into the bucket: lib/constructs/web-hosting.ts). */
export interface AppConfig {
  /** '' = the same origin as the page. */
  apiBase: string;
  oidc: { authority: string; clientId: string; scope: string; redirectPath: string; postLogoutPath: string };
}

/** The issuer's RS256 key and cookie keys: in the data folder (tokens and sessions outlive a restart), or new for an in-memory run. */
function issuerSecrets(dataDir?: string): { signingKey: JsonWebKey; cookieKeys: string[] } {
  const file = dataDir ? join(dataDir, 'oidc-issuer.json') : undefined;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { signingKey: JsonWebKey; cookieKeys: string[] };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secrets = {
    signingKey: { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
  if (file) writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/**
 * oidc-provider's storage for this issuer's sessions, interactions, codes and grants, in memory.
 * Hand-rolled (a Map) because the bundled MemoryAdapter is one store for the whole process and
 * warns at every start; access and ID tokens are JWTs, so nothing a client holds depends on it.
 */
function memoryAdapter() {
  const store = new Map<string, { payload: Record<string, unknown>; expires?: number }>();
  const live = (key: string) => {
    const hit = store.get(key);
    if (hit?.expires && hit.expires < Date.now()) return void store.delete(key);
    return hit?.payload;
  };
  return class {
    constructor(private readonly model: string) {}
    private key = (id: string) => `${this.model}:${id}`;
    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
      const expires = expiresIn ? Date.now() + expiresIn * 1000 : undefined;
      store.set(this.key(id), { payload, expires });
      if (typeof payload.uid === 'string') store.set(`${this.model}:uid:${payload.uid}`, { payload: { id }, expires });
      if (typeof payload.grantId === 'string') store.set(`grant:${payload.grantId}:${this.key(id)}`, { payload: { key: this.key(id) }, expires });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      const ref = live(`${this.model}:uid:${uid}`);
      return ref ? live(this.key(String(ref.id))) : undefined;
    }
    async findByUserCode() {
      return undefined;
    }
    async consume(id: string) {
      const hit = live(this.key(id));
      if (hit) hit.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const key of [...store.keys()].filter((k) => k.startsWith(`grant:${grantId}:`))) {
        store.delete(String(store.get(key)!.payload.key));
        store.delete(key);
      }
    }
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · Tend</title>
<style>body{font:16px/1.5 system-ui,sans-serif;background:#f4f5f7;color:#1b1f24;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;width:min(22rem,90vw)}h1{font-size:1.3rem;margin:0 0 1rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit;border:1px solid #5c6570;border-radius:4px}
button{margin-top:1.25rem;width:100%;padding:.6rem;font:inherit;font-weight:600;color:#fff;background:#1a5fb4;border:0;border-radius:4px;cursor:pointer}
p.error{color:#a51d2d;font-weight:600}small{color:#4a525c}</style></head><body><main>${body}</main></body></html>`;
}

function loginPage(uid: string, error?: string, login = ''): string {
  return page(
    'Sign in',
    `<h1>Sign in to Tend</h1>${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${OIDC_MOUNT}/interaction/${encodeURIComponent(uid)}/login">
<label for="login">Email</label><input id="login" name="login" type="email" autocomplete="username" required autofocus value="${escapeHtml(login)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>
<p><small>Local sign-in of <code>tend dev</code>: the passwords were printed when the users were made (<code>tend users</code>).</small></p>`,
  );
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16_384) break;
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * `tend dev`'s OpenID Connect issuer: a real authorization server (oidc-provider), never a bypass.
 * People sign in on its login page (local/local-users.ts) with authorization code + PKCE; it issues
 * RS256 JWT access tokens shaped like Cognito's (`token_use`, `client_id`, `cognito:groups`,
 * `scope`, plus `email`), so the API checks them with the same code as on AWS (functions/api/access-token.ts).
 */
export function localIssuer(options: { baseUrl: string; dataDir?: string; csms?: readonly { email: string; name: string }[] }) {
  const users = new LocalUsers(options.dataDir);
  const issuer = `${options.baseUrl}${OIDC_MOUNT}`;
  // The people are made on first need (a sign-in, or tend dev printing them): scrypt and an RSA key
  // cost a second or more on a busy machine, which a runtime that nobody signs in to should not pay.
  let created: ReturnType<LocalUsers['seed']> | undefined;
  const seeded = () => (created ??= users.seed(options.csms ?? []));
  let started: Promise<{ provider: Provider; callback: ReturnType<Provider['callback']> }> | undefined;
  const ready = () => (started ??= start());

  async function start() {
    const { default: Provider } = await import('oidc-provider');
    const { signingKey, cookieKeys } = issuerSecrets(options.dataDir);
    // The page may be opened as 127.0.0.1 or as localhost: both are the web app's addresses.
    const origins = [options.baseUrl, options.baseUrl.replace('//127.0.0.1:', '//localhost:')];
    const claimsOf = (user: LocalUser) => ({
      sub: user.id,
      email: user.email,
      email_verified: true,
      name: user.name ?? user.email,
      'cognito:groups': [user.role],
    });

    const provider = new Provider(issuer, {
      adapter: memoryAdapter(),
      jwks: { keys: [signingKey] },
      cookies: { keys: cookieKeys },
      clients: [
        {
          client_id: WEB_CLIENT_ID,
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: origins.map((o) => `${o}${REDIRECT_PATH}`),
          post_logout_redirect_uris: origins.map((o) => `${o}${POST_LOGOUT_PATH}`),
        },
      ],
      pkce: { required: () => true, methods: ['S256'] },
      scopes: ['openid', 'email', 'profile'],
      claims: { openid: ['sub', 'cognito:groups'], email: ['email', 'email_verified'], profile: ['name'] },
      // The ID token carries the profile claims (the web app shows the name), as Cognito's does.
      conformIdTokenClaims: false,
      findAccount: (_ctx: unknown, id: string) => {
        const user = users.byId(id);
        return user ? { accountId: id, claims: () => claimsOf(user) } : undefined;
      },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${OIDC_MOUNT}/interaction/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: (ctx: { body: string }, form: string) => {
            ctx.body = page('Sign out', `<h1>Signing out…</h1>${form}<script>document.forms[0].submit()</script>`);
          },
        },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => API_RESOURCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: WEB_SCOPE, accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg: 'RS256' } } }),
        },
      },
      extraTokenClaims: (_ctx: unknown, token: { kind: string; accountId?: string }) => {
        const user = token.kind === 'AccessToken' && token.accountId ? users.byId(token.accountId) : undefined;
        // Cognito's access token shape (token_use, cognito:groups, username), plus the email and name its pre-token trigger adds.
        return user
          ? { token_use: 'access', 'cognito:groups': [user.role], username: user.email, email: user.email, name: user.name ?? user.email }
          : undefined;
      },
      clientBasedCORS: (_ctx: unknown, origin: string) => origins.includes(origin),
      ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 1800, Session: 86_400, Grant: 86_400 },
      renderError: (ctx: { type: string; body: string }, out: Record<string, string>) => {
        ctx.type = 'html';
        ctx.body = page(
          'Sign-in error',
          `<h1>Sign-in failed</h1><p class="error">${escapeHtml(out.error ?? '')}: ${escapeHtml(out.error_description ?? '')}</p>`,
        );
      },
    });
    return { provider, callback: provider.callback() };
  }

  /** The login form's answer, and the consent a first-party app does not ask for (Cognito's managed login asks none either). */
  async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (details.prompt.name === 'login') {
      if (req.method !== 'POST' || action !== 'login') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(loginPage(uid));
      }
      const form = await formBody(req);
      seeded();
      const user = users.verify(form.get('login') ?? '', form.get('password') ?? '');
      if (!user) {
        res.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(loginPage(uid, 'Wrong email or password.', form.get('login') ?? ''));
      }
      return provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
    }
    // consent: grant the web app what it asked for.
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) }))
      : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    clientId: WEB_CLIENT_ID,
    users,
    /** The people this start created, with their passwords (shown once: only hashes are kept); creates them on first call. */
    get newUsers() {
      return seeded();
    },
    appConfig: (): AppConfig => ({
      apiBase: '',
      oidc: { authority: issuer, clientId: WEB_CLIENT_ID, scope: WEB_SCOPE, redirectPath: REDIRECT_PATH, postLogoutPath: POST_LOGOUT_PATH },
    }),
    /** Serves a request under /local/oidc (the caller checks the prefix). */
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
      const step = new RegExp(`^${OIDC_MOUNT}/interaction/([\\w-]+)(?:/(login))?$`).exec(url.pathname);
      let provider: Provider, callback: ReturnType<Provider['callback']>;
      try {
        ({ provider, callback } = await ready());
        if (step) return void (await interaction(provider, req, res, step[1]!, step[2]));
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end(
          page('Sign-in error', `<h1>Sign-in failed</h1><p class="error">${escapeHtml((err as Error).message)}</p><p><a href="/">Start again</a></p>`),
        );
      }
      // Mounted as Express would: oidc-provider reads its mount path from originalUrl minus url.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
      req.url = req.url!.slice(OIDC_MOUNT.length) || '/';
      callback(req, res);
    },
  };
}

export type LocalIssuer = ReturnType<typeof localIssuer>;

/**
 * The sign-in paths of the local HTTP server: the issuer under /local/oidc and the web app's
 * runtime config at /app-config.json. Returns false for any other path.
 */
export function signInRoutes(issuer: LocalIssuer) {
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (url.pathname === '/app-config.json' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(issuer.appConfig()));
      return true;
    }
    if (url.pathname !== OIDC_MOUNT && !url.pathname.startsWith(`${OIDC_MOUNT}/`)) return false;
    void issuer.handle(req, res, url);
    return true;
  };
}
