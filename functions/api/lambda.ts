import middy from '@middy/core';
import { systemClock } from '../core/clock.ts';
import { NotFoundError } from '../core/errors.ts';
import { config } from '../shared/config.ts';
import { documentClient } from '../data/client.ts';
import { api } from './observed.ts';
import { correlationHeader, requestCorrelationId } from '../shared/http-correlation.ts';
import { httpErrors, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { apiAuth, tokenIssuerFromEnv } from './auth.ts';
import { ROUTES, type ApiRouteKey } from './routes.ts';
import { assertKnownQuery } from './query-check.ts';

const { logger, middlewares, correlated } = api;
/**
 * The composition root and the route handlers load on the first request, in chunks of their own: a
 * cold start parses the router, the auth and the route list, and makes the DynamoDB client (at init,
 * as AWS advises, so the first request reuses its connection) without the code behind every route.
 */
const root = () => import('../shared/deps.ts');
void documentClient;
let segmentSecret: { value: string | undefined; at: number } | undefined;
const auth = apiAuth({
  clock: systemClock,
  keys: { get: async (id) => (await root()).apiKeys().get(id) },
  rate: { hit: async (...args) => (await root()).rate().hit(...args) },
  rateLimitPerMinute: config.api.rateLimitPerMinute,
  webhookRateLimitPerMinute: config.api.webhookRateLimitPerMinute,
  maxBodyBytes: config.api.maxBodyBytes,
  tokens: tokenIssuerFromEnv(),
  segmentSecret: async () => {
    // Read at most every 30 s, like the keys: a rotated secret applies within 30 s.
    if (!segmentSecret || Date.now() - segmentSecret.at > 30_000) segmentSecret = { value: await (await root()).segmentSecrets().get(), at: Date.now() };
    return segmentSecret.value;
  },
});
/** The route handlers (handler.ts), loaded on the first request, then kept; a failed load is tried again by the next request. */
let handlers: Promise<(typeof import('./handler.ts'))['routes']> | undefined;
const routeHandlers = () =>
  (handlers ??= import('./handler.ts').then(
    (m) => m.routes,
    (err: unknown) => {
      handlers = undefined;
      throw err;
    },
  ));

/** The public HTTP API: one function, routed by API Gateway's route key. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(middlewares)
  .use(correlationHeader)
  .use(httpErrors((message, err) => logger.error(message, err as Error)))
  .use({ before: (request) => void rawBody(request.event, config.api.maxBodyBytes) })
  .use(auth)
  .handler(async (event) => {
    const known = Object.hasOwn(ROUTES, event.routeKey) && ROUTES[event.routeKey as ApiRouteKey].serve === 'api';
    if (!known) throw new NotFoundError(`no route ${event.routeKey}`);
    assertKnownQuery(ROUTES[event.routeKey as ApiRouteKey], event.queryStringParameters);
    const route = (await routeHandlers())[event.routeKey as ApiRouteKey];
    return correlated(requestCorrelationId(event), event.requestContext.requestId, () => route(event));
  });
