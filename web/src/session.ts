import type { UserManager } from 'oidc-client-ts';
import { createApi, type Api } from './api.ts';
import { RENEWAL_MONTHS_READ, WEEK_CHANGES_READ } from './overview-reads.ts';

/** GET /app-config.json: where the API is and how people sign in (served by tend dev, by S3 on AWS). */
export interface AppConfig {
  apiBase: string;
  oidc?: {
    authority: string;
    clientId: string;
    scope: string;
    redirectPath: string;
    postLogoutPath: string;
    /** Cognito's managed-login logout URL (its discovery document names none), with its client and return address. */
    endSessionEndpoint?: string;
  };
}

export type Role = 'viewer' | 'csm' | 'admin';
export interface Me {
  subject: string;
  email?: string;
  name?: string;
  roles: Role[];
  scopes: string[];
  csmId?: string;
  /** Today on the API's clock when the session began (the local clock is virtual). */
  today: string;
}

export interface Session {
  api: Api;
  me: Me;
  signOut: () => Promise<void>;
}

/** What a role may do: the app hides what it cannot (the API answers 403 anyway). */
export const can = {
  work: (me: Me) => me.roles.includes('csm') || me.roles.includes('admin'),
  controlPlays: (me: Me) => me.roles.includes('csm') || me.roles.includes('admin'),
};

const KEY_STORAGE = 'tend.apiKey';

async function loadConfig(): Promise<AppConfig> {
  const res = await fetch('/app-config.json');
  if (!res.ok) return { apiBase: '' };
  return (await res.json()) as AppConfig;
}

/** What an API key may do, from its scopes (GET /v1/me gives a key no roles): admin, work (a CSM's), else read. */
function rolesOfScopes(scopes: string[]): Role[] {
  return scopes.includes('admin') ? ['admin'] : scopes.includes('work') ? ['csm'] : ['viewer'];
}

/**
 * The Overview's reads that need nothing from the sign-in start with its own (`/v1/me`), not after
 * it: the figures show a round trip sooner. Same paths and queries as the page's, or it reads again.
 */
function prefetchFirstPage(api: Api) {
  if (window.location.pathname !== '/') return;
  api.prefetch('/v1/metrics', {});
  api.prefetch(...RENEWAL_MONTHS_READ);
  api.prefetch(...WEEK_CHANGES_READ);
}

async function whoAmI(api: Api): Promise<Me> {
  const me = await api.get<Me>('/v1/me');
  return me.roles.length ? me : { ...me, roles: rolesOfScopes(me.scopes) };
}

/**
 * Signs in: with OpenID Connect (authorization code + PKCE, oidc-client-ts) when the app config
 * names an issuer, else with an API key kept in this tab's sessionStorage (local development).
 * Resolves to `null` while the browser is sent to the issuer, or when a key must be entered.
 */
export async function startSession(): Promise<{ session: Session } | { needsKey: (key: string) => void } | null> {
  const config = await loadConfig();
  if (config.oidc) {
    const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
    const origin = window.location.origin;
    const users: UserManager = new UserManager({
      authority: config.oidc.authority.startsWith('/') ? origin + config.oidc.authority : config.oidc.authority,
      client_id: config.oidc.clientId,
      redirect_uri: origin + config.oidc.redirectPath,
      post_logout_redirect_uri: origin + config.oidc.postLogoutPath,
      scope: config.oidc.scope,
      response_type: 'code',
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    });
    if (window.location.pathname === config.oidc.redirectPath) {
      const user = await users.signinRedirectCallback();
      const back = typeof user.state === 'string' && user.state.startsWith('/') ? user.state : '/';
      window.history.replaceState(null, '', back);
    }
    const user = await users.getUser();
    if (!user || user.expired) {
      await users.signinRedirect({ state: window.location.pathname + window.location.search });
      return null;
    }
    const api = createApi(async () => (await users.getUser())?.access_token ?? null, config.apiBase);
    prefetchFirstPage(api);
    const me = await whoAmI(api);
    const endSession = config.oidc.endSessionEndpoint;
    const signOut = endSession ? () => users.removeUser().then(() => window.location.assign(endSession)) : () => users.signoutRedirect();
    return { session: { api, me, signOut } };
  }
  const key = window.sessionStorage.getItem(KEY_STORAGE);
  if (!key) return { needsKey: (k) => (window.sessionStorage.setItem(KEY_STORAGE, k), window.location.reload()) };
  const api = createApi(async () => key, config.apiBase);
  prefetchFirstPage(api);
  const me = await whoAmI(api);
  return {
    session: {
      api,
      me,
      signOut: async () => {
        window.sessionStorage.removeItem(KEY_STORAGE);
        window.location.assign('/');
      },
    },
  };
}
