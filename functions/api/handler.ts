import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import * as z from '../core/zod.ts';
import { accountView, segmentOf, upsertAccount } from '../core/accounts.ts';
import { systemClock } from '../core/clock.ts';
import { NotFoundError } from '../core/errors.ts';
import { ingestContacts, ingestEvents, ingestSurveys, ingestTickets } from '../core/ingest.ts';
import { accountUpsertSchema, contactBatchSchema, eventBatchSchema, idSchema, surveyBatchSchema, ticketBatchSchema } from '../core/schemas.ts';
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
import { usageRepo } from '../data/usage.ts';
import { config } from '../shared/config.ts';
import { parseEnv } from '../shared/env.ts';
import { httpErrors, json, parseBody, type HttpEvent, type HttpResult } from '../shared/http.ts';

const env = parseEnv({
  TABLE_NAME: z.string().check(z.minLength(1)),
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  PLAY_STATE_MACHINES: z.pipe(z.string(), z.transform((s) => JSON.parse(s) as Record<string, string>)),
});
const logger = new Logger({ serviceName: 'tend-api' });
const accounts = accountRepo(documentClient, env.TABLE_NAME, (arr) => segmentOf(arr, config.segments));
const deps = {
  clock: systemClock,
  accounts,
  usage: usageRepo(documentClient, env.TABLE_NAME),
  scores: scoreRepo(documentClient, env.TABLE_NAME),
  runs: runRepo(documentClient, env.TABLE_NAME),
  dirty: dirtyAccounts(documentClient, env.TABLE_NAME),
  feedback: feedbackRepo(documentClient, env.TABLE_NAME),
  contacts: contactRepo(documentClient, env.TABLE_NAME),
  tasks: taskRepo(documentClient, env.TABLE_NAME),
  events: eventBridgePublisher(env.EVENT_BUS_NAME),
  runner: stepFunctionsRunner(env.PLAY_STATE_MACHINES),
  plays: config.plays,
};

const routes: Record<string, (event: HttpEvent) => Promise<HttpResult>> = {
  'POST /v1/accounts': async (event) => {
    const { created, account } = await upsertAccount(deps, parseBody(event, accountUpsertSchema));
    return json(created ? 201 : 200, { account });
  },
  'POST /v1/events': async (event) => json(202, await ingestEvents(deps, parseBody(event, eventBatchSchema).events)),
  'POST /v1/contacts': async (event) => json(202, await ingestContacts(deps, parseBody(event, contactBatchSchema).contacts)),
  'POST /v1/surveys': async (event) => json(202, await ingestSurveys(deps, parseBody(event, surveyBatchSchema).surveys)),
  'POST /v1/tickets': async (event) => json(202, await ingestTickets(deps, parseBody(event, ticketBatchSchema).tickets)),
  'GET /v1/accounts/{id}': async (event) => {
    const id = idSchema.safeParse(event.pathParameters?.id);
    if (!id.success) throw new NotFoundError(`account "${event.pathParameters?.id ?? ''}" not found`);
    return json(200, await accountView(deps, id.data));
  },
  ...playRoutes(deps),
};

/** The public HTTP API: one function, routed by API Gateway's route key. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(httpErrors((message, err) => logger.error(message, err as Error)))
  .handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError(`no route ${event.routeKey}`);
    return route(event);
  });
