import middy from '@middy/core';
import type * as z from '../core/zod.ts';
import { accountView, recordMilestone, upsertAccount } from '../core/accounts.ts';
import { systemClock } from '../core/clock.ts';
import { NotFoundError, ValidationError } from '../core/errors.ts';
import { formatPath } from '../core/format-path.ts';
import { ingestContacts, ingestEvents, ingestSurveys, ingestTickets } from '../core/ingest.ts';
import { idSchema } from '../core/schemas.ts';
import { playRoutes } from './play-routes.ts';
import { emailRoutes } from './email-routes.ts';
import { taskRoutes } from './task-routes.ts';
import { holdoutRoutes } from './holdout-routes.ts';
import { pausePolicy } from '../core/email/reputation.ts';
import { config } from '../shared/config.ts';
import * as root from '../shared/deps.ts';
import { observability } from '../shared/observability.ts';
import { correlationHeader, requestCorrelationId } from '../shared/http-correlation.ts';
import { httpErrors, json, parseBody, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { listAccounts } from '../core/account-list.ts';
import { accountCard, cardText } from '../core/card.ts';
import { ingestSegment } from '../core/segment.ts';
import { changesReport, renewalsReport } from '../core/metrics/reports.ts';
import { metricAccounts, metricsReport } from '../core/metrics/metrics-report.ts';
import { modelResolver } from '../core/score/presets/index.ts';
import { apiAuth, principalOf, tokenIssuerFromEnv } from './auth.ts';
import { describeCaller } from '../core/me.ts';
import { accountRevenue, recordRenewalOutcome } from '../core/renewals.ts';
import { servedOpenApi } from './openapi-served.ts';
import { readTimeline } from '../core/timeline-query.ts';
import { ROUTES, SEGMENT_ROUTE, type ApiRouteKey } from './routes.ts';
import { assertKnownQuery } from './query-check.ts';

const ONBOARDING = 'onboarding';
const { logger, counters, middlewares, correlated } = observability('tend-api');
const deps = {
  clock: systemClock,
  counters,
  segments: config.segments,
  accounts: root.accounts(),
  revenue: root.revenue(),
  usage: root.usage(),
  scores: root.scores(),
  runs: root.runs(),
  dirty: root.dirty(),
  feedback: root.feedback(),
  contacts: root.contacts(),
  tasks: root.tasks(),
  events: root.events(),
  runner: root.runner(),
  plays: config.plays,
  claims: root.claims(),
  links: root.links(),
  catalog: root.catalog(),
  listIndex: root.listIndex(),
  scoreFacts: root.scoreFacts(),
  renewals: root.renewalIndexReader(),
  scoreStates: root.scoreStateRepo(),
  modelFor: modelResolver(config.scoreModel),
  owners: root.owners(),
  notes: root.notes(),
  csms: config.csms,
  assignment: config.assignment,
};
const metricsDeps = {
  aggregates: root.metricAggregateRepo(),
  sources: root.metricSourceReader(),
  firstValueTargetDays: config.milestones.firstValueTargetDays,
  outcomes: root.outcomeFigures(),
  healthDays: root.healthDays(),
};
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
type BodyRoute = { [K in ApiRouteKey]: (typeof ROUTES)[K] extends { body: z.ZodMiniType } ? K : never }[ApiRouteKey];
/** The body of a request, parsed with the schema the route list declares for its route (and OpenAPI documents). */
const body = <K extends BodyRoute>(event: HttpEvent, route: K) =>
  parseBody(event, ROUTES[route].body, config.api.maxBodyBytes) as z.output<(typeof ROUTES)[K]['body']>;
type QueryRoute = { [K in ApiRouteKey]: (typeof ROUTES)[K] extends { query: z.ZodMiniType } ? K : never }[ApiRouteKey];
/** The query string, parsed with the schema the route list declares for its route: a 400 naming each bad field. */
const query = <K extends QueryRoute>(event: HttpEvent, route: K) => {
  const parsed = (ROUTES[route].query as z.ZodMiniType).safeParse(event.queryStringParameters ?? {});
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; '),
      parsed.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message })),
    );
  return parsed.data as z.output<(typeof ROUTES)[K]['query']>;
};
const accountIdOf = (event: HttpEvent) => {
  const id = idSchema.safeParse(event.pathParameters?.id);
  if (!id.success) throw new NotFoundError(`account "${event.pathParameters?.id ?? ''}" not found`);
  return id.data;
};
const cardThresholds = { newAccountDays: config.scoring.flags.newAccountDays, renewalWithinDays: config.scoring.flags.renewalWithinDays };

/** A handler for every route the list gives the API function: a route without one does not compile. */
const routes: Record<ApiRouteKey, (event: HttpEvent) => Promise<HttpResult>> = {
  'POST /v1/accounts': async (event) => {
    const { outcome, account } = await upsertAccount(deps, body(event, 'POST /v1/accounts'));
    return json(outcome === 'created' ? 201 : 200, { account, outcome, ...(outcome === 'unchanged' ? { unchanged: true } : {}) });
  },
  'POST /v1/events': async (event) => {
    const out = await ingestEvents(deps, body(event, 'POST /v1/events').events);
    counters.count('EventsIngested', out.accepted);
    return json(202, out);
  },
  'POST /v1/contacts': async (event) => json(202, await ingestContacts(deps, body(event, 'POST /v1/contacts').contacts)),
  'POST /v1/surveys': async (event) => json(202, await ingestSurveys(deps, body(event, 'POST /v1/surveys').surveys)),
  'POST /v1/tickets': async (event) => json(202, await ingestTickets(deps, body(event, 'POST /v1/tickets').tickets)),
  [SEGMENT_ROUTE]: async (event) => {
    const out = await ingestSegment(deps, body(event, SEGMENT_ROUTE));
    counters.count('EventsIngested', out.results.filter((r) => r.status === 'accepted' && (r.type === 'track' || r.type === 'page')).length);
    return json(200, out);
  },
  'GET /v1/accounts': async (event) =>
    json(200, await listAccounts(deps, query(event, 'GET /v1/accounts'), { now: deps.clock.now(), thresholds: cardThresholds, onboardingPlay: ONBOARDING })),
  'GET /v1/accounts/{id}/card': async (event) => {
    const id = accountIdOf(event);
    const [account, score, runs, tasks, notes] = await Promise.all([
      deps.accounts.get(id),
      deps.scores.get(id),
      deps.runs.forAccount(id),
      deps.tasks.forAccount(id),
      deps.notes.list(id, { limit: 20 }),
    ]);
    if (!account) throw new NotFoundError(`account "${id}" not found`);
    const card = accountCard({
      account,
      score,
      runs,
      tasks,
      pinnedNotes: notes.notes.filter((n) => n.pinned),
      now: deps.clock.now(),
      thresholds: cardThresholds,
      onboardingPlay: ONBOARDING,
    });
    const { format } = query(event, 'GET /v1/accounts/{id}/card');
    const text = format === 'text' || (format === undefined && /^text\/plain/i.test(event.headers?.accept ?? ''));
    return text ? { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: cardText(card) } : json(200, card);
  },
  'GET /v1/openapi.json': async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: await servedOpenApi(config.product.name) }),
  'GET /v1/accounts/{id}': async (event) => {
    return json(200, await accountView({ ...deps, checklist: config.milestones.checklist }, accountIdOf(event)));
  },
  'POST /v1/accounts/{id}/milestones': async (event) => {
    const id = accountIdOf(event);
    return json(200, await recordMilestone({ ...deps, checklist: config.milestones.checklist }, id, body(event, 'POST /v1/accounts/{id}/milestones')));
  },
  'GET /v1/renewals': async (event) => json(200, await renewalsReport(deps, query(event, 'GET /v1/renewals'), deps.clock.now())),
  'GET /v1/changes': async (event) => json(200, await changesReport(deps, query(event, 'GET /v1/changes'), deps.clock.now())),
  // Outcome figures (issue 13): read from the month counters, never from the accounts' items.
  'GET /v1/metrics/outcomes': async (event) => {
    const q = query(event, 'GET /v1/metrics/outcomes');
    return json(200, await root.outcomeFigures().load(q.period, q.cut));
  },
  'POST /v1/accounts/{id}/renewals': async (event) => {
    const id = accountIdOf(event);
    const input = body(event, 'POST /v1/accounts/{id}/renewals');
    // A replay answers exactly as the first request did: the outcome as recorded.
    const { outcome } = await recordRenewalOutcome({ ...deps, churnReasons: config.revenue.churnReasons }, id, input);
    return json(200, { outcome });
  },
  'GET /v1/accounts/{id}/revenue': async (event) => json(200, await accountRevenue(deps, accountIdOf(event))),
  'GET /v1/accounts/{id}/timeline': async (event) =>
    json(200, await readTimeline({ ...deps, timeline: root.timeline() }, accountIdOf(event), query(event, 'GET /v1/accounts/{id}/timeline'))),
  'GET /v1/metrics': async (event) => json(200, await metricsReport(metricsDeps, query(event, 'GET /v1/metrics'), deps.clock.now())),
  'GET /v1/metrics/accounts': async (event) => json(200, await metricAccounts(metricsDeps, query(event, 'GET /v1/metrics/accounts'), deps.clock.now())),
  // The web app's Account page (issue 16): one Query of the account's contacts.
  'GET /v1/accounts/{id}/contacts': async (event) => {
    const id = accountIdOf(event);
    const [account, contacts] = await Promise.all([deps.accounts.get(id), deps.contacts.list(id)]);
    if (!account) throw new NotFoundError(`account "${id}" not found`);
    return json(200, { contacts });
  },
  ...playRoutes(deps),
  ...emailRoutes({ clock: systemClock, reputation: root.reputation(), policy: pausePolicy(config.email), maxBodyBytes: config.api.maxBodyBytes }),
  // Owners, the task queue and notes (issue 14).
  ...taskRoutes({ ...deps, maxBodyBytes: config.api.maxBodyBytes }),
  // Sign-in (issue 16): apiAuth has authenticated the caller of every non-public route.
  'GET /v1/me': async (event) => json(200, describeCaller(principalOf(event)!, config.csms)),
  // Holdouts and lift (issue 17).
  ...holdoutRoutes({ ...deps, holdouts: root.holdouts(), variantEmail: root.variantEmailCounts(), maxBodyBytes: config.api.maxBodyBytes }),
};

/** The public HTTP API: one function, routed by API Gateway's route key. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(middlewares)
  .use(correlationHeader)
  .use(httpErrors((message, err) => logger.error(message, err as Error)))
  .use({ before: (request) => void rawBody(request.event, config.api.maxBodyBytes) })
  .use(auth)
  .handler(async (event) => {
    const route = Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey as ApiRouteKey] : undefined;
    if (!route) throw new NotFoundError(`no route ${event.routeKey}`);
    assertKnownQuery(ROUTES[event.routeKey as ApiRouteKey], event.queryStringParameters);
    return correlated(requestCorrelationId(event), event.requestContext.requestId, () => route(event));
  });
