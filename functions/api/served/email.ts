import { systemClock } from '../../core/clock.ts';
import { pausePolicy } from '../../core/email/reputation.ts';
import { config } from '../../shared/config.ts';
import { reputation } from '../../shared/deps/reputation.ts';
import { emailRoutes } from '../email-routes.ts';
import type { RoutesServed } from './route-handler.ts';

/** The automatic sending pause (docs/email.md). */
export const routes = emailRoutes({
  clock: systemClock,
  reputation: reputation(),
  policy: pausePolicy(config.email),
  maxBodyBytes: config.api.maxBodyBytes,
}) satisfies RoutesServed;
