import { systemClock } from '../../core/clock.ts';
import { config } from '../../shared/config.ts';
import { accounts } from '../../shared/deps/accounts.ts';
import { revenue } from '../../shared/deps/revenue.ts';
import { holdouts } from '../../shared/deps/holdouts.ts';
import { runner } from '../../shared/deps/runner.ts';
import { runs } from '../../shared/deps/runs.ts';
import { variantEmailCounts } from '../../shared/deps/variant-email-counts.ts';
import { scores } from '../../shared/deps/scores.ts';
import { counters } from '../api-observability.ts';
import { holdoutRoutes } from '../holdout-routes.ts';
import { playRoutes } from '../play-routes.ts';
import type { RoutesServed } from './route-handler.ts';

const deps = {
  clock: systemClock,
  counters,
  plays: config.plays,
  accounts: accounts(),
  revenue: revenue(),
  scores: scores(),
  runs: runs(),
  runner: runner(),
};

/** Plays (list, runs, steps, a CSM's start and controls), their lift and holdouts (issue 17). */
export const routes = {
  ...playRoutes(deps),
  ...holdoutRoutes({ ...deps, holdouts: holdouts(), variantEmail: variantEmailCounts(), maxBodyBytes: config.api.maxBodyBytes }),
} satisfies RoutesServed;
