import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import { allows, keyIdOf, keyMatches, type ApiKeyRecord } from '../core/api-keys.ts';
import type { Clock } from '../core/clock.ts';
import { ForbiddenError, RateLimitedError, UnauthorizedError } from '../core/errors.ts';
import type { ApiKeyRepo, RateCounter } from '../core/ports.ts';
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
}

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
 * Authenticates every request before its route runs, checks the scope the route list gives the
 * route, then counts the request against the key's per-minute window. Key lookups are cached for
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

  return {
    before: async (request) => {
      const event = request.event;
      const needed = authOf(event.routeKey);
      if (needed === 'public') return;
      const isSegment = event.routeKey === SEGMENT_ROUTE;
      let principal: { id: string; rateLimit?: number } | undefined;

      const signature = isSegment ? event.headers?.['x-signature'] : undefined;
      if (signature) {
        const secret = await deps.segmentSecret();
        if (!secret || !signatureMatches(secret, rawBody(event, deps.maxBodyBytes), signature))
          throw new UnauthorizedError('X-Signature does not match the body signed with the configured Segment shared secret');
        principal = { id: 'segment-webhook', rateLimit: deps.webhookRateLimitPerMinute };
      } else {
        const key = presentedKey(event) ?? (isSegment ? bodyWriteKey(event, deps.maxBodyBytes) : undefined);
        if (!key) throw new UnauthorizedError('an API key is required: send "Authorization: Bearer <key>" (create one with `tend keys create`)');
        const id = keyIdOf(key);
        const record = id ? await lookup(id) : undefined;
        if (!record || !keyMatches(key, record)) throw new UnauthorizedError('unknown or revoked API key');
        if (needed !== 'any' && !allows(record, needed))
          throw new ForbiddenError(`this key's scopes (${record.scopes.join(', ')}) do not include "${needed}", which ${event.routeKey} needs`);
        principal = { id: record.id, rateLimit: record.rateLimit };
      }

      const now = deps.clock.now().getTime();
      const windowStart = new Date(now - (now % (WINDOW_SECONDS * 1000)));
      const limit = principal.rateLimit ?? deps.rateLimitPerMinute;
      const count = await deps.rate.hit(principal.id, windowStart, WINDOW_SECONDS);
      if (count > limit) {
        const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_SECONDS * 1000 - now) / 1000));
        throw new RateLimitedError(`rate limit of ${limit} requests a minute exceeded for key ${principal.id}`, retryAfter);
      }
    },
  };
}
