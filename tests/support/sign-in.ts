import { createHash, randomBytes } from 'node:crypto';

/** The web app's sign-in settings as the runtime serves them (GET /app-config.json). */
interface AppConfig {
  oidc: { authority: string; clientId: string; scope: string; redirectPath: string };
}

/** Cookies of one browser session: the issuer's interaction and session cookies, kept across redirects. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Signs a person in to the local runtime's issuer as the web app does (authorization code + PKCE,
 * the login form posted, redirects followed by hand with the session's cookies) and returns their
 * tokens: for integration tests that call the API as a viewer, a CSM or an admin.
 */
export async function signIn(baseUrl: string, email: string, password: string): Promise<{ accessToken: string; idToken: string }> {
  const config = (await (await fetch(`${baseUrl}/app-config.json`)).json()) as AppConfig;
  const discovery = (await (await fetch(`${config.oidc.authority}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const redirectUri = `${baseUrl}${config.oidc.redirectPath}`;
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: config.oidc.clientId,
    response_type: 'code',
    scope: config.oidc.scope,
    redirect_uri: redirectUri,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const jar = new CookieJar();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
    jar.take(res);
    return res;
  };
  // Follow redirects until the login page, or until the web app's callback receives the code.
  let res = await go(authorize.toString());
  let code: string | undefined;
  for (let hops = 0; hops < 10 && !code; hops++) {
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, res.url || baseUrl);
      if (next.href.startsWith(redirectUri)) {
        if (next.searchParams.get('state') !== state) throw new Error('sign-in: the state came back changed');
        code = next.searchParams.get('code') ?? undefined;
        if (!code) throw new Error(`sign-in refused: ${next.searchParams.get('error')} ${next.searchParams.get('error_description') ?? ''}`);
        break;
      }
      res = await go(next.href);
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !/name="password"/.test(html)) throw new Error(`sign-in: expected the login form, got ${res.status}: ${html.slice(0, 300)}`);
    if (res.status === 401) throw new Error(`sign-in: wrong email or password for ${email}`);
    res = await go(new URL(action.replace(/&amp;/g, '&'), baseUrl).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: email, password }).toString(),
    });
    if (res.status === 401) throw new Error(`sign-in: wrong email or password for ${email}`);
  }
  if (!code) throw new Error('sign-in: no authorization code after 10 redirects');

  const token = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: config.oidc.clientId,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await token.json()) as { access_token?: string; id_token?: string; error?: string; error_description?: string };
  if (!token.ok || !body.access_token || !body.id_token) throw new Error(`sign-in: the token request failed: ${body.error} ${body.error_description ?? ''}`);
  return { accessToken: body.access_token, idToken: body.id_token };
}
