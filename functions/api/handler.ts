import middy from '@middy/core';
import { systemClock } from '../core/clock.ts';
import { NotFoundError } from '../core/errors.ts';
import { describeCaller } from '../core/me.ts';
import { config } from '../shared/config.ts';
import * as root from '../shared/deps-base.ts';
import { correlationHeader, requestCorrelationId } from '../shared/http-correlation.ts';
import { httpErrors, json, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { correlated, logger, middlewares } from './api-observability.ts';
import { apiAuth, principalOf, tokenIssuerFromEnv } from './auth.ts';
import { servedOpenApi } from './openapi-served.ts';
import { assertKnownQuery } from './query-check.ts';
import { ROUTES, SEGMENT_ROUTE, type ApiRouteKey } from './routes.ts';
import type { RouteHandler, RoutesServed } from './served/route-handler.ts';

const segmentSecrets = root.segmentSecrets();
let segmentSecret: { value: string | undefined; at: number } | undefined;
const auth = apiAuth({
  clock: systemClock,
  keys: root.apiKeys(),
  rate: root.rate(),
  rateLimitPerMinute: config.api.rateLimitPerMinute,
  webhookRateLimitPerMinute: config.api.webhookRateLimitPerMinute,
  maxBodyBytes: config.api.maxBodyBytes,
  tokens: tokenIssuerFromEnv(),
  segmentSecret: async () => {
    // Read at most every 30 s, like the keys: a rotated secret applies within 30 s.
    if (!segmentSecret || Date.now() - segmentSecret.at > 30_000) segmentSecret = { value: await segmentSecrets.get(), at: Date.now() };
    return segmentSecret.value;
  },
});

/**
 * The modules that serve the routes (functions/api/served), each imported on the first request of
 * one of its routes: a chunk of the bundle with the core and data code those routes use, so the
 * cold start parses none of it and a first request parses only its own group's.
 */
const modules = {
  accounts: () => import('./served/accounts.ts'),
  ingest: () => import('./served/ingest.ts'),
  reports: () => import('./served/reports.ts'),
  plays: () => import('./served/plays.ts'),
  email: () => import('./served/email.ts'),
  tasks: () => import('./served/tasks.ts'),
};
type Module = keyof typeof modules;
type ServedBy<M extends Module> = keyof Awaited<ReturnType<(typeof modules)[M]>>['routes'];
/** Where each route is served: a module that serves it (checked by the compiler), or a handler here. A route with neither does not compile. */
type Served = { [K in ApiRouteKey]: { [M in Module]: K extends ServedBy<M> ? M : never }[Module] | RouteHandler };

const served: Served = {
  'POST /v1/accounts': 'accounts',
  'GET /v1/accounts/{id}': 'accounts',
  'GET /v1/accounts/{id}/card': 'accounts',
  'POST /v1/accounts/{id}/milestones': 'accounts',
  'POST /v1/accounts/{id}/renewals': 'accounts',
  'GET /v1/accounts/{id}/revenue': 'accounts',
  'GET /v1/accounts/{id}/timeline': 'accounts',
  'GET /v1/accounts/{id}/contacts': 'accounts',
  'POST /v1/events': 'ingest',
  'POST /v1/contacts': 'ingest',
  'POST /v1/surveys': 'ingest',
  'POST /v1/tickets': 'ingest',
  [SEGMENT_ROUTE]: 'ingest',
  'GET /v1/accounts': 'reports',
  'GET /v1/renewals': 'reports',
  'GET /v1/changes': 'reports',
  'GET /v1/metrics': 'reports',
  'GET /v1/metrics/accounts': 'reports',
  'GET /v1/metrics/outcomes': 'reports',
  'GET /v1/plays': 'plays',
  'GET /v1/plays/{play}/runs': 'plays',
  'GET /v1/plays/{play}/steps': 'plays',
  'POST /v1/accounts/{id}/plays/{play}/{action}': 'plays',
  'GET /v1/plays/{play}/lift': 'plays',
  'POST /v1/plays/{play}/holdout/end': 'plays',
  'GET /v1/email/pause': 'email',
  'POST /v1/email/pause': 'email',
  'GET /v1/csms': 'tasks',
  'GET /v1/csms/{id}/accounts': 'tasks',
  'GET /v1/tasks': 'tasks',
  'POST /v1/tasks/{accountId}/{taskId}/complete': 'tasks',
  'POST /v1/tasks/{accountId}/{taskId}/snooze': 'tasks',
  'POST /v1/tasks/{accountId}/{taskId}/reassign': 'tasks',
  'POST /v1/tasks/{accountId}/{taskId}/comments': 'tasks',
  'GET /v1/accounts/{id}/notes': 'tasks',
  'POST /v1/accounts/{id}/notes': 'tasks',
  'POST /v1/accounts/{id}/notes/{noteId}/pin': 'tasks',
  'POST /v1/accounts/{id}/notes/{noteId}/unpin': 'tasks',
  'GET /v1/openapi.json': async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: await servedOpenApi(config.product.name) }),
  // Sign-in (issue 16): apiAuth has authenticated the caller of every non-public route.
  'GET /v1/me': async (event) => json(200, describeCaller(principalOf(event)!, config.csms, systemClock.now())),
};

/** The handler of a route, its module imported on first use. */
async function routeHandler(key: ApiRouteKey): Promise<RouteHandler> {
  const where = served[key];
  if (typeof where === 'function') return where;
  const { routes } = (await modules[where]()) as { routes: RoutesServed };
  return routes[key]!;
}

/** The public HTTP API: one function, routed by API Gateway's route key. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(middlewares)
  .use(correlationHeader)
  .use(httpErrors((message, err) => logger.error(message, err as Error)))
  .use({ before: (request) => void rawBody(request.event, config.api.maxBodyBytes) })
  .use(auth)
  .handler(async (event) => {
    if (!Object.hasOwn(served, event.routeKey)) throw new NotFoundError(`no route ${event.routeKey}`);
    const key = event.routeKey as ApiRouteKey;
    assertKnownQuery(ROUTES[key], event.queryStringParameters);
    const route = await routeHandler(key);
    return correlated(requestCorrelationId(event), event.requestContext.requestId, () => route(event));
  });
