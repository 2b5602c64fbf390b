import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import { grants, keyIdOf, keyMatches, type ApiKeyRecord, type Scope } from '../core/api-keys.ts';
import type { Clock } from '../core/clock.ts';
import { ForbiddenError, RateLimitedError, UnauthorizedError } from '../core/errors.ts';
import type { ApiKeyRepo, RateCounter } from '../core/ports.ts';
import { scopesOf, type Role } from '../core/roles.ts';
import type { TokenIssuer } from './access-token.ts';
import { rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { authOf, SEGMENT_ROUTE } from './routes.ts';

export interface AuthDeps {
  clock: Clock;
  keys: ApiKeyRepo;
  rate: RateCounter;
  rateLimitPerMinute: number;
  /** Signed webhook deliveries share one counter; Segment sends one message a request. */
  webhookRateLimitPerMinute: number;
  maxBodyBytes: number;
  /** The Segment webhook destination's shared secret, when one is set (`tend keys segment-secret`). */
  segmentSecret: () => Promise<string | undefined>;
  /** Who issues the web app's access tokens (TEND_OIDC_*); without one, only API keys are taken. */
  tokens?: TokenIssuer;
}

/** Who made a request: an API key (subject = its id, no roles) or a signed-in person. */
export interface Principal {
  kind: 'key' | 'person';
  subject: string;
  scopes: Scope[];
  roles: Role[];
  email?: string;
  name?: string;
  rateLimit?: number;
}

const principals = new WeakMap<HttpEvent, Principal>();
/** The principal apiAuth authenticated for this request (none on public routes). */
export const principalOf = (event: HttpEvent): Principal | undefined => principals.get(event);

/** Who asked, as recorded when a request does not say `by`: a person's email (else subject), or `api key <id>`. */
export function callerName(event: HttpEvent): string | undefined {
  const caller = principalOf(event);
  if (!caller) return undefined;
  return caller.kind === 'person' ? (caller.email ?? caller.subject) : `api key ${caller.subject}`;
}

/** The token issuer the environment names (set by CDK from the user pool, by `tend dev` from its embedded issuer), if any. */
export function tokenIssuerFromEnv(env: NodeJS.ProcessEnv = process.env): TokenIssuer | undefined {
  const { TEND_OIDC_ISSUER: issuer, TEND_OIDC_JWKS_URL: jwksUrl, TEND_OIDC_CLIENT_ID: clientId } = env;
  return issuer && jwksUrl && clientId ? { issuer, jwksUrl, clientId } : undefined;
}

/** A compact JWS (`header.payload.signature`, the header JSON starting `{"`): never an API key's shape. */
const JWT_SHAPE = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;

const CACHE_MS = 30_000;
const WINDOW_SECONDS = 60;

/** The presented key: `Authorization: Bearer`, `x-api-key`, or (Segment SDKs) Basic with the key as user. */
export function presentedKey(event: HttpEvent): string | undefined {
  const auth = event.headers?.authorization ?? event.headers?.Authorization;
  if (auth) {
    const [scheme, value = ''] = auth.trim().split(/\s+/, 2);
    if (/^bearer$/i.test(scheme ?? '')) return value;
    if (/^basic$/i.test(scheme ?? '')) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      return decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
    }
  }
  return event.headers?.['x-api-key'] ?? undefined;
}

/** Segment's batch body may carry the write key itself (`writeKey`), as its SDKs allow. */
function bodyWriteKey(event: HttpEvent, maxBodyBytes: number): string | undefined {
  try {
    const parsed = JSON.parse(rawBody(event, maxBodyBytes)) as { writeKey?: unknown };
    return typeof parsed.writeKey === 'string' ? parsed.writeKey : undefined;
  } catch {
    return undefined;
  }
}

function signatureMatches(secret: string, body: string, signature: string): boolean {
  const expected = createHmac('sha1', secret).update(body).digest();
  const given = Buffer.from(signature.trim(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Authenticates every request before its route runs (an API key, or a signed-in person's access
 * token: functions/api/access-token.ts), checks the scope the route list gives the route against
 * the key's scopes or the person's role (functions/core/roles.ts), then counts the request against
 * the caller's per-minute window. Key lookups are cached for
 * 30 s, so a revoked key stops working within 30 s. Runs inside the Lambda, so local and AWS
 * behave the same.
 */
export function apiAuth(deps: AuthDeps): MiddlewareObj<HttpEvent, HttpResult> {
  const cache = new Map<string, { record: ApiKeyRecord | undefined; at: number }>();
  const lookup = async (id: string) => {
    const hit = cache.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.record;
    const record = await deps.keys.get(id);
    if (cache.size > 1000) cache.clear();
    cache.set(id, { record, at: Date.now() });
    return record;
  };

  const keyHolder = async (key: string): Promise<Principal> => {
    const id = keyIdOf(key);
    const record = id ? await lookup(id) : undefined;
    if (!record || !keyMatches(key, record)) throw new UnauthorizedError('unknown or revoked API key');
    return { kind: 'key', subject: record.id, scopes: record.scopes, roles: [], ...(record.rateLimit ? { rateLimit: record.rateLimit } : {}) };
  };
  const signedIn = async (token: string): Promise<Principal> => {
    if (!deps.tokens) throw new UnauthorizedError('sign-in is not configured for this API (TEND_OIDC_ISSUER): send an API key');
    // Loaded on the first token only: jose stays out of the cold start of API-key traffic.
    const person = await (await import('./access-token.ts')).verifyAccessToken(token, deps.tokens);
    return { kind: 'person', ...person, scopes: scopesOf(person.roles) };
  };

  return {
    before: async (request) => {
      const event = request.event;
      const needed = authOf(event.routeKey);
      if (needed === 'public') return;
      const isSegment = event.routeKey === SEGMENT_ROUTE;
      let principal: Principal;

      const signature = isSegment ? event.headers?.['x-signature'] : undefined;
      if (signature) {
        const secret = await deps.segmentSecret();
        if (!secret || !signatureMatches(secret, rawBody(event, deps.maxBodyBytes), signature))
          throw new UnauthorizedError('X-Signature does not match the body signed with the configured Segment shared secret');
        principal = { kind: 'key', subject: 'segment-webhook', scopes: ['ingest'], roles: [], rateLimit: deps.webhookRateLimitPerMinute };
      } else {
        const key = presentedKey(event) ?? (isSegment ? bodyWriteKey(event, deps.maxBodyBytes) : undefined);
        if (!key)
          throw new UnauthorizedError(
            'an API key or a sign-in is required: send "Authorization: Bearer <API key or access token>" (create a key with `tend keys create`)',
          );
        principal = JWT_SHAPE.test(key) ? await signedIn(key) : await keyHolder(key);
        if (needed !== 'any' && !grants(principal.scopes, needed))
          throw new ForbiddenError(
            principal.kind === 'key'
              ? `this key's scopes (${principal.scopes.join(', ')}) do not include "${needed}", which ${event.routeKey} needs`
              : principal.roles[0]
                ? `the ${principal.roles[0]} role does not include "${needed}", which ${event.routeKey} needs`
                : `you are in none of Tend's groups (viewer, csm, admin), so you lack "${needed}", which ${event.routeKey} needs`,
          );
      }
      principals.set(event, principal);

      const now = deps.clock.now().getTime();
      const windowStart = new Date(now - (now % (WINDOW_SECONDS * 1000)));
      const limit = principal.rateLimit ?? deps.rateLimitPerMinute;
      // A person's window is apart from the keys' (a token subject could never collide with a key id anyway).
      const count = await deps.rate.hit(principal.kind === 'person' ? `user:${principal.subject}` : principal.subject, windowStart, WINDOW_SECONDS);
      if (count > limit) {
        const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_SECONDS * 1000 - now) / 1000));
        throw new RateLimitedError(`rate limit of ${limit} requests a minute exceeded for ${principal.subject}`, retryAfter);
      }
    },
  };
}
