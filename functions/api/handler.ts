import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import * as z from '../core/zod.ts';
import { accountView, recordMilestone, segmentOf, upsertAccount } from '../core/accounts.ts';
import { systemClock } from '../core/clock.ts';
import { NotFoundError, ValidationError } from '../core/errors.ts';
import { formatPath } from '../core/config.ts';
import { ingestContacts, ingestEvents, ingestSurveys, ingestTickets } from '../core/ingest.ts';
import { accountUpsertSchema, contactBatchSchema, eventBatchSchema, idSchema, surveyBatchSchema, ticketBatchSchema, milestoneSchema } from '../core/schemas.ts';
import { eventBridgePublisher } from '../adapters/eventbridge-publisher.ts';
import { stepFunctionsRunner } from '../adapters/sfn-runner.ts';
import { playRoutes } from './play-routes.ts';
import { accountRepo } from '../data/accounts.ts';
import { documentClient } from '../data/client.ts';
import { dirtyAccounts } from '../data/dirty.ts';
import { feedbackRepo } from '../data/feedback.ts';
import { contactRepo } from '../data/contacts.ts';
import { runRepo } from '../data/runs.ts';
import { taskRepo } from '../data/tasks.ts';
import { scoreRepo } from '../data/scores.ts';
import { modelResolver } from '../core/score/presets/index.ts';
import { usageRepo } from '../data/usage.ts';
import { config } from '../shared/config.ts';
import { parseEnv } from '../shared/env.ts';
import { httpErrors, json, parseBody, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { upsertChangesNothing } from '../core/account-diff.ts';
import { accountListQuerySchema, listAccounts } from '../core/account-list.ts';
import { accountCard, cardText } from '../core/card.ts';
import { ingestSegment, segmentBodySchema } from '../core/segment.ts';
import { accountCatalog } from '../data/account-catalog.ts';
import { apiKeyRepo } from '../data/api-keys.ts';
import { eventClaims } from '../data/event-claims.ts';
import { rateCounter } from '../data/rate-counter.ts';
import { segmentSecretStore } from '../data/segment-secret.ts';
import { userLinks } from '../data/user-links.ts';
import { apiAuth } from './auth.ts';
import { openApiDocument } from './openapi.ts';
import { ROUTE_TABLE, SEGMENT_ROUTE } from './route-table.ts';

const env = parseEnv({
  TABLE_NAME: z.string().check(z.minLength(1)),
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  PLAY_STATE_MACHINES: z.pipe(z.string(), z.transform((s) => JSON.parse(s) as Record<string, string>)),
});
const ONBOARDING = 'onboarding';
const logger = new Logger({ serviceName: 'tend-api' });
const accounts = accountRepo(documentClient, env.TABLE_NAME, (arr) => segmentOf(arr, config.segments));
const deps = {
  clock: systemClock,
  accounts,
  usage: usageRepo(documentClient, env.TABLE_NAME),
  scores: scoreRepo(documentClient, env.TABLE_NAME, modelResolver(config.scoreModel)),
  runs: runRepo(documentClient, env.TABLE_NAME),
  dirty: dirtyAccounts(documentClient, env.TABLE_NAME),
  feedback: feedbackRepo(documentClient, env.TABLE_NAME),
  contacts: contactRepo(documentClient, env.TABLE_NAME),
  tasks: taskRepo(documentClient, env.TABLE_NAME),
  events: eventBridgePublisher(env.EVENT_BUS_NAME),
  runner: stepFunctionsRunner(env.PLAY_STATE_MACHINES),
  plays: config.plays,
  claims: eventClaims(documentClient, env.TABLE_NAME),
  reportDuplicates: config.api.reportDuplicates,
  links: userLinks(documentClient, env.TABLE_NAME),
  catalog: accountCatalog(documentClient, env.TABLE_NAME),
};
const segmentSecrets = segmentSecretStore(documentClient, env.TABLE_NAME);
let segmentSecret: { value: string | undefined; at: number } | undefined;
const auth = apiAuth(
  {
    clock: systemClock,
    keys: apiKeyRepo(documentClient, env.TABLE_NAME),
    rate: rateCounter(documentClient, env.TABLE_NAME),
    rateLimitPerMinute: config.api.rateLimitPerMinute,
    webhookRateLimitPerMinute: config.api.webhookRateLimitPerMinute,
    maxBodyBytes: config.api.maxBodyBytes,
    segmentSecret: async () => {
      // Read at most every 30 s, like the keys: a rotated secret applies within 30 s.
      if (!segmentSecret || Date.now() - segmentSecret.at > 30_000) segmentSecret = { value: await segmentSecrets.get(), at: Date.now() };
      return segmentSecret.value;
    },
  },
  Object.fromEntries(Object.entries(ROUTE_TABLE).map(([route, doc]) => [route, doc.auth])),
  { segmentRoute: SEGMENT_ROUTE },
);
const body = <T extends z.ZodMiniType>(event: HttpEvent, schema: T) => parseBody(event, schema, config.api.maxBodyBytes);
const accountIdOf = (event: HttpEvent) => {
  const id = idSchema.safeParse(event.pathParameters?.id);
  if (!id.success) throw new NotFoundError(`account "${event.pathParameters?.id ?? ''}" not found`);
  return id.data;
};
const cardThresholds = { newAccountDays: config.scoring.flags.newAccountDays, renewalWithinDays: config.scoring.flags.renewalWithinDays };

const routes: Record<string, (event: HttpEvent) => Promise<HttpResult>> = {
  'POST /v1/accounts': async (event) => {
    const input = body(event, accountUpsertSchema);
    const current = await accounts.get(input.id);
    // Nothing to write (a re-run import, a retry): answer without touching the item.
    if (current?.announcedAt && upsertChangesNothing(current, input)) return json(200, { account: current, unchanged: true });
    const { created, account } = await upsertAccount(deps, input);
    return json(created ? 201 : 200, { account });
  },
  'POST /v1/events': async (event) => json(202, await ingestEvents(deps, body(event, eventBatchSchema).events)),
  'POST /v1/contacts': async (event) => json(202, await ingestContacts(deps, body(event, contactBatchSchema).contacts)),
  'POST /v1/surveys': async (event) => json(202, await ingestSurveys(deps, body(event, surveyBatchSchema).surveys)),
  'POST /v1/tickets': async (event) => json(202, await ingestTickets(deps, body(event, ticketBatchSchema).tickets)),
  [SEGMENT_ROUTE]: async (event) => json(200, await ingestSegment(deps, body(event, segmentBodySchema))),
  'GET /v1/accounts': async (event) => {
    const query = accountListQuerySchema.safeParse(event.queryStringParameters ?? {});
    if (!query.success) throw new ValidationError(query.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; '), query.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message })));
    return json(200, await listAccounts(deps, query.data, { now: deps.clock.now(), thresholds: cardThresholds, onboardingPlay: ONBOARDING }));
  },
  'GET /v1/accounts/{id}/card': async (event) => {
    const id = accountIdOf(event);
    const [account, score, runs] = await Promise.all([accounts.get(id), deps.scores.get(id), deps.runs.forAccount(id)]);
    if (!account) throw new NotFoundError(`account "${id}" not found`);
    const card = accountCard({ account, score, runs, now: deps.clock.now(), thresholds: cardThresholds, onboardingPlay: ONBOARDING });
    const text = event.queryStringParameters?.format === 'text' || /^text\/plain/i.test(event.headers?.accept ?? '');
    return text ? { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: cardText(card) } : json(200, card);
  },
  'GET /v1/openapi.json': async () => json(200, openApiDocument(ROUTE_TABLE, { title: `Tend API (${config.product.name})`, version: '1' })),
  'GET /v1/accounts/{id}': async (event) => {
    const id = idSchema.safeParse(event.pathParameters?.id);
    if (!id.success) throw new NotFoundError(`account "${event.pathParameters?.id ?? ''}" not found`);
    return json(200, await accountView({ ...deps, checklist: config.milestones.checklist }, id.data));
  },
  'POST /v1/accounts/{id}/milestones': async (event) => {
    const id = accountIdOf(event);
    return json(200, await recordMilestone({ ...deps, checklist: config.milestones.checklist }, id, body(event, milestoneSchema)));
  },
  ...playRoutes(deps),
};

/** The public HTTP API: one function, routed by API Gateway's route key. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(httpErrors((message, err) => logger.error(message, err as Error)))
  .use({ before: (request) => void rawBody(request.event, config.api.maxBodyBytes) })
  .use(auth)
  .handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError(`no route ${event.routeKey}`);
    return route(event);
  });
