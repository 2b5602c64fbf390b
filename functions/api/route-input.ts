import type * as z from '../core/zod.ts';
import { NotFoundError, ValidationError } from '../core/errors.ts';
import { formatPath } from '../core/format-path.ts';
import { idSchema } from '../core/schemas.ts';
import { config } from '../shared/config.ts';
import { parseBody, type HttpEvent } from '../shared/http.ts';
import { ROUTES, type ApiRouteKey } from './routes.ts';

type BodyRoute = { [K in ApiRouteKey]: (typeof ROUTES)[K] extends { body: z.ZodMiniType } ? K : never }[ApiRouteKey];
/** The body of a request, parsed with the schema the route list declares for its route (and OpenAPI documents). */
export const body = <K extends BodyRoute>(event: HttpEvent, route: K) =>
  parseBody(event, ROUTES[route].body, config.api.maxBodyBytes) as z.output<(typeof ROUTES)[K]['body']>;

type QueryRoute = { [K in ApiRouteKey]: (typeof ROUTES)[K] extends { query: z.ZodMiniType } ? K : never }[ApiRouteKey];
/** The query string, parsed with the schema the route list declares for its route: a 400 naming each bad field. */
export const query = <K extends QueryRoute>(event: HttpEvent, route: K) => {
  const parsed = (ROUTES[route].query as z.ZodMiniType).safeParse(event.queryStringParameters ?? {});
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; '),
      parsed.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message })),
    );
  return parsed.data as z.output<(typeof ROUTES)[K]['query']>;
};

/** The `{id}` of the path: one that is no valid id names no account, a 404. */
export const accountIdOf = (event: HttpEvent) => {
  const id = idSchema.safeParse(event.pathParameters?.id);
  if (!id.success) throw new NotFoundError(`account "${event.pathParameters?.id ?? ''}" not found`);
  return id.data;
};

export const ONBOARDING = 'onboarding';
export const cardThresholds = { newAccountDays: config.scoring.flags.newAccountDays, renewalWithinDays: config.scoring.flags.renewalWithinDays };
