import { keyIdOf } from '../core/api-keys.ts';
import type { Clock } from '../core/clock.ts';
import { changePause, pauseStatus, type PauseControlDeps } from '../core/email/pause-control.ts';
import { json, parseBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { presentedKey } from './auth.ts';
import { ROUTES, type ApiRouteKey } from './routes.ts';

type EmailRouteKey = Extract<ApiRouteKey, `${string}/v1/email/${string}`>;

/** The automatic sending pause over HTTP: read it, resume sending for some hours, or cancel that resume (docs/email.md). */
export function emailRoutes(deps: PauseControlDeps & { clock: Clock; maxBodyBytes: number }): Record<EmailRouteKey, (event: HttpEvent) => Promise<HttpResult>> {
  return {
    'GET /v1/email/pause': async () => {
      const { state, override, policy } = await pauseStatus(deps, deps.clock.now());
      return json(200, { ...state, override: override ?? null, policy });
    },
    'POST /v1/email/pause': async (event) => {
      const action = parseBody(event, ROUTES['POST /v1/email/pause'].body, deps.maxBodyBytes);
      // Without `by`, the API key that asked (checked by the auth middleware) is recorded as who resumed.
      const key = presentedKey(event);
      const override = await changePause(deps, action, `api key ${(key && keyIdOf(key)) ?? 'unknown'}`, deps.clock.now());
      const { state } = await pauseStatus(deps, deps.clock.now());
      return json(200, { ...state, override: override ?? null });
    },
  };
}
