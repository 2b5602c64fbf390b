import type { Clock } from '../core/clock.ts';
import { NotFoundError, ValidationError } from '../core/errors.ts';
import { controlRun } from '../core/plays/control.ts';
import type { PlayDefinition } from '../core/plays/definition.ts';
import { startPlay } from '../core/plays/triggers.ts';
import { stepFigures } from '../core/plays/step-figures.ts';
import type { AccountRepo, Counters, PlayRunner, RunRepo } from '../core/ports.ts';
import { idSchema } from '../core/schemas.ts';
import { json, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { playControlSchema, playListQuerySchema, type ApiRouteKey } from './routes.ts';
import type { HoldoutRouteKey } from './holdout-routes.ts';
import { playById } from '../core/plays/play-by-id.ts';
import { newestRuns } from '../core/plays/newest-runs.ts';
import { callerName } from './auth.ts';

export interface PlayRouteDeps {
  clock: Clock;
  plays: Record<string, PlayDefinition>;
  accounts: AccountRepo;
  runs: RunRepo;
  runner: PlayRunner;
  counters?: Counters;
}

type PlayRouteKey = Exclude<Extract<ApiRouteKey, `${string}/plays${string}`>, HoldoutRouteKey>;

function param(event: HttpEvent, name: string): string {
  const value = idSchema.safeParse(event.pathParameters?.[name]);
  if (!value.success) throw new NotFoundError(`${name} "${event.pathParameters?.[name] ?? ''}" not found`);
  return value.data;
}

function playParam(deps: PlayRouteDeps, event: HttpEvent): PlayDefinition {
  const id = event.pathParameters?.play ?? '';
  const play = playById(deps.plays, id);
  if (!play) throw new NotFoundError(`play "${id}" is not configured; plays: ${Object.keys(deps.plays).join(', ')}`);
  return play;
}

function body(event: HttpEvent): { by?: string } | undefined {
  if (!event.body) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
  } catch {
    throw new ValidationError('request body is not valid JSON');
  }
  const parsed = playControlSchema.safeParse(data);
  if (!parsed.success) throw new ValidationError(`by: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Plays over HTTP: what is configured, runs per play, and a CSM's start, pause, resume and cancel. */
export function playRoutes(deps: PlayRouteDeps): Record<PlayRouteKey, (event: HttpEvent) => Promise<HttpResult>> {
  return {
    'GET /v1/plays': async () =>
      json(200, {
        plays: Object.values(deps.plays).map((p) => ({
          id: p.id,
          description: p.description,
          trigger: p.trigger,
          anchor: p.anchor,
          cooldownDays: p.cooldownDays,
          steps: p.steps.map((s) => ({ id: s.id, day: s.day })),
          // Its holdout, if it declares one (docs/holdouts.md): its lift is at /v1/plays/{play}/lift.
          holdout: p.holdout ?? null,
        })),
      }),
    'GET /v1/plays/{play}/runs': async (event) => {
      const play = playParam(deps, event);
      const q = playListQuerySchema.safeParse(event.queryStringParameters ?? {});
      if (!q.success) throw new ValidationError(q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const { cut, group } = q.data;
      if ((cut === undefined) !== (group === undefined)) {
        const field = cut ? 'group' : 'cut';
        throw new ValidationError(`${field}: cut and group go together`, [{ field, message: 'cut and group go together' }]);
      }
      return json(
        200,
        await deps.runs.listByPlay(play.id, {
          status: q.data.status,
          cursor: q.data.cursor,
          limit: Number(q.data.limit ?? 50),
          ...(cut && group ? { group: { cut, group } } : {}),
        }),
      );
    },
    // The play's newest runs, at most MAX_RUNS_READ, 500 a Query (docs/data-model.md pattern 41).
    'GET /v1/plays/{play}/steps': async (event) => {
      const play = playParam(deps, event);
      const { runs, truncated } = await newestRuns(deps.runs, play.id);
      return json(200, { ...stepFigures(play, runs), truncated });
    },
    'POST /v1/accounts/{id}/plays/{play}/{action}': async (event) => {
      const accountId = param(event, 'id');
      const play = playParam(deps, event);
      const action = event.pathParameters?.action;
      const by = body(event)?.by ?? callerName(event);
      if (action === 'start') {
        const account = await deps.accounts.get(accountId);
        if (!account) throw new NotFoundError(`account "${accountId}" not found`);
        const result = await startPlay(deps, play, account, { on: 'manual', at: deps.clock.now().toISOString(), detail: by ? { by } : undefined });
        return json(result.outcome === 'started' ? 202 : 409, result);
      }
      if (action !== 'pause' && action !== 'resume' && action !== 'cancel' && action !== 'retry')
        throw new NotFoundError(`no action "${action}"; actions: start, pause, resume, cancel, retry`);
      return json(200, { run: await controlRun(deps, { accountId, play: play.id, action, by }) });
    },
  };
}
