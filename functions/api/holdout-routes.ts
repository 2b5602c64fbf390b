import { playLift, type LiftDeps } from '../core/lift/play-lift.ts';
import { endHoldout } from '../core/plays/holdout-end.ts';
import type { HoldoutRepo } from '../core/ports.ts';
import { json, parseBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { callerName } from './auth.ts';
import { ROUTES, type ApiRouteKey } from './routes.ts';

export type HoldoutRouteKey = 'GET /v1/plays/{play}/lift' | 'POST /v1/plays/{play}/holdout/end';

/** A play's lift and the end of its holdout over HTTP (docs/holdouts.md). */
export function holdoutRoutes(
  deps: LiftDeps & { holdouts: HoldoutRepo; maxBodyBytes: number },
): Record<Extract<ApiRouteKey, HoldoutRouteKey>, (event: HttpEvent) => Promise<HttpResult>> {
  return {
    'GET /v1/plays/{play}/lift': async (event) => json(200, await playLift(deps, event.pathParameters?.play ?? '')),
    'POST /v1/plays/{play}/holdout/end': async (event) => {
      const input = parseBody(event, ROUTES['POST /v1/plays/{play}/holdout/end'].body, deps.maxBodyBytes);
      // Without `by`, whoever asked (an admin: the route's scope) is recorded as who ended it.
      const by = input.by ?? callerName(event) ?? 'unknown';
      const out = await endHoldout(deps, event.pathParameters?.play ?? '', { reason: input.reason, by });
      return json(200, out);
    },
  };
}
